#!/usr/bin/env bash
# Caption-stage throughput against a local Gemini-shaped server that counts arrivals per sliding
# window, side by side in one run: captiond with no concurrency set (adaptive) and the seeds' loop.
# Regimes: small rate-bound (20 images, 10 RPM, 1 s), rate-bound (120, 60 RPM, 3 s), both again
# with injected 5xx/timeouts, latency-bound (100, 600 RPM, 1 s) paced and bursting, and a local
# server (no limit, 2 slots, slower per neighbour) against a sweep of fixed concurrencies.
# Usage: bench/caption.sh [SCALE] [FAULT_RATE] [REGIMES]
#   SCALE multiplies every time (window, latency, pauses, timeouts): 1 = real time (about 25 minutes,
#   mostly the seeds' loop); 0.25 = four times faster. The limiter keeps a fixed 250 ms margin per
#   window, so a small scale weighs it more (0.25: about 2.5 % of a 15 s window).
#   FAULT_RATE: share of accepted requests that fail, half 503s, half timeouts (default 0.1).
#   REGIMES: comma-separated names to run only those (e.g. small_rate_bound,rate_bound_seed_loop).
# Prints: BENCH <name> <value> <unit>
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
cp_file=$(mktemp)
trap 'rm -f "$cp_file"' EXIT
./mvnw -B -q -o test-compile
./mvnw -B -q -o dependency:build-classpath -Dmdep.outputFile="$cp_file" >/dev/null 2>&1 \
    || ./mvnw -B -q dependency:build-classpath -Dmdep.outputFile="$cp_file" >/dev/null
classpath="$top/target/classes:$top/target/test-classes:$(cat "$cp_file")"
echo "# machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; endpoint and captiond in one JVM on loopback"
java -Xmx512m -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$classpath" "$top/bench/CaptionBench.java" "$@" 2>&1 \
    | grep --line-buffered -E "^(BENCH|#)"
