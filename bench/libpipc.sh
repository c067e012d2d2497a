#!/bin/sh
# libpipc's lock, uncontended: pipc_mutex_acquire + pipc_mutex_release
# through libpipc.so against a raw sem_wait/sem_post pair on a semaphore and
# a robust process-shared pthread mutex in shared memory, in nanoseconds
# per pair (bench/libpipcloop.c); and the owner record's parts alone, to
# say what it costs. Target: under 2 us per pair. Run through bench/run,
# which gives it a private /dev/shm; writes the Markdown section named by
# $1. LIBPIPC_N sets the pairs per run of the library (200,000).
set -eu
if [ "${PIPC_BENCH_NS-}" != 1 ] || [ $# -ne 1 ]; then
	echo "bench/libpipc.sh: run it through bench/run libpipc" >&2
	exit 2
fi
out=$1
n=${LIBPIPC_N:-200000}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

make -s libs >&2
mkdir -p "$work/include/pipc"
cp lib/libpipc.h "$work/include/pipc/pipc.h"
cc -O2 -std=c11 -D_GNU_SOURCE -I"$work/include" -o "$work/loop" \
    bench/libpipcloop.c -L"$top/build" -lpipc -Wl,-rpath,"$top/build" \
    -lpthread
# The same path inside pipc itself (pipc lock's, bench/lockloop.c): what
# the handle adds (its mutex, the checks) is the difference.
cc -O2 -std=c11 -D_GNU_SOURCE -Ilib $(pkg-config --cflags libbsd-overlay) \
    -o "$work/lockloop" bench/lockloop.c lib/*.c \
    $(pkg-config --libs libbsd-overlay) -lrt -lpthread -latomic

# Five runs each, interleaved so that a burst of load on this shared
# machine falls on every loop alike; the median of five.
lib= int= raw= rob= fl= xa= sc=
for i in 1 2 3 4 5; do
	lib="$lib $("$work/loop" lib L "$n")"
	ops=$("$work/lockloop" lib I "$n")
	int="$int $((1000000000 / ops))"
	sc="$sc $("$work/loop" syscall S $((n * 5)))"
	raw="$raw $("$work/loop" raw R $((n * 20)))"
	rob="$rob $("$work/loop" robust M $((n * 20)))"
	fl="$fl $("$work/loop" flock F "$n")"
	xa="$xa $("$work/loop" xattr X "$n")"
done
med() { echo "$@" | tr ' ' '\n' | sed '/^$/d' | sort -n | sed -n 3p; }
ml=$(med $lib) mr=$(med $raw) mf=$(med $fl) mx=$(med $xa)
if [ "$ml" -lt 2000 ]; then verdict="met"; else verdict="NOT met"; fi

{
	echo "## libpipc: acquire+release through the library"
	echo
	echo "Command: \`bench/run libpipc\` (inside \`make bench\`)."
	echo
	"$top/bench/machine"
	echo
	echo "Uncontended, one process, one thread (bench/libpipcloop.c"
	echo "built against build/libpipc.so), nanoseconds per pair, median"
	echo "of 5 runs interleaved ($n pairs a run for the library and the"
	echo "record's parts, $((n * 20)) for the others):"
	echo
	echo "| loop | ns per pair | runs |"
	echo "|---|---|---|"
	echo "| \`pipc_mutex_acquire\` + \`pipc_mutex_release\` | $ml |$lib |"
	echo "| the same inside pipc (\`pipc_lock_take\`, \`_record\`, \`_release\`: bench/lockloop.c) | $(med $int) |$int |"
	echo "| raw \`sem_wait\` + \`sem_post\` | $mr |$raw |"
	echo "| robust process-shared \`pthread_mutex_lock\` + \`unlock\` in shm | $(med $rob) |$rob |"
	echo "| the record's guard alone: \`flock\` EX + UN | $mf |$fl |"
	echo "| the record alone: \`fsetxattr\` + \`fgetxattr\` + \`fremovexattr\` | $mx |$xa |"
	echo "| one \`getppid\`, the cheapest system call (per call) | $(med $sc) |$sc |"
	echo
	echo "The owner record is the whole cost: the library's pair is"
	echo "$((ml - mr)) ns above the raw semaphore's, and the same path"
	echo "inside pipc costs the same, so the handle (its mutex, its checks)"
	echo "adds nothing measurable. The record takes system calls where the"
	echo "raw semaphore and the robust mutex take none uncontended: two"
	echo "flock pairs (the record is written under the guard on acquire,"
	echo "checked and cleared under it on release), three xattr calls and"
	echo "an fstat. Measured alone, those flock pairs and xattr calls come"
	echo "to $((2 * mf + mx)) ns; on this machine one system call costs"
	echo "$(med $sc) ns, so two of them already pass 2000 ns. Runs vary"
	echo "with the load of the shared machine (load average above)."
	echo
	echo "Target under 2000 ns per pair: **$verdict** ($ml ns). Meeting"
	echo "it takes an owner record that costs fewer system calls, not a"
	echo "faster library around this one; on the machine of the lock"
	echo "section, where pipc's same path ran 500,000 pairs a second, it"
	echo "was 2000 ns."
} > "$out"
