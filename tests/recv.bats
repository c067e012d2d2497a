load helpers
load lock_helpers

setup_queue() {
	pipc create mq q --maxmsg 5 --msgsize 64 >/dev/null
}

@test "recv: one message, ended by a newline" {
	setup_queue
	pipc send q first
	pipc send q second
	run pipc recv q
	assert_success
	assert_output "first"
	[ "$(pipc ls -o msgs -n q)" = 1 ]
}

@test "recv -c N: N messages in priority order" {
	setup_queue
	pipc send q a
	pipc send -p 3 q b
	pipc send q c
	run pipc recv -c 3 q
	assert_success
	assert_output $'b\na\nc'
}

@test "recv -0: each message ended by NUL, bytes exact" {
	setup_queue
	printf 'x\ny' | pipc send q
	pipc send q z
	pipc recv -0 -c 2 q > "$BATS_TEST_TMPDIR/out"
	printf 'x\ny\0z\0' | cmp - "$BATS_TEST_TMPDIR/out"
}

@test "recv -J: priority, size and the message JSON-escaped" {
	setup_queue
	pipc send -p 7 q "$(printf 'tab\there "q" \\ \001')"
	printf '\377\0' | pipc send q
	run pipc recv -J -c 2 q
	assert_success
	assert_line --index 0 '{"priority":7,"size":16,"message":"tab\there \"q\" \\ \u0001"}'
	assert_line --index 1 '{"priority":0,"size":2,"message":"\udcff\u0000"}'
	run jq -r .priority <<<"$output"
	assert_output $'7\n0'
}

@test "recv -n: an empty queue is exit 3 at once" {
	setup_queue
	run pipc recv -n q
	assert_failure 3
	assert_output "pipc: /q: queue empty"
}

@test "recv -c N -n: prints what there is, then exit 3" {
	setup_queue
	pipc send q one
	run pipc recv -n -c 2 q
	assert_failure 3
	assert_output $'one\npipc: /q: queue empty'
}

@test "recv -w: waits, then times out with exit 3" {
	setup_queue
	start=$(date +%s%N)
	run pipc recv -w .25 q
	end=$(date +%s%N)
	assert_failure 3
	assert_output "pipc: /q: timed out after .25 s: queue empty"
	[ $(( (end - start) / 1000000 )) -ge 240 ]
	(sleep 0.2; "$PIPC" send q late) 3>&- &
	run pipc recv -w 5 q
	assert_success
	assert_output "late"
}

@test "recv: blocks until a message comes" {
	setup_queue
	(sleep 0.2; "$PIPC" send q hello) 3>&- &
	run pipc recv q
	assert_success
	assert_output "hello"
}

@test "recv: usage errors" {
	setup_queue
	pipc send q keep
	before=$(ipc_snapshot)
	run pipc recv -0 -J q
	assert_failure 2
	assert_output "pipc: -0 and -J exclude each other"
	run pipc recv -c 0 q
	assert_failure 2
	assert_output "pipc: -c: '0' is too small: give a whole number from 1 to 9223372036854775807"
	run pipc recv q extra
	assert_failure 2
	run pipc recv sem:q
	assert_failure 2
	[ "$(ipc_snapshot)" = "$before" ]
}

@test "recv: the queue directory must be an mqueue filesystem" {
	run pipc recv --mqueue-dir /dev/shm q
	assert_failure 1
	assert_output "pipc: /dev/shm is not an mqueue filesystem (mount -t mqueue none /dev/shm, or give --mqueue-dir)"
}

@test "recv -w, -n: another's lease on the queue's file is bounded by the deadline" {
	setup_queue
	pipc send q waiting
	start_until ready "$HELP/lease" "$MQ/q"
	t0=$(now_ms)
	run -3 timeout 10 "$PIPC" recv -w 1 q
	t=$(( $(now_ms) - t0 ))
	[ "$t" -ge 990 ] && [ "$t" -lt 5000 ]
	assert_output "pipc: /q: timed out after 1 s: another process holds a lease on its file"
	run -3 timeout 10 "$PIPC" recv -n q
	assert_output "pipc: /q: busy: another process holds a lease on its file"
	crash "$BG_PID"
	[ "$(pipc ls -o msgs -n q)" = 1 ]
}

@test "recv: without -n or -w, waits for another's lease to be let go" {
	setup_queue
	pipc send q waiting
	start_until ready "$HELP/lease" -r "$MQ/q"
	run timeout 10 "$PIPC" recv q
	assert_success
	assert_output waiting
}
