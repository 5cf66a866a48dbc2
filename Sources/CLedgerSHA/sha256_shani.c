// SHA-256 block function with the x86 SHA extensions.
//
// The functions carry __attribute__((target(...))) instead of the package passing -msha:
// unsafeFlags would make this package unusable as a versioned dependency (see
// notes/swift-linux.md (c)). The structure follows Intel's published SHA-NI sample: the state
// is kept as two vectors ABEF and CDGH, each sha256rnds2 does two rounds, and sha256msg1/2
// expand the message schedule four words at a time.
#include "CLedgerSHA.h"

#include <stdlib.h>

#if defined(__x86_64__)

#include <cpuid.h>
#include <immintrin.h>

int ledger_sha256_has_shani(void) {
    unsigned int eax = 0, ebx = 0, ecx = 0, edx = 0;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return 0;
    const int hasSSSE3 = (ecx >> 9) & 1;
    const int hasSSE41 = (ecx >> 19) & 1;
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return 0;
    const int hasSHA = (ebx >> 29) & 1;
    return hasSSSE3 && hasSSE41 && hasSHA;
}

// The 64 round constants (FIPS 180-4, 4.2.2), aligned so each group of four is one load.
static const uint32_t ledger_sha256_k[64] __attribute__((aligned(16))) = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

// Four rounds on message words `w` (already expanded) with constants group `group`.
#define ROUNDS4(w, group)                                                                  \
    do {                                                                                   \
        __m128i wk = _mm_add_epi32((w),                                                    \
            _mm_load_si128((const __m128i *)&ledger_sha256_k[4 * (group)]));               \
        cdgh = _mm_sha256rnds2_epu32(cdgh, abef, wk);                                      \
        wk = _mm_shuffle_epi32(wk, 0x0E);                                                  \
        abef = _mm_sha256rnds2_epu32(abef, cdgh, wk);                                      \
    } while (0)

// Finishes the next four schedule words: next += W[t-7..t-4] (straddling prev/cur), then the
// sigma1 part. Must run before MSG1 rewrites `prev`, because the alignr reads it.
#define EXPAND(next, cur, prev)                                                            \
    (next) = _mm_sha256msg2_epu32(_mm_add_epi32((next), _mm_alignr_epi8((cur), (prev), 4)), (cur))

// Starts schedule words four groups ahead: prev += sigma0 of the following words.
#define MSG1(prev, cur) (prev) = _mm_sha256msg1_epu32((prev), (cur))

__attribute__((target("sha,sse4.1,ssse3")))
static void ledger_sha256_blocks(__m128i *abefInOut, __m128i *cdghInOut,
                                 const uint8_t *blocks, size_t blockCount) {
    // Byte swap within each 32-bit word: message words are big-endian.
    const __m128i byteSwap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
    __m128i abef = *abefInOut, cdgh = *cdghInOut;
    for (size_t index = 0; index < blockCount; index++, blocks += 64) {
        const __m128i abefSaved = abef, cdghSaved = cdgh;
        __m128i m0 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(blocks + 0)), byteSwap);
        __m128i m1 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(blocks + 16)), byteSwap);
        __m128i m2 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(blocks + 32)), byteSwap);
        __m128i m3 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(blocks + 48)), byteSwap);
        ROUNDS4(m0, 0);
        ROUNDS4(m1, 1);  MSG1(m0, m1);
        ROUNDS4(m2, 2);  MSG1(m1, m2);
        ROUNDS4(m3, 3);  EXPAND(m0, m3, m2); MSG1(m2, m3);
        ROUNDS4(m0, 4);  EXPAND(m1, m0, m3); MSG1(m3, m0);
        ROUNDS4(m1, 5);  EXPAND(m2, m1, m0); MSG1(m0, m1);
        ROUNDS4(m2, 6);  EXPAND(m3, m2, m1); MSG1(m1, m2);
        ROUNDS4(m3, 7);  EXPAND(m0, m3, m2); MSG1(m2, m3);
        ROUNDS4(m0, 8);  EXPAND(m1, m0, m3); MSG1(m3, m0);
        ROUNDS4(m1, 9);  EXPAND(m2, m1, m0); MSG1(m0, m1);
        ROUNDS4(m2, 10); EXPAND(m3, m2, m1); MSG1(m1, m2);
        ROUNDS4(m3, 11); EXPAND(m0, m3, m2); MSG1(m2, m3);
        ROUNDS4(m0, 12); EXPAND(m1, m0, m3); MSG1(m3, m0);
        ROUNDS4(m1, 13); EXPAND(m2, m1, m0);
        ROUNDS4(m2, 14); EXPAND(m3, m2, m1);
        ROUNDS4(m3, 15);
        abef = _mm_add_epi32(abef, abefSaved);
        cdgh = _mm_add_epi32(cdgh, cdghSaved);
    }
    *abefInOut = abef;
    *cdghInOut = cdgh;
}

__attribute__((target("sha,sse4.1,ssse3")))
void ledger_sha256_compress_shani(uint32_t state[8], const uint8_t *blocks, size_t blockCount) {
    // The caller checked ledger_sha256_has_shani() once (it is cached on the Swift side);
    // repeating cpuid here would cost more than hashing a short message.
    if (blockCount == 0) return;
    if (state == NULL || blocks == NULL) abort();
    // state[0..3] = A B C D and state[4..7] = E F G H; sha256rnds2 wants ABEF and CDGH.
    __m128i dcba = _mm_loadu_si128((const __m128i *)&state[0]);
    __m128i hgfe = _mm_loadu_si128((const __m128i *)&state[4]);
    __m128i cdab = _mm_shuffle_epi32(dcba, 0xB1);
    __m128i efgh = _mm_shuffle_epi32(hgfe, 0x1B);
    __m128i abef = _mm_alignr_epi8(cdab, efgh, 8);
    __m128i cdgh = _mm_blend_epi16(efgh, cdab, 0xF0);
    ledger_sha256_blocks(&abef, &cdgh, blocks, blockCount);
    // Undo the ABEF/CDGH arrangement.
    __m128i feba = _mm_shuffle_epi32(abef, 0x1B);
    __m128i dchg = _mm_shuffle_epi32(cdgh, 0xB1);
    _mm_storeu_si128((__m128i *)&state[0], _mm_blend_epi16(feba, dchg, 0xF0));
    _mm_storeu_si128((__m128i *)&state[4], _mm_alignr_epi8(dchg, feba, 8));
}

#else

int ledger_sha256_has_shani(void) { return 0; }

void ledger_sha256_compress_shani(uint32_t state[8], const uint8_t *blocks, size_t blockCount) {
    // Only reachable if the Swift side ignored has_shani() == 0: a programmer error.
    (void)state; (void)blocks; (void)blockCount;
    abort();
}

#endif
