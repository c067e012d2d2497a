#!/usr/bin/env bats
# pipc metrics: valid Prometheus text, the same numbers as ls -J, and a
# --textfile that node_exporter never reads half-written.
load helpers
bats_require_minimum_version 1.5.0

setup() {
	ipc_setup
	if ! command -v promtool >/dev/null; then
		skip "promtool is not installed (scripts/deps installs prometheus)"
	fi
}

# Objects in every state but unknown, of every kind, with sizes and holders.
fixture() {
	pipc create shm orphan -s 10000 >/dev/null
	pipc create shm held -s 1M >/dev/null
	start_until ready "$HELP/ls_hold" -m shm held
	head -c 5000 /dev/urandom > /dev/shm/filled
	pipc create sem free -v 1 >/dev/null
	pipc create sem stale -v 0 >/dev/null
	start_until ready "$HELP/ls_hold" -c -v 1 sem busy
	truncate -s 7 /dev/shm/sem.short
	pipc create mq empty >/dev/null
	pipc create mq full --maxmsg 4 --msgsize 64 >/dev/null
	pipc send full "twelve bytes"
	pipc send full "and six"
	start_until ready "$HELP/ls_hold" -c -n 2 mq heldq
	mkdir /dev/shm/adir
	ln -s /etc/passwd /dev/shm/alink
}

# "KIND STATE COUNT BYTES" for each kind and state that has objects,
# from pipc ls -J (run by "$@") ...
ls_sums() {
	"$@" "$PIPC" ls -J | jq -r '.objects | group_by([.type, .state])[] |
	    "\(.[0].type) \(.[0].state) \(length) \(map(.size) | add)"' |
	    LC_ALL=C sort
}

# ... and from the metrics on stdin.
metric_sums() {
	awk -F'[{}",= ]+' '
	    $1 == "pipc_objects" { n[$3 " " $5] = $6 }
	    $1 == "pipc_objects_bytes" { b[$3 " " $5] = $6 }
	    END { for (k in n) if (n[k] > 0) print k, n[k], b[k] }' |
	    LC_ALL=C sort
}

# The value of one series: NAME{LABELS} or NAME, as the text has it.
value() {
	awk -v s="$1" '$1 == s { print $2 }' <<< "$output"
}

@test "metrics: every family passes promtool, HELP and TYPE, no timestamps" {
	fixture
	run --separate-stderr pipc metrics
	assert_success
	[ -z "$stderr" ]
	promtool check metrics <<< "$output"
	# Every series is a gauge with a HELP; no sample has a timestamp.
	[ "$(grep -c '^# TYPE ' <<< "$output")" = "$(grep -c '^# HELP ' <<< "$output")" ]
	refute_line --regexp '^# TYPE [a-z_]+ [^g]'
	refute_line --regexp '^[a-z_]+(\{[^}]*\})? [^ ]+ [^ ]+$'
	# Every kind with every state, zeros too: 3 kinds x 7 states.
	[ "$(grep -c '^pipc_objects{' <<< "$output")" = 21 ]
	[ "$(grep -c '^pipc_objects_bytes{' <<< "$output")" = 21 ]
	assert_line 'pipc_objects{kind="shm",state="unknown"} 0'
	# Only bounded labels: kind, state, store, dir, source.
	refute_line --regexp '\{.*(name|pid|path)='
	assert_line 'pipc_scan_errors{source="shm"} 0'
	assert_line 'pipc_scan_errors{source="mqueue"} 0'
	assert_line 'pipc_scan_errors{source="proc"} 0'
	assert_line "pipc_mqueue_available{dir=\"$MQ\"} 1"
	assert_line --regexp '^pipc_scan_duration_seconds 0\.[0-9]{6}$'
}

@test "metrics: the counts and bytes of ls -J, per kind and state" {
	fixture
	run pipc metrics
	assert_success
	[ "$(metric_sums <<< "$output")" = "$(ls_sums)" ]
	# What the fixture holds, so the comparison is not of two empty sets.
	assert_line 'pipc_objects{kind="shm",state="in-use"} 1'
	assert_line 'pipc_objects{kind="shm",state="orphan"} 2'
	assert_line 'pipc_objects{kind="shm",state="foreign"} 2'
	assert_line 'pipc_objects_bytes{kind="shm",state="orphan"} 15000'
	assert_line 'pipc_objects{kind="sem",state="stale-lock"} 1'
	assert_line 'pipc_objects{kind="sem",state="corrupt"} 1'
	assert_line 'pipc_objects{kind="sem",state="in-use"} 1'
	assert_line 'pipc_objects_bytes{kind="mq",state="orphan"} 19'
	assert_line 'pipc_objects{kind="mq",state="in-use"} 1'
	# Pages: the written file takes two, the truncated one none.
	assert_line 'pipc_objects_allocated_bytes{kind="shm",state="orphan"} 8192'
}

@test "metrics: unknown and unseen holders agree with ls -J, as nobody" {
	public_mqueue
	unreadable_root
	# Root's object, which nobody may not ask the kernel about: unknown.
	pipc create shm rootobj -s 4k -m 644 >/dev/null
	# Nobody's object, held by root's process: the kernel says held.
	nobody "$PIPC" create shm mine -s 4k -m 666 >/dev/null
	start_until ready "$HELP/ls_hold" -m shm mine
	nobody "$PIPC" create sem mylock -v 0 >/dev/null
	run --separate-stderr nobody "$PIPC" metrics
	assert_success
	[[ $stderr == *"could not be read"* ]]
	promtool check metrics <<< "$output"
	[ "$(metric_sums <<< "$output")" = "$(ls_sums nobody)" ]
	assert_line 'pipc_objects{kind="shm",state="unknown"} 1'
	assert_line 'pipc_objects_unseen_holder{kind="shm"} 1'
	[ "$(nobody "$PIPC" ls -J | jq '[.objects[] | select(.unseen_holder)] | length')" = 1 ]
	[ "$(value pipc_scan_unreadable_processes)" -ge 1 ]
}

@test "metrics: the store's size, used and free bytes, labelled by its path" {
	run pipc metrics
	assert_line --regexp '^pipc_store_size_bytes\{store="/dev/shm"\} [0-9]+$'
	store=$BATS_TEST_TMPDIR/store
	mkdir "$store"
	mount -t tmpfs -o size=1M,nr_inodes=100 pipc-store "$store"
	head -c 300K /dev/zero > "$store/big"
	run pipc metrics --shm-dir "$store"
	umount "$store"
	assert_success
	assert_line "pipc_store_size_bytes{store=\"$store\"} 1048576"
	assert_line "pipc_store_used_bytes{store=\"$store\"} 307200"
	assert_line "pipc_store_free_bytes{store=\"$store\"} 741376"
	assert_line "pipc_store_files{store=\"$store\"} 100"
	assert_line --regexp "^pipc_store_files_free\\{store=\".*\"\\} 9[0-9]\$"
	assert_line 'pipc_objects_bytes{kind="shm",state="orphan"} 307200'
}

@test "metrics: -t, the queue directory missing, a store that cannot be read" {
	pipc create shm a -s 1 >/dev/null
	run pipc metrics -t shm
	assert_success
	[ "$(grep -c '^pipc_objects{' <<< "$output")" = 7 ]
	refute_line --partial 'kind="mq"'
	refute_line --partial 'pipc_mqueue_available'
	refute_line --partial 'source="mqueue"'
	# No mqueue file system: said, not an error, unless queues alone.
	mkdir "$BATS_TEST_TMPDIR/plain"
	run --separate-stderr pipc metrics --mqueue-dir "$BATS_TEST_TMPDIR/plain"
	assert_success
	assert_line "pipc_mqueue_available{dir=\"$BATS_TEST_TMPDIR/plain\"} 0"
	assert_line 'pipc_scan_errors{source="mqueue"} 0'
	run --separate-stderr pipc metrics -t mq --mqueue-dir "$BATS_TEST_TMPDIR/plain"
	assert_failure 1
	[[ $stderr == *"is not an mqueue filesystem"* ]]
	promtool check metrics <<< "$output"
	# A shm directory that is not there: the rest is still counted.
	run --separate-stderr pipc metrics --shm-dir /nonexistent
	assert_failure 1
	[[ $stderr == *"/nonexistent: No such file or directory"* ]]
	promtool check metrics <<< "$output"
	assert_line 'pipc_scan_errors{source="shm"} 1'
	assert_line 'pipc_scan_errors{source="mqueue"} 0'
	refute_line --partial 'pipc_store_'
}

@test "metrics: a store path with quotes, backslashes and a newline" {
	dir="$BATS_TEST_TMPDIR/a\"b\\c
d"
	mkdir "$dir"
	run pipc metrics --shm-dir "$dir"
	assert_success
	promtool check metrics <<< "$output"
	assert_line --regexp '^pipc_store_size_bytes\{store=".*/a\\"b\\\\x5cc\\\\x0ad"\} [0-9]+$'
}

@test "metrics: pipc-metrics(1)'s alert rules pass promtool, on metrics that exist" {
	rules=$BATS_TEST_TMPDIR/rules.yml
	awk '/^```$/ { if (on) exit; next } /^groups:$/ { on = 1 } on' \
	    "$TOP/man/pipc-metrics.1.scd" > "$rules"
	grep -q 'alert: StaleLock' "$rules"
	run promtool check rules "$rules"
	assert_success
	assert_output --partial "SUCCESS: 5 rules found"
	run pipc metrics
	assert_success
	for m in $(grep -o 'pipc_[a-z_]*' "$rules" | sort -u); do
		assert_line --regexp "^# TYPE $m gauge\$"
	done
}

@test "metrics: usage errors, and a write error on stdout" {
	for args in extra "-t pipe" --textfile "--textfile /nonexistent extra"; do
		# shellcheck disable=SC2086
		run --separate-stderr pipc metrics $args
		assert_failure 2
		[ -z "$output" ]
		[ -n "$stderr" ]
	done
	run --separate-stderr pipc metrics extra
	[[ $stderr == *"unexpected argument 'extra'"* ]]
	run --separate-stderr sh -c '"$1" metrics > /dev/full' sh "$PIPC"
	assert_failure 1
	[[ $stderr == *"write error on standard output"* ]]
}

@test "--textfile: DIR/pipc.prom, mode 0644, nothing else left" {
	fixture
	d=$BATS_TEST_TMPDIR/prom
	mkdir "$d"
	run --separate-stderr bash -c 'umask 077; "$1" metrics --textfile "$2"' \
	    sh "$PIPC" "$d"
	assert_success
	[ -z "$output" ]
	[ -z "$stderr" ]
	[ "$(ls -A "$d")" = pipc.prom ]
	[ "$(stat -c %a "$d/pipc.prom")" = 644 ]
	promtool check metrics < "$d/pipc.prom"
	[ "$(metric_sums < "$d/pipc.prom")" = "$(ls_sums)" ]
}

# The reader: polls DIR/pipc.prom until DIR/../done appears. Every read
# must be the whole text: as long as the first (only the duration's digits
# change, and not their number) and ended by the last family's sample; and
# no other *.prom may ever show. Builtins only, so that it polls often.
# Prints how many reads it made.
poll() {
	local d=$1 size=$2 n=0 text f
	shopt -s dotglob nullglob
	while [ ! -e "$d/../done" ]; do
		IFS= read -r -d '' text < "$d/pipc.prom" || true
		if [ "${#text}" != "$size" ] ||
		    ! [[ $text =~ pipc_scan_duration_seconds\ [0-9.]+$'\n'$ ]]; then
			echo "read $n: ${#text} bytes, not $size"
			return 1
		fi
		for f in "$d"/*.prom; do
			[ "$f" = "$d/pipc.prom" ] || { echo "also $f"; return 1; }
		done
		n=$((n + 1))
	done
	echo "$n"
}

@test "--textfile: a reader polling during 1,000 rewrites sees whole files" {
	fixture
	d=$BATS_TEST_TMPDIR/prom
	mkdir "$d"
	# tmpfs: what is tested is the rename, not how fast a disk syncs.
	mount -t tmpfs pipc-prom "$d"
	pipc metrics --textfile "$d"
	poll "$d" "$(wc -c < "$d/pipc.prom")" > "$BATS_TEST_TMPDIR/reads" &
	reader=$!
	# The reader takes what CPU the writer leaves it.
	renice -n 19 -p "$reader" > /dev/null
	run sh -c 'i=0; while [ $i -lt 1000 ]; do
	    "$1" metrics --textfile "$2" || exit 1; i=$((i + 1)); done' \
	    sh "$PIPC" "$d"
	touch "$BATS_TEST_TMPDIR/done"
	assert_success
	wait "$reader" || fail "reader: $(cat "$BATS_TEST_TMPDIR/reads")"
	reads=$(cat "$BATS_TEST_TMPDIR/reads")
	echo "$reads reads"
	[ "$reads" -ge 100 ]
	[ "$(ls -A "$d")" = pipc.prom ]
	umount "$d"
}

@test "--textfile: a directory missing, unwritable or full: exit 1, old file kept" {
	run --separate-stderr pipc metrics --textfile /nonexistent/dir
	assert_failure 1
	[ -z "$output" ]
	[ "$stderr" = "pipc: --textfile /nonexistent/dir: No such file or directory" ]
	# Unwritable, as an ordinary user (root ignores permissions).
	public_mqueue
	mkdir /mnt/prom
	echo old > /mnt/prom/pipc.prom
	run --separate-stderr nobody "$PIPC" metrics --textfile /mnt/prom
	assert_failure 1
	[ -z "$output" ]
	[ "$stderr" = "pipc: /mnt/prom/pipc.prom: cannot create a temporary file: Permission denied; the old file is left as it was" ]
	[ "$(cat /mnt/prom/pipc.prom)" = old ]
	[ "$(ls -A /mnt/prom)" = pipc.prom ]
	# Full: the text does not fit; the half-written file goes.
	mount -t tmpfs -o size=8k pipc-full /mnt/prom
	echo old > /mnt/prom/pipc.prom
	run --separate-stderr pipc metrics --textfile /mnt/prom
	assert_failure 1
	[[ $stderr == *"/mnt/prom/pipc.prom: cannot write: No space left on device; the old file is left as it was" ]]
	[ "$(cat /mnt/prom/pipc.prom)" = old ]
	[ "$(ls -A /mnt/prom)" = pipc.prom ]
	umount /mnt/prom
}

@test "valgrind: metrics and metrics --textfile" {
	command -v valgrind >/dev/null || skip "valgrind is not installed"
	[ -z "${PIPC_BIN-}" ] || skip "valgrind cannot run the sanitizer build"
	fixture
	mkdir "$BATS_TEST_TMPDIR/prom"
	for args in "" "--textfile $BATS_TEST_TMPDIR/prom"; do
		# shellcheck disable=SC2086
		run valgrind -q --leak-check=full --error-exitcode=99 "$PIPC" \
		    metrics $args
		assert_success
	done
	promtool check metrics < "$BATS_TEST_TMPDIR/prom/pipc.prom"
}
