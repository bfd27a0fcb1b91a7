#!/usr/bin/env bash
# Start-up time of the packaged jar, median of RUNS cold runs (a new JVM each), in two modes:
#   once:  `--captiond.once=true` over an empty inbox, launch to exit;
#   poll:  the daemon, launch to the watch route's first inbox poll (Camel's file consumer logs
#          "Took … to poll" at DEBUG; only that logger is raised).
# Each variant runs with the same jar side by side in one run: plain `java -jar`, and bin/captiond
# (the extracted jar with a CDS archive made by one training run; once mode with the JIT's quick tier).
# With BEFORE=<commit>, a third variant runs that commit's routes/ (from ./routes in the working
# folder, which captiond prefers to the jar's copy) with the same jar: the routes' part of a change.
# With BEFORE_JAR=<jar>, a variant runs that jar plainly (an older build: before/after in one run).
# With BEFORE_LAUNCHER=<commit>, a variant runs that commit's bin/captiond (its own archive) on this jar.
# With BEFORE_LAUNCHED_JAR=<jar>, a variant runs that older jar through this bin/captiond (its own
# archive): a change to the jar's code, before/after, both started the fast way.
# Usage: [BEFORE=<commit>] [BEFORE_JAR=<jar>] [BEFORE_LAUNCHER=<commit>] [BEFORE_LAUNCHED_JAR=<jar>] bench/startup.sh [RUNS] [JAR]   (default 5, target/captiond.jar; build
#        it first: ./mvnw -B package -DskipTests)
# Prints: BENCH <name> <value> <unit>
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-5}
jar=$(cd "$top" && realpath "${2:-target/captiond.jar}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for dir in run before; do mkdir -p "$work/$dir/inbox" "$work/$dir/outbox" "$work/$dir/work" "$work/$dir/failed"; done
if [ -n "${BEFORE:-}" ]; then
    mkdir -p "$work/before/routes"
    git -C "$top" archive "$BEFORE" routes | tar -x -C "$work/before"
fi
cd "$work/run" # no routes/ folder here: the routes inside the jar load, as for an installed jar

# bin/captiond: the extracted jar and its CDS archive, prepared once (not timed), as users run it
export CAPTIOND_JAR="$work/launcher/$(basename "$jar")" CAPTIOND_CDS_DIR="$work/launcher/cds"
mkdir -p "$work/launcher" && cp "$jar" "$CAPTIOND_JAR"
"$top/bin/captiond" --prepare
if [ -n "${BEFORE_LAUNCHED_JAR:-}" ]; then
    mkdir -p "$work/launched-before" && cp "$BEFORE_LAUNCHED_JAR" "$work/launched-before/captiond.jar"
    CAPTIOND_JAR="$work/launched-before/captiond.jar" CAPTIOND_CDS_DIR="$work/launched-before/cds" "$top/bin/captiond" --prepare
fi
if [ -n "${BEFORE_LAUNCHER:-}" ]; then
    git -C "$top" show "$BEFORE_LAUNCHER:bin/captiond" >"$work/launcher-before" && chmod +x "$work/launcher-before"
    mkdir -p "$work/launcher-before-jar" && cp "$jar" "$work/launcher-before-jar/"
    CAPTIOND_JAR="$work/launcher-before-jar/$(basename "$jar")" CAPTIOND_CDS_DIR="$work/launcher-before-jar/cds" \
        "$work/launcher-before" --prepare
fi

now_ms() { date +%s%3N; }

once_run() { # $@: java command up to -jar JAR
    local t0; t0=$(now_ms)
    "$@" --captiond.once=true >"$work/once.log" 2>&1
    echo $(( $(now_ms) - t0 ))
}

poll_run() {
    local t0 pid ms=""; t0=$(now_ms)
    "$@" --server.port=0 --logging.level.org.apache.camel.component.file.GenericFileConsumer=DEBUG >"$work/poll.log" 2>&1 &
    pid=$!
    while [ $(( $(now_ms) - t0 )) -lt 300000 ]; do
        if grep -q "to poll: " "$work/poll.log" 2>/dev/null; then ms=$(( $(now_ms) - t0 )); break; fi
        sleep 0.05
    done
    kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true
    echo "${ms:-NaN}"
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

echo "# $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $runs cold runs each; java $(java -version 2>&1 | head -1)"
for variant in before before_jar plain launcher_before launched_before_jar launcher; do
    cd "$work/run"
    if [ "$variant" = before ]; then
        [ -n "${BEFORE:-}" ] || continue
        cd "$work/before"; cmd=(java -jar "$jar")
    elif [ "$variant" = before_jar ]; then
        [ -n "${BEFORE_JAR:-}" ] || continue
        cmd=(java -jar "$(realpath "$BEFORE_JAR")")
    elif [ "$variant" = plain ]; then cmd=(java -jar "$jar")
    elif [ "$variant" = launched_before_jar ]; then
        [ -n "${BEFORE_LAUNCHED_JAR:-}" ] || continue
        cmd=(env CAPTIOND_JAR="$work/launched-before/captiond.jar" CAPTIOND_CDS_DIR="$work/launched-before/cds" "$top/bin/captiond")
    elif [ "$variant" = launcher_before ]; then
        [ -n "${BEFORE_LAUNCHER:-}" ] || continue
        cmd=(env CAPTIOND_JAR="$work/launcher-before-jar/$(basename "$jar")" CAPTIOND_CDS_DIR="$work/launcher-before-jar/cds" \
            "$work/launcher-before"); else
        [ -f "$CAPTIOND_CDS_DIR/captiond.jsa" ] || continue
        cmd=("$top/bin/captiond"); fi
    once=(); poll=()
    for _ in $(seq 1 "$runs"); do once+=("$(once_run "${cmd[@]}")"); poll+=("$(poll_run "${cmd[@]}")"); done
    echo "# $variant once: ${once[*]} ms; first poll: ${poll[*]} ms"
    echo "BENCH startup_once_${variant}_median $(printf '%s\n' "${once[@]}" | median) ms"
    echo "BENCH startup_first_poll_${variant}_median $(printf '%s\n' "${poll[@]}" | median) ms"
done
