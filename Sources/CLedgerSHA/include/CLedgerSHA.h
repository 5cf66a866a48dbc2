// SHA-256 compression with the x86 SHA extensions (SHA-NI), chosen at run time.
//
// This is only the block function: padding, buffering and the portable fallback live in the
// Swift module LedgerCrypto, which calls here only when ledger_sha256_has_shani() returns 1.
#ifndef CLEDGERSHA_H
#define CLEDGERSHA_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Returns 1 when this CPU executes SHA-NI, SSSE3 and SSE4.1 (everything the kernel uses),
/// else 0. Always 0 on architectures other than x86_64.
int ledger_sha256_has_shani(void);

/// Runs the SHA-256 compression function over `blockCount` consecutive 64-byte blocks.
///
/// `state` holds the eight working words H0..H7 in native integer order (not bytes).
/// `blocks` needs no alignment. Precondition: ledger_sha256_has_shani() returned 1. On an x86
/// CPU without SHA-NI the call dies with an illegal instruction; elsewhere it aborts.
void ledger_sha256_compress_shani(uint32_t state[8], const uint8_t *blocks, size_t blockCount);

#ifdef __cplusplus
}
#endif

#endif
