#!/bin/sh
# pipc ls against the tools that answer the same question, then its scaling
# and peak memory. Run through bench/run, which gives it a private /dev/shm;
# writes the Markdown section named by $1.
set -eu
if [ "${PIPC_BENCH_NS-}" != 1 ] || [ $# -ne 1 ]; then
	echo "bench/ls.sh: run it through bench/run ls" >&2
	exit 2
fi
out=$1
bench=$(cd "$(dirname "$0")" && pwd)
. "$bench/stats.inc"
pipc=$(cd "$bench/.." && pwd)/pipc
shm=/dev/shm
nprocs=50 maps=40 fds=4	# holders; each maps 40 shm + 40 sem, opens 4 more
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cc -O2 -std=c11 -D_GNU_SOURCE $(pkg-config --cflags libbsd-overlay) \
    -o "$tmp/mkobjs" "$bench/mkobjs.c" $(pkg-config --libs libbsd-overlay)
cc -O2 -std=c11 -D_GNU_SOURCE -o "$tmp/bareloop" "$bench/bareloop.c"

holders=
# setup NSHM NSEM: exactly these objects, and fresh holders of some of them.
setup() {
	if [ -n "$holders" ]; then
		kill $holders
		sleep 0.2	# let PID 1 reap them
	fi
	find "$shm" -mindepth 1 -delete
	"$tmp/mkobjs" create "$shm" "$1" "$2"
	holders=$("$tmp/mkobjs" hold "$shm" $nprocs $maps $fds)
}


# verdict OK TEXT: one line per target, met or not.
verdict() {
	ok=$1
	shift
	if [ "$ok" = 1 ]; then
		echo "- **met**: $*"
	else
		echo "- **not met**: $*"
	fi
}

# check A OP B: whether the numbers compare so (awk does the arithmetic).
check() {
	awk -v a="$1" -v b="$3" -v op="$2" 'BEGIN {
	    print (op == "<=" ? a <= b : a < b) ? 1 : 0 }'
}

lsipc_posix=0
if lsipc -M -n >/dev/null 2>&1 && lsipc -S -n >/dev/null 2>&1; then
	lsipc_posix=1
fi

echo "bench/ls.sh: 10,000 shm + 10,000 sem, $nprocs holders" >&2
setup 10000 10000
set -- -n "pipc ls" "$pipc ls" \
    -n "pipc ls -J" "$pipc ls -J" \
    -n "pipc metrics" "$pipc metrics" \
    -n "pipc ls -o TYPE,NAME,SIZE,OWNER,MODE,VALUE" \
    "$pipc ls -o TYPE,NAME,SIZE,OWNER,MODE,VALUE" \
    -n "bareloop full" "$tmp/bareloop full $shm" \
    -n "bareloop dir" "$tmp/bareloop dir $shm" \
    -n "lsof +D /dev/shm" "lsof +D $shm || test \$? -eq 1" \
    -n "fuser /dev/shm/*" "fuser $shm/*"
if [ $lsipc_posix = 1 ]; then
	set -- "$@" -n "lsipc -M; lsipc -S" "lsipc -M; lsipc -S"
fi
# PIPC_BENCH_BASE=/path/to/an/older/pipc: the same listings by that build,
# in the same run, to tell what a change cost.
base=${PIPC_BENCH_BASE-}
if [ -n "$base" ]; then
	set -- "$@" -n "base ls" "$base ls" -n "base ls -J" "$base ls -J"
fi
hf main 20 "$@"

echo "bench/ls.sh: scaling, 5,000 + 5,000 then 50,000 + 50,000" >&2
setup 5000 5000
hf s10k 20 -n "pipc ls, 10,000" "$pipc ls" -n "bareloop full, 10,000" \
    "$tmp/bareloop full $shm"
/usr/bin/time -f %M "$pipc" ls 2>"$tmp/rss10k" >/dev/null
setup 50000 50000
hf s100k 10 -n "pipc ls, 100,000" "$pipc ls" \
    -n "bareloop full, 100,000" "$tmp/bareloop full $shm"
jq -s '{results: (.[0].results + .[1].results)}' "$tmp/s10k.json" \
    "$tmp/s100k.json" > "$tmp/scale.json"
/usr/bin/time -f %M "$pipc" ls 2>"$tmp/rss100k" >/dev/null
/usr/bin/time -f %M "$pipc" ls -J 2>"$tmp/rss100kJ" >/dev/null
if command -v strace >/dev/null; then
	setup 10000 10000
	strace -c -o "$tmp/sys.pipc" "$pipc" ls >/dev/null
	strace -c -o "$tmp/sys.bare" "$tmp/bareloop" full "$shm" >/dev/null
fi
kill $holders

# syscalls FILE...: "| name | calls | calls |" for the busiest of strace -c.
syscalls() {
	awk 'FNR == 1 { f++ } $NF ~ /^[a-z_0-9]+$/ && $4 ~ /^[0-9]+$/ &&
	    $NF != "total" { n[$NF, f] = $4; if ($4 > 100) keep[$NF] = 1 }
	    END { for (k in keep) printf "| %s | %d | %d |\n", k,
	    n[k, 1], n[k, 2] }' "$@" | sort -t '|' -k 3 -rn
}

ls_t=$(mean "pipc ls" "$tmp/main.json")
metrics_t=$(mean "pipc metrics" "$tmp/main.json")
full_t=$(mean "bareloop full" "$tmp/main.json")
t10k=$(mean "pipc ls, 10,000" "$tmp/scale.json")
t100k=$(mean "pipc ls, 100,000" "$tmp/scale.json")
rss=$(cat "$tmp/rss100k") rss10k=$(cat "$tmp/rss10k")
rssJ=$(cat "$tmp/rss100kJ")

{
	cat <<EOF
## ls: listing 20,000 objects with their holders

\`bench/ls.sh\`, run by \`make bench\` or \`bench/run ls\`. In a private
namespace, \`bench/mkobjs.c\` writes 10,000 shared memory files
(\`bench.NNNNNN\`, 4 KiB to 1 MiB) and 10,000 semaphore files
(\`sem.bench.NNNNNN\`, 32-byte glibc \`sem_t\`, value 1 or 0) straight into a
fresh tmpfs, then starts $nprocs holder processes that each map $maps shm and
$maps sem objects and hold $fds more open. hyperfine times every command
side by side in one run (3 warm-ups, 20 runs, output to /dev/null, times
corrected for the \`sh -c\` that starts each command):

- \`pipc ls\`: the default columns, so the /proc holder scan and the
  semaphore values.
- \`pipc metrics\`: the same scan, holders and states as \`pipc ls\`,
  summed into Prometheus gauges instead of a table (issue 14).
- \`pipc ls -o TYPE,NAME,SIZE,OWNER,MODE,VALUE\`: no holder column, so no
  /proc scan: the directory part alone.
- \`bareloop full\` (\`bench/bareloop.c\`): the system calls \`pipc ls\`
  cannot avoid, with nothing kept, sorted or printed: readdir,
  fstatat(AT_SYMLINK_NOFOLLOW) on every entry, open + pread 32 bytes +
  close on every \`sem.*\`, then read every /proc/PID/maps and statx every
  /proc/PID/fd entry. \`bareloop dir\` is the directory part alone.
- \`lsof +D /dev/shm\`: holders per file (lsof also walks the directory;
  its exit status 1, "some file is not open", is taken as success).
- \`fuser /dev/shm/*\`: holders per file, the shell expanding the 20,000
  names (\`fuser -m /dev/shm\` only says who uses the file system, not
  which object, so it is not comparable).
EOF
	if [ $lsipc_posix = 1 ]; then
		echo "- \`lsipc -M; lsipc -S\`: POSIX shm and semaphores, no holders."
	else
		echo "- \`lsipc -M\` plus \`lsipc -S\`: **not run**: this lsipc" \
		    "($(lsipc --version)) has no POSIX IPC options" \
		    "(\`lsipc -M\`: \"$(lsipc -M 2>&1 | head -n 1)\")."
	fi
	echo
	machine=$("$bench/machine")
	echo "$machine"
	echo "- tools: $(hyperfine --version)," \
	    "$(lsof -v 2>&1 | sed -n 's/^ *revision: *//p' | sed 's/^/lsof /')," \
	    "$(fuser -V 2>&1 | head -n 1)"
	echo
	table "$tmp/main.json" "pipc ls"
	echo
	echo "Scaling: 5,000 + 5,000 objects, then 50,000 + 50,000, the same" \
	    "$nprocs holders (20 runs at 10,000, 10 at 100,000):"
	echo
	table "$tmp/scale.json" "pipc ls, 10,000"
	echo
	echo "Peak resident memory (\`/usr/bin/time -f %M\`): \`pipc ls\`" \
	    "$((rss10k / 1024)) MiB at 10,000 objects, $((rss / 1024)) MiB" \
	    "($rss KiB) at 100,000; \`pipc ls -J\` $((rssJ / 1024)) MiB at 100,000."
	echo
	if [ -f "$tmp/sys.pipc" ]; then
		echo "System calls at 10,000 + 10,000 (\`strace -c\`, calls over 100):"
		echo
		echo "| system call | \`pipc ls\` | \`bareloop full\` |"
		echo "|---|---|---|"
		syscalls "$tmp/sys.pipc" "$tmp/sys.bare"
		echo
	fi
	if [ -n "$base" ]; then
		echo "Against an older build (\`PIPC_BENCH_BASE=$base\`, rows" \
		    "\`base ls\` and \`base ls -J\`): \`pipc ls\`" \
		    "$(ratios "pipc ls" "base ls" "$tmp/main.json"), \`pipc ls" \
		    "-J\` $(ratios "pipc ls -J" "base ls -J" "$tmp/main.json")."
		echo
	fi
	echo "### Targets"
	echo
	echo "Judged on the mean; the fastest run and the CPU time are given too"
	echo "because other jobs share this machine and make the means noisy."
	echo
	if [ $lsipc_posix = 1 ]; then
		lsipc_t=$(mean "lsipc -M; lsipc -S" "$tmp/main.json")
		verdict "$(check "$(awk -v a="$ls_t" 'BEGIN{print a*3}')" "<=" \
		    "$lsipc_t")" "\`pipc ls\` at least 3x faster than \`lsipc -M\`" \
		    "plus \`lsipc -S\`: $(ratio "$lsipc_t" "$ls_t")x."
	else
		echo "- **not measured**: at least 3x faster than \`lsipc -M\` plus" \
		    "\`lsipc -S\`: no POSIX-capable lsipc on this machine."
	fi
	verdict "$(check "$(ratio "$ls_t" "$full_t")" "<=" 1.5)" \
	    "\`pipc ls\` within 1.5x of the bare loop doing the same system" \
	    "calls (\`bareloop full\`, judged there because \`pipc ls\` shows" \
	    "holders, which takes the /proc pass):" \
	    "$(ratios "pipc ls" "bareloop full" "$tmp/main.json")." \
	    "For the directory part alone, \`pipc ls -o" \
	    "TYPE,NAME,SIZE,OWNER,MODE,VALUE\` against \`bareloop dir\`:" \
	    "$(ratios "pipc ls -o TYPE,NAME,SIZE,OWNER,MODE,VALUE" \
	    "bareloop dir" "$tmp/main.json")."
	verdict "$(check "$(ratio "$metrics_t" "$ls_t")" "<=" 1.2)" \
	    "\`pipc metrics\` within 1.2x of \`pipc ls\` over the same objects:" \
	    "$(ratios "pipc metrics" "pipc ls" "$tmp/main.json")."
	verdict "$(check "$(ratio "$t100k" "$t10k")" "<=" 11)" \
	    "100,000 objects within 11x the time of 10,000:" \
	    "$(ratios "pipc ls, 100,000" "pipc ls, 10,000" "$tmp/scale.json")."
	verdict "$(check "$rss" "<" 65536)" \
	    "peak memory for 100,000 objects under 64 MiB: $((rss / 1024)) MiB."
} > "$out"
