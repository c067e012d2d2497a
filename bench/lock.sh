#!/bin/sh
# pipc lock X -- true against flock FILE true per call, side by side
# (target: at most 1.2 times flock's time); then uncontended acquire+release
# through the library against a raw sem_wait/sem_post loop, in operations
# per second (bench/lockloop.c). Run through bench/run, which gives it a
# private /dev/shm; writes the Markdown section named by $1. LOCK_RUNS sets
# the hyperfine runs (1000).
set -eu
if [ "${PIPC_BENCH_NS-}" != 1 ] || [ $# -ne 1 ]; then
	echo "bench/lock.sh: run it through bench/run lock" >&2
	exit 2
fi
out=$1
runs=${LOCK_RUNS:-1000}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cc -O2 -std=c11 -D_GNU_SOURCE -Ilib $(pkg-config --cflags libbsd-overlay) \
    -o "$work/lockloop" bench/lockloop.c lib/*.c \
    $(pkg-config --libs libbsd-overlay) -lrt -lpthread -latomic
touch "$work/f"
hyperfine -N --style basic --warmup 100 --runs "$runs" \
    --export-json "$work/a.json" \
    -n "pipc lock X -- true" "./pipc lock X -- true" \
    -n "flock FILE true" "flock $work/f true" >&2
ms() { jq -r ".results[$1].$2 * 1000 | . * 1000 | round / 1000" "$work/a.json"; }
ratio=$(jq -r '.results[0].mean / .results[1].mean | . * 100 | round / 100' \
    "$work/a.json")

lib= raw=
for i in 1 2 3; do
	lib="$lib $("$work/lockloop" lib L 300000)"
	raw="$raw $("$work/lockloop" raw R 10000000)"
done
med() { echo "$@" | tr ' ' '\n' | sort -n | sed -n 2p; }

{
	echo "## lock: pipc lock against flock, and the library's lock loop"
	echo
	echo "Command: \`make bench\` or \`bench/run lock\`."
	echo
	"$top/bench/machine"
	echo
	echo "Per call, hyperfine -N, $runs runs each after 100 warm-ups:"
	echo
	echo "| command | mean (ms) | stddev (ms) |"
	echo "|---|---|---|"
	echo "| \`pipc lock X -- true\` | $(ms 0 mean) | $(ms 0 stddev) |"
	echo "| \`flock FILE true\` | $(ms 1 mean) | $(ms 1 stddev) |"
	echo "| ratio pipc / flock (target at most 1.2) | $ratio | |"
	echo
	echo "Uncontended acquire+release in one process (bench/lockloop.c),"
	echo "median of 3 runs, operations per second:"
	echo
	echo "| loop | ops/s | runs |"
	echo "|---|---|---|"
	echo "| library: take, record owner, release (flock-guarded xattr) | $(med $lib) |$lib |"
	echo "| raw \`sem_wait\` + \`sem_post\` | $(med $raw) |$raw |"
} > "$out"
