#!/usr/bin/env bats
# gc against the open/unlink race: a churner keeps opening and mapping the
# objects gc is collecting, and counts the opens left on an unlinked object.
load helpers

# race CHURNER... -- COLLECTOR...: run COLLECTOR in a loop (at least 100
# times) while the churner opens objects; prints the churner's counts and
# "runs=N".
race() {
	local churner=() churn runs=0

	while [ "$1" != -- ]; do
		churner+=("$1")
		shift
	done
	shift
	"${churner[@]}" > "$BATS_TEST_TMPDIR/churn" &
	churn=$!
	while kill -0 "$churn" 2>/dev/null || [ "$runs" -lt 100 ]; do
		"$@" >> "$BATS_TEST_TMPDIR/collector" || return 1
		runs=$((runs + 1))
	done
	wait "$churn" || return 1
	echo "$(cat "$BATS_TEST_TMPDIR/churn") runs=$runs"
}

count() {
	sed -n "s/.*$1=\([0-9]*\).*/\1/p" <<< "$output"
}

@test "gc never unlinks an object a process opened meanwhile" {
	run race "$HELP/gc_churn" /dev/shm 64 10000 -- "$PIPC" gc --min-age 0 'churn.*'
	assert_success
	echo "$output"
	[ "$(count opens)" -ge 10000 ]
	[ "$(count runs)" -ge 100 ]
	# The collector did collect: objects went missing and were recreated.
	[ "$(count missing)" -gt 100 ]
	[ "$(count unlinked)" -eq 0 ]
	# And the race was met: some objects were opened after gc judged
	# them, and put back (without -v, only those show as held).
	grep -c 'kept: held$' "$BATS_TEST_TMPDIR/collector"
	[ "$(grep -c 'kept: held$' "$BATS_TEST_TMPDIR/collector")" -gt 0 ]
}

@test "the race test sees a naive check-then-unlink collector lose" {
	run race "$HELP/gc_churn" /dev/shm 64 10000 -- "$HELP/gc_naive" /dev/shm 1
	assert_success
	echo "$output"
	[ "$(count opens)" -ge 10000 ]
	[ "$(count unlinked)" -gt 0 ]
}

# The same for queues, with the churner not root: the mode 01000 guard,
# not a rename, keeps it out while gc looks again.
MQCHURN=(setpriv --reuid=65534 --regid=65534 --clear-groups)

@test "queues: gc never unlinks one a (non-root) process opened meanwhile" {
	run race "${MQCHURN[@]}" "$HELP/gc_mqchurn" 32 3000 -- "$PIPC" gc --min-age 0 --all-users -t mq
	assert_success
	echo "$output"
	[ "$(count opens)" -ge 3000 ]
	[ "$(count runs)" -ge 100 ]
	[ "$(count missing)" -gt 100 ]
	[ "$(count denied)" -gt 0 ]
	[ "$(count unlinked)" -eq 0 ]
	# No queue is left at the guard's mode.
	run find "$MQ" -perm 1000
	assert_output ""
}

@test "queues: the naive collector loses the race" {
	run race "${MQCHURN[@]}" "$HELP/gc_mqchurn" 32 3000 -- "$HELP/gc_naive" "$MQ" 1
	assert_success
	echo "$output"
	[ "$(count unlinked)" -gt 0 ]
}

# As an ordinary user, with a root process it cannot read: the kernel's
# lease, not /proc, says nobody holds what gc takes.
@test "an ordinary user's gc never unlinks an object it opened meanwhile: shm and sem" {
	public_mqueue
	sleep 1000 &
	run race nobody "$HELP/gc_churn" /dev/shm 64 10000 -- nobody "$PIPC" gc --min-age 0 'churn.*'
	assert_success
	echo "$output"
	[ "$(count opens)" -ge 10000 ]
	[ "$(count missing)" -gt 100 ]
	[ "$(count unlinked)" -eq 0 ]
}

@test "an ordinary user's gc never unlinks a queue it opened meanwhile" {
	public_mqueue
	sleep 1000 &
	run race nobody "$HELP/gc_mqchurn" 32 3000 -- nobody "$PIPC" gc --min-age 0 -t mq
	assert_success
	echo "$output"
	[ "$(count opens)" -ge 3000 ]
	[ "$(count missing)" -gt 100 ]
	[ "$(count unlinked)" -eq 0 ]
}
