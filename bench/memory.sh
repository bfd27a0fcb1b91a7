#!/usr/bin/env bash
# Peak heap and RSS while captiond packages a 10,000-image dataset (target: heap <= 256 MB),
# plus start-up time to the first inbox poll. Runs the real jar in once mode with -Xmx256m on a
# dataset whose members are already normalised and captioned, so the run is the package stage.
# Usage: bench/memory.sh [IMAGES]     (default 10000; needs target/captiond.jar)
# Prints: BENCH <name> <value> <unit>
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
jar="$top/target/captiond.jar"
n=${1:-10000}
fixture="$top/src/test/resources/fixtures/images/flower.webp"
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT

python3 "$top/bench/captioned-dataset.py" "$root" mem_bench "$n" "$fixture" webp 480 360 "photo of {dataset}, member {i}"
touch "$root/inbox/mem_bench/trigger.done"
echo "# machine: $(nproc) cores; $n members of 30 KB (already captioned), java -Xmx256m, once mode"

t0=$(date +%s%3N)
(cd "$root" && exec java -Xmx256m -jar "$jar" --captiond.once=true --captiond.inbox="$root/inbox" \
    --captiond.work="$root/work" --captiond.outbox="$root/outbox" --captiond.failed="$root/failed" >"$root/log" 2>&1) &
pid=$!
peak_heap_kb=0; peak_rss_kb=0; first_poll_ms=""
while kill -0 "$pid" 2>/dev/null; do
    if [ -z "$first_poll_ms" ] && grep -q "Started CaptiondApplication" "$root/log" 2>/dev/null; then
        first_poll_ms=$(( $(date +%s%3N) - t0 ))
    fi
    heap=$(jstat -gc "$pid" 2>/dev/null | awk 'NR==2 {printf "%d", $3+$4+$6+$8}') || true
    [ -n "${heap:-}" ] && [ "$heap" -gt "$peak_heap_kb" ] && peak_heap_kb=$heap
    rss=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null) || true
    [ -n "${rss:-}" ] && [ "$rss" -gt "$peak_rss_kb" ] && peak_rss_kb=$rss
    sleep 0.2
done
wait "$pid"; code=$?
total_ms=$(( $(date +%s%3N) - t0 ))
[ "$code" -eq 0 ] || { tail -30 "$root/log"; exit 1; }
entries=$(unzip -l "$root/outbox/mem_bench_training.zip" | tail -1 | awk '{print $2}')
[ "$entries" -eq $((2 * n)) ] || { echo "zip has $entries entries, expected $((2 * n))" >&2; exit 1; }
echo "BENCH package_${n}_peak_heap $(( peak_heap_kb / 1024 )) MB"
echo "BENCH package_${n}_peak_rss $(( peak_rss_kb / 1024 )) MB"
echo "BENCH package_${n}_run_total $total_ms ms"
echo "BENCH startup_to_first_poll ${first_poll_ms:-0} ms"
grep -o "packagingMillis\" : [0-9]*" "$root/outbox/mem_bench_training.json" | awk '{print "BENCH package_'"$n"'_packaging " $3 " ms"}'
