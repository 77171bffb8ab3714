#!/bin/sh
# Fuzzes each harness for SECONDS (default 20) from the seed corpus, after
# replaying every saved regression input. Crashes found are left in
# build/fuzz/crashes/<harness>/ and fail the run.
#     tests/fuzz/run.sh [SECONDS]
set -eu
cd "$(dirname "$0")/../.."
seconds=${1:-20}
tests/fuzz/build.sh build/fuzz
status=0
for h in sig decode link; do
    bin=build/fuzz/fuzz_$h
    regressions=$(find tests/fuzz/regressions/$h -type f ! -name .gitkeep)
    if [ -n "$regressions" ]; then
        # shellcheck disable=SC2086
        $bin $regressions > build/fuzz/$h-replay.log 2>&1 || { echo "fuzz_$h: a regression input fails"; status=1; }
    fi
    corpus=build/fuzz/corpus/$h
    mkdir -p "$corpus" build/fuzz/crashes/$h
    cp -n tests/fuzz/seeds/$h/* "$corpus"/ 2>/dev/null || true
    if $bin -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -artifact_prefix=build/fuzz/crashes/$h/ \
        "$corpus" > build/fuzz/$h.log 2>&1; then
        echo "fuzz_$h: $(grep -c . "$corpus"/* 2>/dev/null | wc -l) corpus inputs, no crash in $seconds s"
    else
        echo "fuzz_$h: CRASH, see build/fuzz/$h.log and build/fuzz/crashes/$h/"
        tail -30 build/fuzz/$h.log
        status=1
    fi
done
exit $status
