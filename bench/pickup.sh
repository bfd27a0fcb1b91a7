#!/usr/bin/env bash
# Drop-to-sidecar latency of the watch stage, 1 file and a 200-file drop, for captiond's
# quiet-period filter and, side by side in the same run, for Camel's readLock=changed.
# Usage: bench/pickup.sh            (needs target/captiond.jar: ./mvnw -B package -DskipTests)
# Prints: BENCH <name> <value> <unit>
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
jar="$top/target/captiond.jar"
fixture="$top/src/test/resources/fixtures/images/flower.webp"
[ -f "$jar" ] || { echo "build the jar first: ./mvnw -B package -DskipTests" >&2; exit 1; }

now_ms() { date +%s%3N; }

# wait_for DIR COUNT: until DIR holds COUNT .txt sidecars
wait_for() {
    local dir=$1 count=$2 deadline=$(( $(now_ms) + 600000 ))
    while :; do
        n=$( (find "$dir" -maxdepth 1 -name '*.txt' 2>/dev/null || true) | wc -l)
        [ "$n" -ge "$count" ] && return 0
        [ "$(now_ms)" -gt "$deadline" ] && { echo "timed out waiting for $count sidecars in $dir" >&2; return 1; }
        sleep 0.02
    done
}

# drop DIR N: N copies land in DIR by rename (as rsync/NAS clients finish a file)
drop() {
    local dir=$1 n=$2
    mkdir -p "$dir"
    for i in $(seq 1 "$n"); do cp "$fixture" "$dir/.tmp-$i"; done
    for i in $(seq 1 "$n"); do mv "$dir/.tmp-$i" "$dir/img_$i.webp"; done
}

run() {   # run NAME ROUTES_PATTERN EXTRA_ARGS...
    local name=$1 routes=$2; shift 2
    local root; root=$(mktemp -d)
    mkdir -p "$root/inbox"
    (cd "$root" && exec java -jar "$jar" --captiond.inbox="$root/inbox" --captiond.work="$root/work" \
        --captiond.outbox="$root/outbox" --captiond.failed="$root/failed" --server.port=0 \
        --camel.main.routes-include-pattern="$routes" "$@" >"$root/log" 2>&1) &
    local pid=$!
    until grep -q "Started CaptiondApplication" "$root/log" 2>/dev/null; do sleep 0.1; done
    sleep 1
    local t0; t0=$(now_ms); drop "$root/inbox/one_ds" 1; wait_for "$root/work/one_ds" 1
    echo "BENCH pickup_1_file_$name $(( $(now_ms) - t0 )) ms"
    t0=$(now_ms); drop "$root/inbox/many_ds" 200; wait_for "$root/work/many_ds" 200
    echo "BENCH pickup_200_files_$name $(( $(now_ms) - t0 )) ms"
    kill "$pid"; wait "$pid" 2>/dev/null || true
    rm -rf "$root"
}

echo "# machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; input: flower.webp (30 KB), basic captioner"
echo "# captiond: quiet-period 2s, poll 1s (defaults)"
run quiet_filter "file:$top/routes/*.camel.yaml"

# Camel's readLock=changed (defaults: check interval 1 s) in an otherwise identical copy of the routes
alt=$(mktemp -d)
cp "$top"/routes/*.camel.yaml "$alt/"
python3 - "$alt/watch.camel.yaml" <<'PY'
import sys
p = sys.argv[1]
s = open(p).read()
s = s.replace('        readLock: none\n        filter: "#inboxFileFilter"', '        readLock: changed\n        readLockMarkerFile: false\n        filter: "#inboxFileFilter"', 1)
open(p, "w").write(s)
PY
echo "# camel readLock=changed: same routes, quiet-period 0 (the filter only skips control files)"
run camel_changed "file:$alt/*.camel.yaml" --captiond.watch.quiet-period=0s
rm -rf "$alt"
