load helpers
load lock_helpers

mkq() {
	pipc create mq "$@" >/dev/null
}

@test "send: a message from the argument, exactly its bytes" {
	mkq q
	run pipc send q 'hello world'
	assert_success
	assert_output ""
	[ "$("$HELP/interop_posix" mq-recv /q)" = "0 hello world" ]
}

@test "send: a message from stdin, with - or no MESSAGE, binary-safe" {
	mkq q
	printf 'a\0b\n' | pipc send q -
	printf 'two' | pipc send q
	run pipc recv -J -c 2 q
	assert_success
	assert_output $'{"priority":0,"size":4,"message":"a\\u0000b\\n"}\n{"priority":0,"size":3,"message":"two"}'
}

@test "send -p: priority orders the queue" {
	mkq q
	pipc send q low
	pipc send -p 9 q high
	run pipc recv -c 2 q
	assert_output $'high\nlow'
	run pipc send -p 32768 q x
	assert_failure 2
	assert_output "pipc: -p: '32768' is too large: give a whole number from 0 to 32767"
}

@test "send: a message over msgsize is refused before sending" {
	mkq q --maxmsg 2 --msgsize 8
	before=$(ipc_snapshot)
	run pipc send q 123456789
	assert_failure 1
	assert_output "pipc: /q: the message (9 bytes) is larger than the queue's msgsize (8 bytes)"
	run sh -c "head -c 100000 /dev/zero | '$PIPC' send q"
	assert_failure 1
	assert_output "pipc: /q: the message (over 8 bytes) is larger than the queue's msgsize (8 bytes)"
	[ "$(ipc_snapshot)" = "$before" ]
	run pipc send q 12345678
	assert_success
}

@test "send -n: a full queue is exit 3 at once" {
	mkq q --maxmsg 1 --msgsize 8
	pipc send q one
	run pipc send -n q two
	assert_failure 3
	assert_output "pipc: /q: queue full (1 messages)"
}

@test "send -w: waits for room, then times out with exit 3" {
	mkq q --maxmsg 1 --msgsize 8
	pipc send q one
	start=$(date +%s%N)
	run pipc send -w 0.3 q two
	end=$(date +%s%N)
	assert_failure 3
	assert_output "pipc: /q: timed out after 0.3 s: queue still full (1 messages)"
	[ $(( (end - start) / 1000000 )) -ge 290 ]
	(sleep 0.2; "$PIPC" recv q >/dev/null) 3>&- &
	run pipc send -w 5 q two
	assert_success
}

@test "send: blocks on a full queue until there is room" {
	mkq q --maxmsg 1 --msgsize 8
	pipc send q one
	(sleep 0.2; "$PIPC" recv q >/dev/null) 3>&- &
	run pipc send q two
	assert_success
	[ "$(pipc recv q)" = two ]
}

@test "send: other kinds and missing queues" {
	pipc create shm s -s 1 >/dev/null
	pipc create sem l >/dev/null
	run pipc send s x
	assert_failure 2
	assert_output "pipc: /s is shared memory: send and recv serve message queues; use pipc map or ls"
	run pipc send l x
	assert_failure 2
	assert_output "pipc: /l is a semaphore: send and recv serve message queues; use pipc lock, unlock or ls"
	run pipc send shm:q x
	assert_failure 2
	run pipc send nope x
	assert_failure 1
	assert_output "pipc: /nope: no such queue"
}

@test "send: usage errors change nothing" {
	mkq q
	before=$(ipc_snapshot)
	run pipc send
	assert_failure 2
	run pipc send q a b
	assert_failure 2
	run pipc send -n -w 1 q a
	assert_failure 2
	assert_output "pipc: -n and -w exclude each other"
	for w in -1 nan inf 1e3 '' ' 1' 0x10 1.2.3; do
		run pipc send -w "$w" q a
		assert_failure 2
		assert_output "pipc: -w: '$w' is not a number of seconds (like 5 or 0.25)"
	done
	[ "$(ipc_snapshot)" = "$before" ]
}

@test "send: works on a queue directory of another IPC namespace" {
	other="$BATS_TEST_TMPDIR/other"
	mkdir "$other"
	unshare --ipc sh -c "mount -t mqueue none '$other' && '$HELP/interop_posix' mq-make /c 4 32"
	run pipc send --mqueue-dir "$other" c 'to the container'
	assert_success
	run pipc recv --mqueue-dir "$other" c
	assert_output "to the container"
	[ -z "$(ls -A "$MQ")" ]
	umount "$other"
}

@test "send -w, -n: another's lease on the queue's file is bounded by the deadline" {
	pipc create mq q --maxmsg 5 --msgsize 64 >/dev/null
	start_until ready "$HELP/lease" "$MQ/q"
	t0=$(now_ms)
	run -3 timeout 10 "$PIPC" send -w 1 q hello
	t=$(( $(now_ms) - t0 ))
	[ "$t" -ge 990 ] && [ "$t" -lt 5000 ]
	assert_output "pipc: /q: timed out after 1 s: another process holds a lease on its file"
	t0=$(now_ms)
	run -3 timeout 10 "$PIPC" send -n q hello
	[ $(( $(now_ms) - t0 )) -lt 2000 ]
	assert_output "pipc: /q: busy: another process holds a lease on its file"
	crash "$BG_PID"
	[ "$(pipc ls -o msgs -n q)" = 0 ]
}
