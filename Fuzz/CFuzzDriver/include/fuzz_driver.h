#ifndef WILDGUARD_FUZZ_DRIVER_H
#define WILDGUARD_FUZZ_DRIVER_H

#include <stddef.h>
#include <stdint.h>

/// libFuzzer's driver (compiler-rt, FuzzerDriver.cpp), linked in by `-sanitize=fuzzer`. The fuzz
/// targets call it from their own `main` because SwiftPM links every executable with
/// `--defsym main=<Target>_main`, which leaves no room for libFuzzer's `main`. Declared here, not
/// in Swift, so that it is called with the C calling convention. Only referenced when the targets
/// are built with `-D WILDGUARD_LIBFUZZER`.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
