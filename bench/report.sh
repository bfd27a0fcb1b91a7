#!/usr/bin/env bash
# Dataset insight report: its time beside the rest of the pipeline, and peak heap.
#   bench/report.sh full [IMAGES] [WxH]     drop IMAGES photos + trigger.done into the inbox, run the jar in
#                                           once mode (normalise, caption with the offline `basic` captioner,
#                                           package, report) and put the report's time beside the rest of the run
#   bench/report.sh package [IMAGES] [WxH]  members already normalised and captioned (as bench/memory.sh):
#                                           the run is the package stage + report, java -Xmx256m, peak heap
# Defaults: full 1000 4032x3024 (12 MP, a phone photo). Needs target/captiond.jar and ffmpeg.
# The photos: 40 distinct bases made with ffmpeg from the repository's fixture photos (crops, hue
# shifts, scaled to WxH); the members are copies of them, each made unique by a JPEG comment
# (so no exact duplicates; copies of one base are near-duplicates, as burst shots are).
# Prints: BENCH <name> <value> <unit>
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
jar="${CAPTIOND_JAR:-$top/target/captiond.jar}"
mode=${1:-full}
n=${2:-1000}
size=${3:-4032x3024}
w=${size%x*}; h=${size#*x}
fixtures="$top/src/test/resources/fixtures/images"
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
[ -f "$jar" ] || { echo "needs $jar (./mvnw -B package -DskipTests)" >&2; exit 1; }

mkdir -p "$root/bases"
srcs=(Landscape_6.jpg Portrait_5.jpg samsung_gt-i9000_orientation6.jpg flower.webp)
for i in $(seq 0 39); do
    src=${srcs[$((i % 4))]}
    ffmpeg -v error -y -i "$fixtures/$src" -vf "crop=iw*0.8:ih*0.8:iw*0.05*$((i % 5)):ih*0.05*$((i % 4)),scale=$w:$h,hue=h=$((i * 37 % 360)):s=1.$((i % 7))" \
        -q:v 3 "$root/bases/base_$i.jpg"
done

python3 - "$root" "$n" "$mode" "$w" "$h" <<'PY'
import json, os, sys
root, n, mode, w, h = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
bases = [open(os.path.join(root, "bases", "base_%d.jpg" % i), "rb").read() for i in range(40)]
words = ["red", "car", "garden", "street", "portrait", "flower", "mountain", "lake", "smiling", "window", "night", "sunlight"]
inbox = os.path.join(root, "inbox", "report_bench")
work = os.path.join(root, "work", "report_bench")
os.makedirs(inbox)
if mode == "package":
    os.makedirs(os.path.join(work, ".captiond", "records"))
for i in range(n):
    name = "img_%05d.jpg" % i
    base = bases[i % 40]
    note = b"captiond-bench-%d" % i  # a JPEG comment right after SOI: a valid, unique file
    data = base[:2] + b"\xff\xfe" + (len(note) + 2).to_bytes(2, "big") + note + base[2:]
    target = os.path.join(work if mode == "package" else inbox, name)
    with open(target, "wb") as f:
        f.write(data)
    if mode == "package":
        caption = "photo of report_bench, a %s %s near a %s" % (words[i % 12], words[(i // 12) % 12], words[(i // 7) % 12])
        with open(os.path.join(work, "img_%05d.txt" % i), "w") as f:
            f.write(caption + "\n")
        rec = {"source": name, "sourceFormat": "jpeg", "sourceBytes": len(data), "output": name, "format": "jpeg",
               "width": w, "height": h, "bytes": len(data), "warnings": [], "captioner": "basic",
               "normalisedAt": "2026-11-25T00:00:00Z", "captionedAt": "2026-11-25T00:00:01Z"}
        with open(os.path.join(work, ".captiond", "records", name + ".json"), "w") as f:
            json.dump(rec, f)
open(os.path.join(inbox, "trigger.done"), "w").close()
PY
mb=$( (du -sm "$root/inbox" "$root/work" 2>/dev/null || true) | awk '{s+=$1} END {print s}')
echo "# machine: $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg); mode $mode; $n photos ${w}x${h} ($mb MB); java -Xmx256m"

t0=$(date +%s%3N)
(cd "$root" && exec java -Xmx256m -jar "$jar" --captiond.once=true --captiond.provider=basic --captiond.inbox="$root/inbox" \
    --captiond.work="$root/work" --captiond.outbox="$root/outbox" --captiond.failed="$root/failed" \
    --captiond.once-mode.max-wait=2h --captiond.watch.quiet-period=1s >"$root/log" 2>&1) &
pid=$!
peak_heap_kb=0
while kill -0 "$pid" 2>/dev/null; do
    heap=$(jstat -gc "$pid" 2>/dev/null | awk 'NR==2 {printf "%d", $3+$4+$6+$8}') || true
    [ -n "${heap:-}" ] && [ "$heap" -gt "$peak_heap_kb" ] && peak_heap_kb=$heap
    sleep 0.5
done
code=0; wait "$pid" || code=$?
total_ms=$(( $(date +%s%3N) - t0 ))
[ "$code" -eq 0 ] || { echo "captiond exited with $code" >&2; tail -30 "$root/log" >&2; exit 1; }
report_ms=$(grep -o "Report of dataset 'report_bench'.* in [0-9]* ms" "$root/log" | grep -o '[0-9]* ms$' | cut -d' ' -f1 || true)
[ -n "$report_ms" ] || { echo "no report in the log" >&2; grep -E 'WARN|ERROR' "$root/log" | tail -20 >&2; exit 1; }
packaging_ms=$(grep -o '"packagingMillis" : [0-9]*' "$root/outbox/report_bench_training.json" | awk '{print $3}')
started_ms=$(grep -o 'Started CaptiondApplication in [0-9.]* seconds' "$root/log" | awk '{printf "%d", $4 * 1000}')
pipeline_ms=$(( total_ms - started_ms - report_ms ))
echo "BENCH report_${n}_time $report_ms ms"
echo "BENCH report_${n}_html $(( $(stat -c %s "$root/outbox/report_bench_report.html") / 1024 )) KB"
echo "BENCH run_${n}_peak_heap $(( peak_heap_kb / 1024 )) MB"
echo "BENCH run_${n}_packaging_with_report $packaging_ms ms"
if [ "$mode" = full ]; then
    echo "BENCH run_${n}_normalise_caption_package $pipeline_ms ms (run after start-up, report excluded)"
    echo "BENCH report_${n}_share_of_pipeline $(awk -v a="$report_ms" -v b="$pipeline_ms" 'BEGIN{printf "%.3f", a/b}') ratio"
    echo "BENCH caption_${n}_at_60rpm_floor $(( n * 1000 )) ms (a provider at 60 requests/minute, rate alone)"
    echo "BENCH report_${n}_share_at_60rpm $(awk -v a="$report_ms" -v b="$n" 'BEGIN{printf "%.3f", a/(b*1000)}') ratio"
fi
