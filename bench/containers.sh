#!/bin/sh
# pipc ls -A over 50 containers of 1,000 objects each, against pipc ls over
# the same 50,000 objects in one store; its peak memory; the time spent
# finding the stores and namespaces. Run through bench/run, which gives it
# private namespaces; writes the Markdown section named by $1.
set -eu
if [ "${PIPC_BENCH_NS-}" != 1 ] || [ $# -ne 1 ]; then
	echo "bench/containers.sh: run it through bench/run containers" >&2
	exit 2
fi
out=$1
bench=$(cd "$(dirname "$0")" && pwd)
. "$bench/stats.inc"
pipc=$(cd "$bench/.." && pwd)/pipc
nctr=50 nshm=500 nsem=500	# per container: 1,000 objects
nhold=4 maps=40 fds=4		# holders per container: 200 in all
cgroot=/sys/fs/cgroup/unified
cg=$cgroot/pipc-bench.$$
tmp=$(mktemp -d)
ctrs=

cleanup() {
	[ -z "$ctrs" ] || kill -9 $ctrs 2>/dev/null || :
	sleep 0.2		# let the inits' children go
	if [ -d "$cg" ]; then
		for d in "$cg"/*/; do
			[ -d "$d" ] && rmdir "$d" 2>/dev/null || :
		done
		rmdir "$cg" 2>/dev/null || :
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT

cc -O2 -std=c11 -D_GNU_SOURCE $(pkg-config --cflags libbsd-overlay) \
    -o "$tmp/mkobjs" "$bench/mkobjs.c" $(pkg-config --libs libbsd-overlay)


# One container as a runtime makes it: new mount, IPC, PID and UTS
# namespaces, a tmpfs /dev/shm and an mqueue of its own, its objects and
# holders, an init that sleeps, in a cgroup named as Docker names one.
container() {
	id=$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')
	fifo=$tmp/ready
	mkfifo "$fifo"
	unshare --mount --ipc --pid --uts --fork --mount-proc \
	    --propagation private sh -c '
		mount -t tmpfs -o mode=1777,size=1g ctr-shm /dev/shm &&
		mount -t mqueue ctr-mq /dev/mqueue &&
		"$0" create /dev/shm "$1" "$2" &&
		"$0" hold /dev/shm "$3" "$4" "$5" > /dev/null &&
		echo ready && exec sleep 100000' "$tmp/mkobjs" \
	    $nshm $nsem $nhold $maps $fds > "$fifo" 2>&1 &
	shim=$!
	read -r line < "$fifo"
	rm -f "$fifo"
	[ "$line" = ready ] || { echo "container: $line" >&2; exit 1; }
	init=$(cut -d' ' -f1 "/proc/$shim/task/$shim/children")
	ctrs="$ctrs $shim $init"
	if [ -w "$cgroot/cgroup.procs" ]; then
		mkdir -p "$cg/docker-$id.scope"
		echo "$init" > "$cg/docker-$id.scope/cgroup.procs"
	fi
}

echo "bench/containers.sh: $nctr containers of $((nshm + nsem)) objects" >&2
i=0
while [ $i -lt $nctr ]; do
	container
	i=$((i + 1))
done
nstores=$("$pipc" df -A -n | wc -l)
nobj=$("$pipc" ls -A -n -o name | wc -l)
hf all 10 -n "pipc ls -A" "$pipc ls -A" \
    -n "pipc ls -A -J" "$pipc ls -A -J" \
    -n "pipc df -A" "$pipc df -A" \
    -n "pipc gc -A -n" "$pipc gc -A -n --all-users --min-age 0"
/usr/bin/time -f %M "$pipc" ls -A 2>"$tmp/rssA" >/dev/null
/usr/bin/time -f %M "$pipc" ls -A -J 2>"$tmp/rssAJ" >/dev/null
# The pass that finds them, as pipc metrics -A reports it, ten times.
for i in 1 2 3 4 5 6 7 8 9 10; do
	"$pipc" metrics -A | awk '$1 == "pipc_namespaces_scan_duration_seconds" {
	    print $2 }'
done > "$tmp/nsscan"
kill -9 $ctrs
ctrs=
sleep 0.5

echo "bench/containers.sh: the same in one store" >&2
"$tmp/mkobjs" create /dev/shm $((nctr * nshm)) $((nctr * nsem))
holders=$("$tmp/mkobjs" hold /dev/shm $((nctr * nhold)) $maps $fds)
hf one 10 -n "pipc ls" "$pipc ls" -n "pipc ls -J" "$pipc ls -J"
/usr/bin/time -f %M "$pipc" ls 2>"$tmp/rss1" >/dev/null
kill $holders
jq -s '{results: (.[0].results + .[1].results)}' "$tmp/all.json" \
    "$tmp/one.json" > "$tmp/both.json"

lsA=$(mean "pipc ls -A" "$tmp/both.json")
ls1=$(mean "pipc ls" "$tmp/both.json")
rssA=$(cat "$tmp/rssA") rssAJ=$(cat "$tmp/rssAJ") rss1=$(cat "$tmp/rss1")
ns=$(awk '{ s += $1; if (min == "" || $1 < min) min = $1; if ($1 > max)
    max = $1 } END { printf "%.1f ms mean (%.1f to %.1f)", s / NR * 1000,
    min * 1000, max * 1000 }' "$tmp/nsscan")
nsmean=$(awk '{ s += $1 } END { print s / NR }' "$tmp/nsscan")

{
	cat <<EOF
## containers: pipc ls -A over 50 containers

\`bench/containers.sh\`, run by \`make bench\` or \`bench/run containers\`. In
bench/run's private namespaces it makes $nctr containers as a runtime does
(\`unshare\` with new mount, IPC, PID and UTS namespaces, a 1 GiB tmpfs on
\`/dev/shm\`, an mqueue mount of its own, an init in a cgroup named
\`docker-ID.scope\`), each with $nshm shared memory and $nsem semaphore files
made by \`bench/mkobjs.c\` and $nhold holder processes that each map $maps
shm and $maps sem objects and hold $fds open: $nobj objects in $nstores
stores (the host's empty one too) and $((nctr * nhold)) holders. hyperfine
times the commands (3 warm-ups, 10 runs); then the containers are killed,
and the same $((nctr * (nshm + nsem))) objects and $((nctr * nhold)) holders
are made in one store for \`pipc ls\`.

EOF
	"$bench/machine"
	echo
	table "$tmp/both.json" "pipc ls"
	echo
	echo "Peak resident memory (\`/usr/bin/time -f %M\`): \`pipc ls -A\`" \
	    "$((rssA / 1024)) MiB ($rssA KiB), \`pipc ls -A -J\`" \
	    "$((rssAJ / 1024)) MiB, \`pipc ls\` over one store" \
	    "$((rss1 / 1024)) MiB."
	echo
	echo "Finding the $nstores stores and $((nctr + 1)) IPC namespaces" \
	    "(one pass over /proc, entering each namespace to prove its" \
	    "mqueue mount): $ns over 10 runs of \`pipc metrics -A\`" \
	    "(its \`pipc_namespaces_scan_duration_seconds\`), about" \
	    "$(awk -v a="$nsmean" -v b="$lsA" 'BEGIN { printf "%.0f", a / b * 100 }')%" \
	    "of \`pipc ls -A\`."
	echo
	echo "### Targets"
	echo
	target "$lsA" "<=" "$(awk -v b="$ls1" 'BEGIN { print 1.5 * b }')" \
	    "\`pipc ls -A\` within 1.5x of \`pipc ls\` over the same objects" \
	    "in one store: $(ratios "pipc ls -A" "pipc ls" "$tmp/both.json")."
	target "$rssA" "<" 65536 "peak memory of \`pipc ls -A\` under 64 MiB:" \
	    "$((rssA / 1024)) MiB."
} > "$out"
