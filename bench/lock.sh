#!/bin/sh
# Benchmark of pipc lock, in private mount+IPC+PID namespaces (never the
# host's /dev/shm): `pipc lock X -- true` against `flock FILE true` per
# call, side by side (target: at most 1.2 times flock's time); then
# uncontended acquire+release through the library against a raw
# sem_wait/sem_post loop, in operations per second (bench/lockloop.c).
# Writes bench/results/lock.md. Needs root, hyperfine, jq, cc and ./pipc.
#   bench/lock.sh [RUNS]
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-1000}
if [ "${LOCK_BENCH_NS-}" != 1 ]; then
	[ "$(id -u)" -eq 0 ] || { echo "bench/lock.sh: needs root" >&2; exit 1; }
	export LOCK_BENCH_NS=1
	exec unshare --mount --ipc --pid --fork --mount-proc \
	    --propagation private "$0" "$@"
fi
cd "$top"
[ -x ./pipc ] || { echo "bench/lock.sh: build ./pipc first" >&2; exit 1; }
work=$(mktemp -d)
trap 'umount -l /dev/shm; rm -rf "$work"' EXIT
mount -t tmpfs -o mode=1777 pipc-bench /dev/shm
export PIPC_SHM_DIR=/dev/shm

cc -O2 -std=c11 -D_GNU_SOURCE -Ilib $(pkg-config --cflags libbsd-overlay) \
    -o "$work/lockloop" bench/lockloop.c lib/*.c \
    $(pkg-config --libs libbsd-overlay) -lrt -lpthread -latomic
touch "$work/f"
hyperfine -N --style basic --warmup 100 --runs "$runs" \
    --export-json "$work/a.json" \
    -n "pipc lock X -- true" "./pipc lock X -- true" \
    -n "flock FILE true" "flock $work/f true"
lock=$(jq '.results[0].mean' "$work/a.json")
lock_sd=$(jq '.results[0].stddev' "$work/a.json")
flock=$(jq '.results[1].mean' "$work/a.json")
flock_sd=$(jq '.results[1].stddev' "$work/a.json")
ratio=$(echo "$lock / $flock" | bc -l)

lib= raw=
for i in 1 2 3; do
	lib="$lib $("$work/lockloop" lib L 300000)"
	raw="$raw $("$work/lockloop" raw R 10000000)"
done
med() { echo "$@" | tr ' ' '\n' | sort -n | sed -n 2p; }

mkdir -p bench/results
{
	echo "# pipc lock benchmark"
	echo
	echo "$(date -u +%Y-%m-%d), $(nproc) CPUs, Linux $(uname -r), tmpfs in a"
	echo "private namespace; \`bench/lock.sh $runs\`."
	echo
	echo "Per call, hyperfine -N, $runs runs each after 100 warm-ups:"
	echo
	echo "| command | mean (ms) | stddev (ms) |"
	echo "|---|---|---|"
	printf '| `pipc lock X -- true` | %.3f | %.3f |\n' \
	    "$(echo "$lock * 1000" | bc -l)" "$(echo "$lock_sd * 1000" | bc -l)"
	printf '| `flock FILE true` | %.3f | %.3f |\n' \
	    "$(echo "$flock * 1000" | bc -l)" "$(echo "$flock_sd * 1000" | bc -l)"
	printf '| ratio pipc / flock (target at most 1.2) | %.2f | |\n' "$ratio"
	echo
	echo "Uncontended acquire+release in one process (bench/lockloop.c),"
	echo "median of 3 runs, operations per second:"
	echo
	echo "| loop | ops/s | runs |"
	echo "|---|---|---|"
	echo "| library: take, record owner, release (flock-guarded xattr) | $(med $lib) |$lib |"
	echo "| raw \`sem_wait\` + \`sem_post\` | $(med $raw) |$raw |"
} > bench/results/lock.md
cat bench/results/lock.md
