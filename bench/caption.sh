#!/usr/bin/env bash
# Caption-stage throughput against a local Gemini-shaped endpoint with latency and a rate limit,
# rate-bound (120 images, 60 RPM, 3 s) and latency-bound (100 images, 600 RPM, 1 s), for captiond's
# provider limiter and, same endpoint and same run, for the seeds' sequential loop.
# Usage: bench/caption.sh [SCALE] [CONCURRENCY] [FAULT_RATE] [rate_bound|latency_bound|adaptive]
#   (default: both regimes; adaptive: no configured rpm against a 60 RPM server, informational)
#   SCALE multiplies every time (window, latency, pauses): 1 (default) = real time, about 18 minutes
#   (mostly the seeds' loop); 0.1 = ten times faster, same ratios except that fixed per-request costs
#   weigh ten times more (latency-bound efficiency 0.90 at 0.1, 0.95 at 0.25, 0.97 at 1 on 2 cores).
#   FAULT_RATE adds random 503s (default 0).
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
    | grep -E '^(BENCH|#)'
