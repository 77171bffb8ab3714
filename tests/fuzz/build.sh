#!/bin/sh
# Builds the libFuzzer harnesses into $1 (default build/fuzz) with clang-19,
# AddressSanitizer and UndefinedBehaviorSanitizer, straight from the sources.
set -eu
cd "$(dirname "$0")/../.."
out=${1:-build/fuzz}
mkdir -p "$out"
flags="-g -O1 -std=c11 -D_GNU_SOURCE -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -Ibase -Ifrontend -Ilink"
clang-19 $flags tests/fuzz/fuzz_sig.c base/*.c frontend/*.c -o "$out/fuzz_sig"
clang-19 $flags tests/fuzz/fuzz_decode.c base/*.c frontend/*.c -o "$out/fuzz_decode"
clang-19 $flags tests/fuzz/fuzz_link.c link/link.c link/system.c link/elf/*.c -lelf -o "$out/fuzz_link"
