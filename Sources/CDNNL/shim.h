// oneDNN 2.x C API (Debian's libdnnl-dev) and the two OpenMP calls that set its thread count.
#include <oneapi/dnnl/dnnl.h>

// libgomp's entry points, declared here so that no omp.h include path is needed.
extern void omp_set_num_threads(int);
extern int omp_get_max_threads(void);

// Argument indices of dnnl_primitive_execute (macros that alias macros may not import).
static const int CDNNL_ARG_SRC = DNNL_ARG_SRC;
static const int CDNNL_ARG_DST = DNNL_ARG_DST;
static const int CDNNL_ARG_WEIGHTS = DNNL_ARG_WEIGHTS;
static const int CDNNL_ARG_BIAS = DNNL_ARG_BIAS;
static const int CDNNL_ARG_FROM = DNNL_ARG_FROM;
static const int CDNNL_ARG_TO = DNNL_ARG_TO;
