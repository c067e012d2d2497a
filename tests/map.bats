load helpers
bats_require_minimum_version 1.5.0

mk() {
	pipc create shm "$1" -s "$2" >/dev/null
}

@test "map: writes the object's bytes to stdout, exactly" {
	mk m 16
	printf 'abc\0def' > /dev/shm/m
	truncate -s 16 /dev/shm/m
	pipc map m > "$BATS_TEST_TMPDIR/out"
	cmp "$BATS_TEST_TMPDIR/out" /dev/shm/m
}

@test "map: --offset and --length take a range; suffixes work" {
	mk m 8K
	printf 'hello' | dd of=/dev/shm/m bs=1 seek=4096 conv=notrunc 2>/dev/null
	run pipc map m --offset 4K --length 5
	assert_success
	assert_output "hello"
	run pipc map /m --offset 8K
	assert_success
	assert_output ""
}

@test "map -x: the format of hexdump -C, offsets of the object" {
	mk m 100
	printf 'Hello, world\n\001\377' > /dev/shm/m
	truncate -s 100 /dev/shm/m
	run pipc map -x m
	assert_success
	assert_output "$(hexdump -C /dev/shm/m)"
	run pipc map -x m --offset 7 --length 40
	assert_success
	assert_output "$(hexdump -C -s 7 -n 40 /dev/shm/m)"
	assert_line --index 0 "00000007  77 6f 72 6c 64 0a 01 ff  00 00 00 00 00 00 00 00  |world...........|"
}

@test "map --write: copies stdin at the offset; nothing past the end without --grow" {
	mk m 10
	printf 'XY' | pipc map m --write --offset 3
	[ "$(od -An -c /dev/shm/m | tr -s ' ')" = " \\0 \\0 \\0 X Y \\0 \\0 \\0 \\0 \\0" ]
	before=$(ipc_snapshot)
	run sh -c "printf 0123456789 | '$PIPC' map m --write --offset 1"
	assert_failure 1
	assert_output "pipc: /m: writing 10 bytes at offset 1 goes past the end (10 bytes); nothing written (--grow extends it)"
	[ "$(ipc_snapshot)" = "$before" ]
	run sh -c "printf 0123456789 | '$PIPC' map m --write --offset 1 --grow"
	assert_success
	[ "$(stat -c %s /dev/shm/m)" = 11 ]
	[ "$(pipc map m --offset 1)" = 0123456789 ]
}

@test "map --zero: clears a range" {
	mk m 8
	printf 'abcdefgh' > /dev/shm/m
	run pipc map m --zero --offset 2 --length 3
	assert_success
	[ "$(pipc map m | tr '\0' .)" = "ab...fgh" ]
	run pipc map m --zero
	assert_success
	[ "$(pipc map m | tr '\0' .)" = "........" ]
}

@test "map: ranges past the end fail and change nothing" {
	mk m 4K
	before=$(ipc_snapshot)
	run pipc map m --offset 5K
	assert_failure 1
	assert_output "pipc: /m: --offset 5120 is past the end (4096 bytes)"
	run pipc map m --offset 4000 --length 97
	assert_failure 1
	assert_output "pipc: /m: --offset 4000 --length 97 goes past the end (4096 bytes)"
	run pipc map m --zero --length 5K
	assert_failure 1
	[ "$(ipc_snapshot)" = "$before" ]
}

@test "map: a semaphore or a queue is a usage error naming the right command" {
	pipc create sem s >/dev/null
	pipc create mq q >/dev/null
	run pipc map s
	assert_failure 2
	assert_output "pipc: /s is a semaphore: map serves shared memory; use pipc lock, unlock or ls"
	run pipc map sem:s
	assert_failure 2
	assert_output "pipc: sem:s: map serves shared memory; for a semaphore use pipc lock, unlock or ls"
	run pipc map q
	assert_failure 2
	assert_output "pipc: /q is a message queue: map serves shared memory; use pipc send, recv or ls"
	run pipc map nope
	assert_failure 1
	assert_output "pipc: /nope: no such object"
}

@test "map: a directory or a link is not opened" {
	mkdir /dev/shm/d
	ln -s /etc/passwd /dev/shm/l
	run pipc map d
	assert_failure 1
	assert_output "pipc: /d: not an IPC object: a directory"
	run pipc map l
	assert_failure 1
	assert_output "pipc: /l: not an IPC object: a symbolic link"
}

@test "map: an object that shrinks while mapped is a clear error, no core" {
	mk big 8M
	# The pipe fills, pipc blocks in write; then the object is cut short.
	bash -c "{ '$PIPC' map big; echo rc=\$? >&2; } 2>'$BATS_TEST_TMPDIR/err' |
	    { sleep 0.5; truncate -s 0 /dev/shm/big; cat >/dev/null; }"
	run cat "$BATS_TEST_TMPDIR/err"
	assert_output $'pipc: /big: object shrank while mapped\nrc=1'
}

@test "map --hold -- CMD: pipc is a holder while CMD runs; CMD's status" {
	mk m 4K
	run pipc map m --hold -- sh -c "'$PIPC' ls -p -o name,pids,state m; exit 7"
	assert_failure 7
	assert_line --index 1 --regexp '^/m +[0-9]+\(pipc\) in-use$'
	run pipc map m --hold -- sh -c 'kill -TERM $$'
	assert_failure 143
	run -127 pipc map m --hold -- /nonexistent/cmd
	assert_output "pipc: /nonexistent/cmd: No such file or directory"
}

@test "map --hold: without CMD, holds until a signal, then exit 0" {
	mk m 4K
	"$PIPC" map m --hold 3>&- &
	pid=$!
	for i in $(seq 100); do
		pipc ls -o holders -n m | grep -q 1 && break
		sleep 0.05
	done
	run pipc ls -p -o pids -n m
	assert_output "$pid(pipc)"
	kill -TERM $pid
	rc=0
	wait $pid || rc=$?
	[ "$rc" -eq 0 ]
}

@test "map: option mistakes are usage errors" {
	mk m 4K
	run pipc map m --write --zero
	assert_failure 2
	run pipc map m -x --write
	assert_failure 2
	run pipc map m --grow
	assert_failure 2
	assert_output "pipc: --grow is for --write"
	run pipc map m --write --length 3
	assert_failure 2
	run pipc map m extra
	assert_failure 2
	assert_output "pipc: unexpected argument 'extra': only --hold runs a command"
	run pipc map m --hold --offset 1
	assert_failure 2
}
