// OpenSSL's libcrypto from Debian (libssl-dev): only the one-shot SHA-256. libcrypto picks the
// processor's SHA extensions (SHA-NI) or its AVX2 / SSSE3 code at run time.
#include <stddef.h>
#include <openssl/sha.h>

// A wrapper so Swift code whose own type is called SHA256 can reach the C function unambiguously.
static inline void her2mri_sha256(const void *bytes, size_t count, unsigned char digest[32]) {
    SHA256((const unsigned char *)bytes, count, digest);
}
