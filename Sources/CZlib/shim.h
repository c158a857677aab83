// zlib from Debian (zlib1g-dev).
#include <zlib.h>
