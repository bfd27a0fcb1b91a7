#!/usr/bin/env bash
# The normalise stage against its baselines, side by side in the same run: HEIC/AVIF per-file time
# of captiond's converter ÷ bare `heif-convert -q 95` on the same fixtures (target <= 1.2), the
# same for EXIF-only rotation (a size of whole blocks: jpegtran; one that is not: libheif's irot
# against the old re-encode) and alpha (8-bit, 10-bit, and each route's floor: bare heif-convert
# composing the overlay ÷ bare, bare PNG ÷ bare JPEG), HEIC images/s at the default heif-parallelism, MPO extraction and orientation-1 JPEG pass-through
# MB/s against a plain copy of the same files; JPEG orientation 2-8 per file, lossless jpegtran turn vs
# the old decode + re-encode (time and mean error), -trim vs re-encode for sizes without a perfect
# turn; zip unpack MB/s vs `unzip`.
# Usage: bench/normalise.sh [ROUNDS]    (default 3; needs target/classes: ./mvnw -B package -DskipTests)
# Prints: BENCH <name> <value> <unit>. HEIC ratios are medians of runs made back to back, so that a
# burst from another job on a shared machine moves them less.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
rounds=${1:-3}
command -v heif-enc >/dev/null || { echo "needs libheif's heif-enc (apt-get install libheif-examples)" >&2; exit 1; }
command -v heif-convert >/dev/null || { echo "needs libheif's tools (apt-get install libheif-examples)" >&2; exit 1; }
command -v jpegtran >/dev/null || { echo "needs jpegtran (apt-get install libjpeg-turbo-progs)" >&2; exit 1; }
command -v unzip >/dev/null || { echo "needs unzip (apt-get install unzip)" >&2; exit 1; }
cp_file=$(mktemp)
trap 'rm -f "$cp_file"' EXIT
(cd "$top" && mvn -B -q -o dependency:build-classpath -Dmdep.outputFile="$cp_file" >/dev/null)
classpath="$top/target/classes:$(cat "$cp_file")"

echo "# machine: $(nproc) cores; $(heif-convert --help 2>&1 | grep -m1 -o 'libheif version: [0-9.]*'); rounds: $rounds"
java -Xmx1g -cp "$classpath" "$top/bench/NormaliseBench.java" "$top/src/test/resources/fixtures/images" "$rounds" 2>/dev/null \
    | grep '^BENCH '
