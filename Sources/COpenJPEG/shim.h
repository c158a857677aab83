// OpenJPEG 2.5 (JPEG 2000) from Debian (libopenjp2-7-dev).
#include <openjpeg-2.5/openjpeg.h>
