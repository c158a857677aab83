// oneDNN 2.x C API (Debian's libdnnl-dev) and the two OpenMP calls that set its thread count.
#include <oneapi/dnnl/dnnl.h>

// libgomp's entry points, declared here so that no omp.h include path is needed.
// GOMP_parallel is the call `#pragma omp parallel` compiles to: our own loops run on the
// same OpenMP team as oneDNN's kernels, so no second pool competes for the cores.
extern void omp_set_num_threads(int);
extern int omp_get_max_threads(void);
extern int omp_get_thread_num(void);
extern int omp_get_num_threads(void);
extern void GOMP_parallel(void (*fn)(void *), void *data, unsigned num_threads, unsigned int flags);

// Argument indices of dnnl_primitive_execute (macros that alias macros may not import).
static const int CDNNL_ARG_SRC = DNNL_ARG_SRC;
static const int CDNNL_ARG_DST = DNNL_ARG_DST;
static const int CDNNL_ARG_WEIGHTS = DNNL_ARG_WEIGHTS;
static const int CDNNL_ARG_BIAS = DNNL_ARG_BIAS;
static const int CDNNL_ARG_FROM = DNNL_ARG_FROM;
static const int CDNNL_ARG_TO = DNNL_ARG_TO;

