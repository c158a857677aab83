// OpenBLAS's CBLAS (the openblas-pthread alternative) and LAPACKE, from Debian.
#include <cblas.h>
#include <lapacke.h>
