// Cairo from Debian (libcairo2-dev): image and PDF surfaces, the toy text API.
#include <cairo/cairo.h>
#include <cairo/cairo-pdf.h>
