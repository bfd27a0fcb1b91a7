#!/usr/bin/env bash
# Review station response times and memory with a 2,000-image dataset (issue 12): the overview API,
# the members API, a contact-sheet page, its 48 thumbnails cold (made from the 1200x1800 members)
# and cached, caption saves; peak heap and RSS of the daemon (-Xmx256m) meanwhile. Cold and cached
# thumbnails are measured side by side in one run. The dataset is already normalised and captioned,
# so the pipeline is idle and the numbers are the station's.
# Usage: bench/review.sh [IMAGES]     (default 2000; needs target/captiond.jar)
# Prints: BENCH <name> <value> <unit>
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
jar="$top/target/captiond.jar"
n=${1:-2000}
fixture="$top/src/test/resources/fixtures/images/Landscape_6.jpg"
root=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$root"' EXIT

python3 "$top/bench/captioned-dataset.py" "$root" review_bench "$n" "$fixture" jpeg 1200 1800 \
    "photo of {dataset}, a waterfall seen from below, member {i}, mist over dark rocks"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
echo "# machine: $(nproc) cores, load average $(cut -d" " -f1-3 /proc/loadavg); $n members of $(( $(stat -c %s "$fixture") / 1024 )) KB (1200x1800 JPEG, captioned), java -Xmx256m"
(cd "$root" && exec java -Xmx256m -jar "$jar" --captiond.provider=basic --captiond.inbox="$root/inbox" \
    --captiond.work="$root/work" --captiond.outbox="$root/outbox" --captiond.failed="$root/failed" \
    --server.port="$port" --captiond.ui.password=bench-password >"$root/log" 2>&1) &
pid=$!
for _ in $(seq 1 300); do curl -fs "$base/actuator/health" >/dev/null 2>&1 && break; sleep 0.5; done

peak_heap_kb=0; peak_rss_kb=0
sample() {
    local heap rss
    heap=$(jstat -gc "$pid" 2>/dev/null | awk 'NR==2 {printf "%d", $3+$4+$6+$8}') || true
    [ -n "${heap:-}" ] && [ "$heap" -gt "$peak_heap_kb" ] && peak_heap_kb=$heap
    rss=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null) || true
    [ -n "${rss:-}" ] && [ "$rss" -gt "$peak_rss_kb" ] && peak_rss_kb=$rss
    return 0
}
auth=(-u captiond:bench-password)
# median of N timed requests, in ms
median() {
    local count=$1; shift
    for _ in $(seq 1 "$count"); do curl -s -o /dev/null -w '%{time_total}\n' "$@"; done \
        | sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[int((NR+1)/2)]*1000}'
}
# browser session for the pages
jar_file="$root/cookies"
token=$(curl -s -c "$jar_file" "$base/login" | grep -o 'name="_csrf" value="[^"]*"' | sed 's/.*value="//;s/"$//')
curl -s -b "$jar_file" -c "$jar_file" -o /dev/null --data-urlencode "username=captiond" \
    --data-urlencode "password=bench-password" --data-urlencode "_csrf=$token" "$base/login"

curl -s "${auth[@]}" -o /dev/null "$base/api/datasets"   # warm-up: index load, JIT
echo "BENCH review_api_datasets_${n} $(median 20 "${auth[@]}" "$base/api/datasets") ms"; sample
echo "BENCH review_api_members_${n} $(median 10 "${auth[@]}" "$base/api/datasets/review_bench/members") ms"; sample
echo "BENCH review_page_overview $(median 10 -b "$jar_file" "$base/") ms"; sample
echo "BENCH review_page_contact_sheet_${n} $(median 10 -b "$jar_file" "$base/datasets/review_bench") ms"; sample
page_bytes=$(curl -s -b "$jar_file" "$base/datasets/review_bench" | wc -c)
thumbs_on_page=$(curl -s -b "$jar_file" "$base/datasets/review_bench" | grep -o '/thumbnail' | wc -l)
echo "BENCH review_page_contact_sheet_size $(( page_bytes / 1024 )) KB"
echo "BENCH review_page_thumbnails_per_page $thumbs_on_page images"

# the first page's thumbnails: cold (made now), then cached, side by side
thumbs() {
    local t0 t1
    t0=$(date +%s%3N)
    for i in $(seq 0 $(( thumbs_on_page - 1 ))); do
        curl -s -b "$jar_file" -o /dev/null "$base/api/datasets/review_bench/members/$(printf 'img_%05d.jpg' "$i")/thumbnail"
    done
    t1=$(date +%s%3N)
    echo $(( t1 - t0 ))
}
cold=$(thumbs); sample
cached=$(thumbs); sample
echo "BENCH review_thumbnails_cold_${thumbs_on_page} $cold ms"
echo "BENCH review_thumbnails_cached_${thumbs_on_page} $cached ms"
awk -v c="$cold" -v w="$cached" 'BEGIN {printf "BENCH review_thumbnails_cold_over_cached %.1f x\n", c / (w > 0 ? w : 1)}'
thumb_kb=$(du -sk "$root/work/review_bench/.captiond/thumbs" | cut -f1)
echo "BENCH review_thumbnail_cache_per_image $(( thumb_kb / thumbs_on_page )) KB"

t0=$(date +%s%N)
for i in $(seq 0 19); do
    curl -s "${auth[@]}" -o /dev/null -X PUT -H 'Content-Type: text/plain' \
        --data "a waterfall over dark rocks, edit $i" "$base/api/datasets/review_bench/members/$(printf 'img_%05d.jpg' "$i")/caption"
done
echo "BENCH review_api_caption_save $(( ($(date +%s%N) - t0) / 20000000 )) ms"; sample
echo "BENCH review_find_replace_preview_${n} $(median 5 "${auth[@]}" -H 'Content-Type: application/json' \
    --data '{"find":"mist","with":"spray","regex":false,"apply":false}' "$base/api/datasets/review_bench/replace") ms"; sample
echo "BENCH review_daemon_peak_heap $(( peak_heap_kb / 1024 )) MB"
echo "BENCH review_daemon_peak_rss $(( peak_rss_kb / 1024 )) MB"
