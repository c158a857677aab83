// CharLS 2.x (JPEG-LS) from Debian (libcharls-dev): its C API, charls_jpegls_decoder_*.
#include <charls/charls.h>
