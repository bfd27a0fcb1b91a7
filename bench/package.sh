#!/usr/bin/env bash
# Zip throughput of the package stage against `zip -0` on the same >= 1 GB dataset, same run.
# Usage: bench/package.sh [SIZE_MB]    (default 1100; needs target/classes: ./mvnw -B package -DskipTests)
# Prints: BENCH <name> <value> <unit>
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
size_mb=${1:-1100}
command -v zip >/dev/null || { echo "needs zip (apt-get install zip)" >&2; exit 1; }
cp_file=$(mktemp)
(cd "$top" && mvn -B -q -o dependency:build-classpath -Dmdep.outputFile="$cp_file" >/dev/null)
classpath="$top/target/classes:$(cat "$cp_file")"

data=$(mktemp -d)
trap 'rm -rf "$data" "$cp_file"' EXIT
mkdir "$data/set"
# photo-sized incompressible members (4 MB, like a 12 MP JPEG) with a caption each
n=$(( size_mb / 4 ))
head -c $((4 * 1024 * 1024)) /dev/urandom > "$data/seed"
for i in $(seq -w 1 "$n"); do
    cp "$data/seed" "$data/set/img_$i.jpg"
    printf 'photo of bench_trigger, member %s\n' "$i" > "$data/set/img_$i.txt"
done
sync
total=$(du -sm "$data/set" | cut -f1)
echo "# machine: $(nproc) cores; dataset: $n x 4 MB + captions = ${total} MB (page cache warm for both)"

cat "$data"/set/* > /dev/null   # same cache state for both
t0=$(date +%s%3N); (cd "$data/set" && zip -0 -q "$data/ref.zip" ./*); ref_ms=$(( $(date +%s%3N) - t0 ))
rm -f "$data/ref.zip"
read -r ours_ms ours_bytes < <(java -Xmx256m -cp "$classpath" "$top/bench/ZipBench.java" "$data/set" "$data/ours.zip")
unzip -tq "$data/ours.zip" >/dev/null

echo "BENCH zip_captiond $(( total * 1000 / (ours_ms > 0 ? ours_ms : 1) )) MB/s"
echo "BENCH zip_zip0 $(( total * 1000 / (ref_ms > 0 ? ref_ms : 1) )) MB/s"
echo "BENCH zip_ratio_vs_zip0 $(awk -v a="$ref_ms" -v b="$ours_ms" 'BEGIN{printf "%.2f", a/b}') ratio"
