#!/usr/bin/env bash
# The video path against bare ffmpeg, side by side in the same run (clips generated here by ffmpeg):
# probe time of captiond's VideoProbe ÷ bare `ffprobe` with the same arguments; per-clip time of
# captiond's whole video normalise (probe + transcode + probe of the member) ÷ the same three steps
# bare: `ffprobe`, `ffmpeg` with the same transcode arguments, `ffprobe` of the result (target <= 1.1); pass-through MB/s (demux check + copy) against a plain
# copy; caption throughput for clips (frame sampling + one request with the frames) against a local
# OpenAI-compatible endpoint that answers at once.
# Usage: bench/video.sh [ROUNDS]    (default 3; needs target/classes: ./mvnw -B package -DskipTests)
# Prints: BENCH <name> <value> <unit>
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
rounds=${1:-3}
command -v ffmpeg >/dev/null && command -v ffprobe >/dev/null || { echo "needs ffmpeg (apt-get install ffmpeg)" >&2; exit 1; }
cp_file=$(mktemp)
trap 'rm -f "$cp_file"' EXIT
(cd "$top" && mvn -B -q -o dependency:build-classpath -Dmdep.outputFile="$cp_file" >/dev/null)
classpath="$top/target/classes:$(cat "$cp_file")"

echo "# machine: $(nproc) cores; $(ffmpeg -version | head -1 | cut -d' ' -f1-3); rounds: $rounds"
java -Xmx1g -cp "$classpath" "$top/bench/VideoBench.java" "$rounds" 2>/dev/null | grep '^BENCH '
