#!/usr/bin/env bash
# Runs every benchmark in bench/ and writes BENCHMARKS.md: the machine, the command lines and every
# BENCH line. Ratios inside each script are measured side by side in the same run.
# Usage: bench/run-all.sh      (builds the jar first)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
./mvnw -B -q package -DskipTests
out=$(mktemp)
scripts=(bench/pickup.sh bench/package.sh bench/memory.sh)
for extra in bench/normalise.sh bench/caption.sh bench/upload.sh bench/review.sh bench/video.sh; do [ -x "$extra" ] && scripts+=("$extra"); done
{
    echo "# captiond benchmarks"
    echo
    echo "Written by \`bench/run-all.sh\` on $(date -u +%Y-%m-%d). Rerun it to refresh; each script can also run alone."
    echo
    echo "## Machine"
    echo
    echo "- $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/{print $2}') GiB RAM"
    echo "- $(java -version 2>&1 | head -1)"
    echo "- $(heif-convert --help 2>&1 | grep -m1 -o 'libheif version: [0-9.]*' || echo 'heif-convert: not installed')"
    echo
    for script in "${scripts[@]}"; do
        echo "## \`$script\`"
        echo
        echo '```'
        bash "$script" 2>&1 | sed 's/\x1b\[[0-9;]*m//g' | tee -a "$out"
        echo '```'
        echo
    done
} > BENCHMARKS.md.tmp
mv BENCHMARKS.md.tmp BENCHMARKS.md
grep '^BENCH ' "$out"
rm -f "$out"
