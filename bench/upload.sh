#!/usr/bin/env bash
# Client heap while uploading a 95 MiB zip (just under Replicate's 100 MiB files limit) to a local
# files-API sink: captiond's streamed multipart body against the body built in memory, same run.
# The figure that matters is the smallest -Xmx each mode completes in (16, 32, 64 ... 512 MB tried).
# Usage: bench/upload.sh [SIZE_MB]   (default 95; needs target/classes: ./mvnw -B package -DskipTests)
# Prints: BENCH <name> <value> <unit>
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
size_mb=${1:-95}
cp_file=$(mktemp)
(cd "$top" && mvn -B -q -o dependency:build-classpath -Dmdep.outputFile="$cp_file" >/dev/null)
classpath="$top/target/classes:$(cat "$cp_file")"
data=$(mktemp -d)
trap 'rm -rf "$data" "$cp_file"' EXIT
head -c $((size_mb * 1024 * 1024)) /dev/urandom > "$data/bench_training.zip"
# compiled ahead, so that the heap limits below measure the upload and not the source launcher's javac
javac -d "$data/classes" -cp "$classpath" "$top/bench/UploadBench.java"
classpath="$data/classes:$classpath"
echo "# machine: $(nproc) cores; upload of ${size_mb} MiB to 127.0.0.1; each mode in its own JVM (-Xmx512m)"

read -r _ stream_ms stream_mb < <(java -Xmx512m -cp "$classpath" UploadBench "$data/bench_training.zip" stream)
read -r _ buffer_ms buffer_mb < <(java -Xmx512m -cp "$classpath" UploadBench "$data/bench_training.zip" buffer)

# peak "used" counts garbage not yet collected; the smallest heap each mode completes in is the real need
min_heap() {
    for mb in 16 32 64 128 256 512; do
        # an OutOfMemoryError on an HTTP client thread would leave main waiting: exit on it, and time out
        if timeout 120 java -Xmx${mb}m -XX:+ExitOnOutOfMemoryError -cp "$classpath" UploadBench \
                "$data/bench_training.zip" "$1" >/dev/null 2>&1; then
            echo "$mb"; return
        fi
    done
    echo "-1"
}
stream_min=$(min_heap stream)
buffer_min=$(min_heap buffer)
echo "BENCH upload_streamed_min_heap ${stream_min} MB"
echo "BENCH upload_buffered_min_heap ${buffer_min} MB"
echo "BENCH upload_min_heap_ratio_buffered_vs_streamed $(awk -v a="$buffer_min" -v b="$stream_min" 'BEGIN{printf "%.1f", a/b}') ratio"
echo "BENCH upload_streamed_time ${stream_ms} ms"
echo "BENCH upload_buffered_time ${buffer_ms} ms"
echo "# peak heap at -Xmx512m (garbage included): streamed ${stream_mb} MB, buffered ${buffer_mb} MB"
