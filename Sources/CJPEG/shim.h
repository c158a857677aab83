// libjpeg-turbo 2.1 (8-bit samples) from Debian (libjpeg62-turbo-dev).
//
// libjpeg reports errors by calling a function that must not return; the only portable way
// out is longjmp, which Swift cannot do. So this header holds one small inline wrapper that
// owns the setjmp and turns every error and every warning (corrupt data) into a return code
// and a message. Nothing else lives here.
#include <stddef.h>
#include <stdio.h>
#include <setjmp.h>
#include <jpeglib.h>

typedef struct {
    struct jpeg_error_mgr manager;
    jmp_buf jump;
    char message[JMSG_LENGTH_MAX];
} her2mri_jpeg_error;

static void her2mri_jpeg_fail(j_common_ptr info) {
    her2mri_jpeg_error *error = (her2mri_jpeg_error *)info->err;
    (*info->err->format_message)(info, error->message);
    longjmp(error->jump, 1);
}

static void her2mri_jpeg_emit(j_common_ptr info, int level) {
    if (level < 0) { her2mri_jpeg_fail(info); } // a warning means corrupt data: refuse it
}

static void her2mri_jpeg_silent(j_common_ptr info) { (void)info; }

/// Decodes an 8-bit JPEG stream. With `out` NULL it only reads the header. Returns 0 on
/// success, 1 on a libjpeg error (`message` filled), 2 when the image is larger than
/// `capacity` bytes. The geometry goes to `width`, `height`, `components`, `precision`.
static inline int her2mri_jpeg_decode(const unsigned char *data, unsigned long size,
                                      unsigned char *out, size_t capacity,
                                      int *width, int *height, int *components, int *precision,
                                      char *message, size_t message_capacity) {
    struct jpeg_decompress_struct info;
    her2mri_jpeg_error error;
    int status = 0;
    info.err = jpeg_std_error(&error.manager);
    error.manager.error_exit = her2mri_jpeg_fail;
    error.manager.emit_message = her2mri_jpeg_emit;
    error.manager.output_message = her2mri_jpeg_silent;
    error.message[0] = 0;
    if (setjmp(error.jump)) {
        size_t i = 0;
        for (; message_capacity > 0 && i + 1 < message_capacity && error.message[i]; i++) message[i] = error.message[i];
        if (message_capacity > 0) message[i] = 0;
        jpeg_destroy_decompress(&info);
        return 1;
    }
    jpeg_create_decompress(&info);
    jpeg_mem_src(&info, data, size);
    jpeg_read_header(&info, TRUE);
    *width = (int)info.image_width;
    *height = (int)info.image_height;
    *components = info.num_components;
    *precision = info.data_precision;
    if (out != NULL) {
        jpeg_start_decompress(&info);
        size_t row_bytes = (size_t)info.output_width * (size_t)info.output_components;
        *components = info.output_components;
        if (row_bytes * (size_t)info.output_height > capacity) {
            status = 2;
        } else {
            while (info.output_scanline < info.output_height) {
                JSAMPROW row = out + (size_t)info.output_scanline * row_bytes;
                jpeg_read_scanlines(&info, &row, 1);
            }
            jpeg_finish_decompress(&info);
        }
    }
    jpeg_destroy_decompress(&info);
    return status;
}
