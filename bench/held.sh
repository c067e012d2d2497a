#!/bin/sh
# Whether anyone holds an object, asked of the kernel (a write lease) rather
# than read from /proc: what it costs pipc ls and pipc gc as an ordinary
# user and as root, against the build before it and against the same build
# without leases (tests/helpers/nolease); then the open/unlink race with and
# without the lease. Run through bench/run (bench/run held), which gives it
# a private /dev/shm and mqueue mount; writes the Markdown section named by
# $1. Needs hyperfine, jq, setpriv, git and ./pipc (make).
#
# HELD_N objects for the ordinary user (half shm, half sem; 10000),
# HELD_RUNS hyperfine runs for ls and gc -n (20), HELD_GC_RUNS for the real
# gc (10), HELD_RACE_S seconds and HELD_RACE_GC gc runs, each a minimum, per
# race cell (3, 60), HELD_OLD the commit before the change (482da7e).
set -eu
if [ "${PIPC_BENCH_NS-}" != 1 ] || [ $# -ne 1 ]; then
	echo "bench/held.sh: run it through bench/run held" >&2
	exit 2
fi
out=$1
n=${HELD_N:-10000}
runs=${HELD_RUNS:-20}
gcruns=${HELD_GC_RUNS:-10}
race_s=${HELD_RACE_S:-3}
race_gc=${HELD_RACE_GC:-60}
old=${HELD_OLD:-482da7e}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. bench/stats.inc
HF_OPTS=-N	# each command run without a shell
machine=$(bench/machine)	# now, for the load average at the start
pipc=$top/pipc
shm=/dev/shm
mq=$PIPC_MQUEUE_DIR
export PIPC_SHM_DIR=$shm
nobody="setpriv --reuid=65534 --regid=65534 --clear-groups"
# Root's commands go through setpriv too, so that both sides pay its exec.
root="setpriv --reuid=0 --regid=0 --clear-groups"
tmp=$(mktemp -d)
chmod 755 "$tmp"	# nobody runs the helpers built here
holders=
trap 'kill $holders 2>/dev/null || true; rm -rf "$tmp"' EXIT

cflags="-O2 -std=c11 -D_GNU_SOURCE"
cc $cflags $(pkg-config --cflags libbsd-overlay) -o "$tmp/mkobjs" \
    bench/mkobjs.c $(pkg-config --libs libbsd-overlay)
cc $cflags -o "$tmp/churn" bench/churn.c -lrt
cc $cflags -o "$tmp/nolease" tests/helpers/nolease.c
mkdir "$tmp/old"
git archive "$old" | tar -x -C "$tmp/old"
make -s -C "$tmp/old" pipc >/dev/null 2>&1 ||
    { echo "bench/held.sh: cannot build $old" >&2; exit 1; }
oldpipc=$tmp/old/pipc
nl=$tmp/nolease
# Holders: process k holds numbers k * 44 to k * 44 + 43 (fewer for a small
# HELD_N, which is for trying the script out).
np_user=$((n / 2 / 44 < 20 ? n / 2 / 44 : 20))
np_root=$((n / 44 < 50 ? n / 44 : 50))

# --- helpers --------------------------------------------------------------

# fresh OWNER NSHM NSEM NPROCS: exactly these objects (owned by OWNER, a
# uid), NPROCS root processes mapping 40 shm + 40 sem each and holding 4
# more open, and 4 root sleeps holding nothing: processes an ordinary user
# cannot read.
fresh() {
	if [ -n "$holders" ]; then
		kill $holders
		holders=
		sleep 0.2	# let PID 1 reap them
	fi
	find "$shm" "$mq" -mindepth 1 -delete
	if [ "$1" = 0 ]; then
		"$tmp/mkobjs" create "$shm" "$2" "$3"
	else
		setpriv --reuid="$1" --regid="$1" --clear-groups \
		    "$tmp/mkobjs" create "$shm" "$2" "$3"
	fi
	holders=$("$tmp/mkobjs" hold "$shm" "$4" 40 4)
	for i in 1 2 3 4; do
		sleep 100000 &
		holders="$holders $!"
	done
}

# refill: make again, as nobody's empty files, the objects of fresh 65534
# that a gc took (hyperfine's --prepare for the real gc).
cat > "$tmp/refill" <<EOF
#!/bin/sh
cd $shm
ls -A | sort > $tmp/have
{ seq -f bench.%06g 0 $((n / 2 - 1)); seq -f sem.bench.%06g 0 $((n / 2 - 1)); } |
    sort | comm -23 - $tmp/have > $tmp/miss
grep '^bench' $tmp/miss | xargs -r truncate -s 4096
grep '^sem' $tmp/miss | xargs -r truncate -s 32
xargs -r chown 65534:65534 < $tmp/miss
EOF


# per1k A B FILE COUNT: (A - B) in ms per 1,000 objects, by mean and min.
per1k() {
	awk -v a="$(mean "$1" "$3")" -v b="$(mean "$2" "$3")" \
	    -v am="$(mean "$1" "$3" min)" -v bm="$(mean "$2" "$3" min)" \
	    -v k="$4" 'BEGIN { printf "%.2f ms (%.2f ms by fastest run)",
	    (a - b) * 1e6 / k, (am - bm) * 1e6 / k }'
}


# states [WRAPPER...]: "N state, ..." as pipc ls run so sees the objects.
states() {
	"$@" "$pipc" ls -n -o STATE | sort | uniq -c |
	    awk '{ printf("%s%d %s", NR > 1 ? ", " : "", $1, $2) }'
}

# --- 1, 2: an ordinary user against root, on the same objects -------------

# measure_user: ls and gc -n as nobody and as root (with and without the
# lease), then a real gc of fresh sets.
measure_user() {
	echo "bench/held.sh: $((n / 2)) shm + $((n / 2)) sem of nobody" >&2
	fresh 65534 $((n / 2)) $((n / 2)) $np_user
	st_nobody=$(states $nobody)
	st_nobody_nl=$(states $nobody "$nl")
	st_root=$(states $root)
	hf user_ls "$runs" \
	    -n "nobody: pipc ls" "$nobody $pipc ls" \
	    -n "root: pipc ls" "$root $pipc ls" \
	    -n "nobody: nolease pipc ls" "$nobody $nl $pipc ls" \
	    -n "root: nolease pipc ls" "$root $nl $pipc ls"
	hf user_gcn "$runs" \
	    -n "nobody: pipc gc --min-age 0 -n" "$nobody $pipc gc --min-age 0 -n" \
	    -n "root: pipc gc --min-age 0 -n --user 65534" \
	    "$root $pipc gc --min-age 0 -n --user 65534"
	gcn_nobody=$($nobody "$pipc" gc --min-age 0 -n | grep -c 'would remove')
	gcn_root=$($root "$pipc" gc --min-age 0 -n --user 65534 |
	    grep -c 'would remove')
	hf user_gc "$gcruns" --prepare "sh $tmp/refill" \
	    -n "nobody: pipc gc --min-age 0" "$nobody $pipc gc --min-age 0" \
	    -n "root: pipc gc --min-age 0 --user 65534" \
	    "$root $pipc gc --min-age 0 --user 65534"
	left=$(ls -A "$shm" | wc -l)
	inuse=$("$pipc" ls -n -o STATE | grep -c '^in-use' || true)
}

# --- 3: root's ls against the build before the change ---------------------

measure_root() {
	echo "bench/held.sh: root, $n shm + $n sem, 50 holders" >&2
	fresh 0 "$n" "$n" $np_root
	st_rootls=$(states)
	st_oldls=$("$oldpipc" ls -n -o STATE | sort | uniq -c |
	    awk '{ printf("%s%d %s", NR > 1 ? ", " : "", $1, $2) }')
	hf root_ls "$runs" \
	    -n "pipc ls" "$pipc ls" \
	    -n "pipc ls ($old)" "$oldpipc ls" \
	    -n "nolease pipc ls" "$nl $pipc ls"
	if command -v strace >/dev/null; then
		strace -c -o "$tmp/sys.new" "$pipc" ls >/dev/null
		strace -c -o "$tmp/sys.old" "$oldpipc" ls >/dev/null
		strace -c -o "$tmp/sys.nl" "$nl" "$pipc" ls >/dev/null 2>&1
	fi
}

# syscalls FILE...: "| name | calls |..." for the system calls strace -c
# counted over 100 times in any FILE, busiest first in the first.
syscalls() {
	awk 'FNR == 1 { f++ } $NF ~ /^[a-z_0-9]+$/ && $4 ~ /^[0-9]+$/ &&
	    $NF != "total" { c[$NF, f] = $4; if ($4 > 100) keep[$NF] = 1 }
	    END { for (k in keep) { printf "| %s |", k
	    for (i = 1; i <= f; i++) printf " %d |", c[k, i]; print "" } }' \
	    "$@" | sort -t '|' -k 3 -rn
}

# --- 5: the open/unlink race ----------------------------------------------

# race KIND [WRAPPER...]: a root opener churns 20 names of KIND (mq or shm,
# the latter half semaphores), holding each 200 us, while root's gc, run
# through WRAPPER, collects them at least $race_gc times and for at least
# $race_s seconds. Prints the opener's counts, "runs=N ms=N fail=N held=N"
# (held: objects gc found held and kept or put back).
race() {
	kind=$1
	shift
	find "$shm" "$mq" -mindepth 1 -delete
	if [ "$kind" = mq ]; then
		"$tmp/churn" mq 20 200 > "$tmp/churn.out" &
		set -- "$@" "$pipc" gc --min-age 0 -t mq
	else
		"$tmp/churn" shm "$shm" 20 200 > "$tmp/churn.out" &
		set -- "$@" "$pipc" gc --min-age 0 'churn.*'
	fi
	opener=$!
	t0=$(date +%s%N)
	r=0 fail=0 ms=0
	: > "$tmp/race.out"
	while [ $r -lt "$race_gc" ] || [ $ms -lt $((race_s * 1000)) ]; do
		"$@" >>"$tmp/race.out" 2>&1 || fail=$((fail + 1))
		r=$((r + 1))
		ms=$((($(date +%s%N) - t0) / 1000000))
	done
	kill -TERM $opener
	wait $opener
	echo "$(cat "$tmp/churn.out") runs=$r ms=$ms fail=$fail" \
	    "held=$(grep -c 'kept: held' "$tmp/race.out" || true)"
}

# cell COUNTS: "lost / opens" and the rest, as a table's cells.
cell() {
	echo "$1" | awk '{ for (i = 1; i <= NF; i++) { split($i, kv, "=");
	    v[kv[1]] = kv[2] } printf "%d | %d | %.3f%% | %d | %d | %d | %d",
	    v["lost"], v["opens"], v["opens"] ? 100 * v["lost"] / v["opens"] : 0,
	    v["missing"], v["held"], v["runs"], v["ms"] }'
}

measure_race() {
	echo "bench/held.sh: the open/unlink race" >&2
	race_mq=$(race mq)
	race_mq_nl=$(race mq "$nl")
	race_shm=$(race shm)
	race_shm_nl=$(race shm "$nl")
	echo "bench/held.sh: mq $race_mq / $race_mq_nl;" \
	    "shm $race_shm / $race_shm_nl" >&2
}

measure_user
measure_root
kill $holders
holders=
measure_race

# --- the section ----------------------------------------------------------

u=$tmp/user_ls.json
rt=$tmp/root_ls.json
recorded=
[ "$n" = 10000 ] && recorded=$(sed -n 's/^| `pipc ls` | \([0-9]*\) ± .*/\1/p' \
    bench/results/ls.md 2>/dev/null || true)
{
	cat <<EOF
## held: the kernel's lease, as an ordinary user and as root

\`bench/held.sh\`, run by \`make bench\` or \`bench/run held\`. \`pipc ls\`
and \`pipc gc\` ask the kernel whether anyone holds each object the caller
owns (every object, as root) with a write lease, and read /proc only to say
who. Here they are timed side by side in one run (hyperfine \`-N\`, no
shell, 3 warm-ups, output to /dev/null) against the same build under
\`tests/helpers/nolease\` (a seccomp filter that makes \`F_SETLEASE\` fail
with EINVAL: the /proc-only answer pipc gave before) and against the build
before the change (\`$old\`, built from \`git archive\` in the same run). The
ordinary user is nobody (\`setpriv --reuid=65534 --regid=65534
--clear-groups\`); root's commands go through \`setpriv --reuid=0 --regid=0
--clear-groups\` so that both pay the same exec.

EOF
	echo "$machine"
	echo "- tools: $(hyperfine --version), $(setpriv --version)"
	echo
	cat <<EOF
### 1, 2. nobody against root on nobody's objects

$((n / 2)) shared memory and $((n / 2)) semaphore files (\`bench/mkobjs.c\`,
4 KiB to 1 MiB, glibc \`sem_t\`) owned by nobody; $np_user root processes
map 40 shm + 40 sem each and hold 4 more open ($((np_user * 84)) objects
held), and 4 root \`sleep\`s hold nothing: none of these $((np_user + 4))
can be read by nobody. What
\`pipc ls\` says of the $n objects:

- nobody: $st_nobody
- nobody without leases (nolease, as before the change): $st_nobody_nl
- root: $st_root

\`pipc ls\`, $runs runs:

EOF
	table "$u" "root: pipc ls"
	echo
	echo "\`pipc gc --min-age 0 -n\` (dry run: the objects stay; root names"
	echo "nobody's objects with \`--user 65534\`), $runs runs; nobody's"
	echo "listed $gcn_nobody to collect, root's $gcn_root:"
	echo
	table "$tmp/user_gcn.json" "root: pipc gc --min-age 0 -n --user 65534"
	echo
	echo "A real \`pipc gc --min-age 0\`, $gcruns runs, the objects it took"
	echo "made again before each (\`--prepare\`: empty files, 4 KiB shm and"
	echo "32-byte sem, owned by nobody); held objects left after all runs:"
	echo "$left files, $inuse of them in use:"
	echo
	table "$tmp/user_gc.json" "root: pipc gc --min-age 0 --user 65534"
	echo
	cat <<EOF
### 3. root's ls against the build before the change

The setup of \`bench/ls.sh\`: $n shm + $n sem owned by root, $np_root holders
mapping 40 + 40 and holding 4 more open, plus 4 \`sleep\`s; $runs runs.
States: this build $st_rootls; $old $st_oldls.

EOF
	table "$rt" "pipc ls ($old)"
	echo
	if [ -f "$tmp/sys.new" ]; then
		echo "System calls of one \`pipc ls\` here (\`strace -c\`, calls"
		echo "over 100):"
		echo
		echo "| system call | \`pipc ls\` | \`pipc ls ($old)\` |" \
		    "\`nolease pipc ls\` |"
		echo "|---|---|---|---|"
		syscalls "$tmp/sys.new" "$tmp/sys.old" "$tmp/sys.nl"
		echo
	fi
	if [ -n "$recorded" ]; then
		echo "The figure recorded before the change (\`bench/results/ls.md\`,"
		echo "\`pipc ls\` through a shell, same setup): $recorded ms."
		echo
	fi
	cat <<EOF
### 4. What the probe costs, per 1,000 objects

Under nolease pipc still opens each object and asks for the lease, which
the seccomp filter refuses (and the filter runs on every system call), so
lease against nolease is the grant and release alone; this build against
$old is the whole probe (open, the lease asked, given and let go, close)
together with whatever else changed between the two.

- nobody's ls, lease against no lease (nolease, where every answer is
  \`unknown\`): $(per1k "nobody: pipc ls" "nobody: nolease pipc ls" "$u" "$n").
- nobody's ls against root's, same objects:
  $(per1k "nobody: pipc ls" "root: pipc ls" "$u" "$n").
- root's ls, lease against the /proc-only answer (nolease), nobody's
  objects: $(per1k "root: pipc ls" "root: nolease pipc ls" "$u" "$n");
  root's objects, $np_root holders:
  $(per1k "pipc ls" "nolease pipc ls" "$rt" $((2 * n))).
- root's ls against $old: $(per1k "pipc ls" "pipc ls ($old)" "$rt" $((2 * n))).

### 5. The open/unlink race: lease against no lease

A root process (\`bench/churn.c\`) opens a random one of 20 names, holds it
200 µs, asks its descriptor whether the name was removed meanwhile
(\`st_nlink\` 0: a lost open) and closes it; a name found missing is
created again for gc to take (_recreated_). Meanwhile root's \`pipc gc --min-age 0\`
(\`-t mq\`, or \`'churn.*'\` for shm + sem) runs back to back, at least
$race_gc times and for at least $race_s s, as it is (lease, plus the quarantine
rename or the mode 01000 guard) and under nolease (rename or mode guard,
plus the /proc re-check: the design before the lease). As root, the mode
guard keeps no opener out. _kept: held_ counts gc's reports of an object
found held (the race met: gc judged it, then saw an opener and kept it).

| objects | gc | lost | opens | lost share | recreated | kept: held | gc runs | ms |
|---|---|---|---|---|---|---|---|---|
| queues | lease + mode guard | $(cell "$race_mq") |
| queues | nolease: mode guard + /proc | $(cell "$race_mq_nl") |
| shm + sem | lease + rename | $(cell "$race_shm") |
| shm + sem | nolease: rename + /proc | $(cell "$race_shm_nl") |

EOF
	echo "gc runs that exited non-zero, in the table's order:" \
	    "$(for c in "$race_mq" "$race_mq_nl" "$race_shm" "$race_shm_nl"; do
		echo "$c" | sed 's/.*fail=\([0-9]*\).*/\1/'; done | paste -sd,)."
	echo
	echo "### Targets"
	echo
	echo "Judged on the mean; the fastest run and the CPU time are given too"
	echo "because other jobs share this machine and make the means noisy."
	echo
	target "$(ratio "$(mean "nobody: pipc ls" "$u")" \
	    "$(mean "root: pipc ls" "$u")")" "<=" 1.5 \
	    "nobody's \`pipc ls\` within 1.5x of root's on the same objects:" \
	    "$(ratios "nobody: pipc ls" "root: pipc ls" "$u")."
	target "$(ratio "$(mean "pipc ls" "$rt")" \
	    "$(mean "pipc ls ($old)" "$rt")")" "<=" 1.10 \
	    "root's \`pipc ls\` no more than 10% slower than before the change" \
	    "($old, same run, same objects):" \
	    "$(ratios "pipc ls" "pipc ls ($old)" "$rt")."
	if [ -n "$recorded" ]; then
		target "$(mean "pipc ls" "$rt")" "<=" \
		    "$(awk -v r="$recorded" 'BEGIN { print r * 1.1 / 1000 }')" \
		    "against the recorded $recorded ms (another day, another" \
		    "load): $(awk -v a="$(mean "pipc ls" "$rt")" \
		    'BEGIN { printf "%.0f", a * 1000 }') ms now," \
		    "$(ratio "$(mean "pipc ls" "$rt")" \
		    "$(awk -v r="$recorded" 'BEGIN { print r / 1000 }')")x."
	fi
} > "$out"
