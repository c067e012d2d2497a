load helpers

# Every bad input: the documented exit status, a message naming the problem,
# and both IPC directories byte-for-byte as they were.
setup() {
	ipc_setup
	pipc create shm m -s 4K >/dev/null
	printf 'data' | pipc map m --write
	pipc create sem s -v 1 >/dev/null
	pipc create mq q --maxmsg 2 --msgsize 16 >/dev/null
	pipc send q kept
	mkdir /dev/shm/dir
	ln -s /etc/passwd /dev/shm/outside
	BEFORE=$(ipc_snapshot; pipc map m | od -c; pipc ls -J -t sem -t mq | jq -c '.objects[] | [.value, .msgs]')
}

# expect CODE MESSAGE -- COMMAND...
expect() {
	local code=$1 msg=$2
	shift 3
	run "$@"
	assert_failure "$code"
	assert_output "$msg"
	[ "$(ipc_snapshot; pipc map m | od -c; pipc ls -J -t sem -t mq | jq -c '.objects[] | [.value, .msgs]')" = "$BEFORE" ]
}

@test "bad sizes: -1, 0x, 12Q, 20 digits, 1E" {
	expect 2 "pipc: -s: '-1' is not a size: give bytes, or a number with a K, M, G, T, P or E suffix (powers of 1024)" -- pipc create shm x -s -1
	expect 2 "pipc: -s: '0x' is not a size: give bytes, or a number with a K, M, G, T, P or E suffix (powers of 1024)" -- pipc create shm x -s 0x
	expect 2 "pipc: -s: '12Q' is not a size: give bytes, or a number with a K, M, G, T, P or E suffix (powers of 1024)" -- pipc create shm x -s 12Q
	expect 2 "pipc: -s: '99999999999999999999' is too large: at most 2^63-1 bytes" -- pipc create shm x -s 99999999999999999999
	run pipc create shm x -s 1E
	assert_failure 2
	assert_output --regexp "^pipc: -s 1E is larger than the whole filesystem of /dev/shm \([0-9.]+[KMGT]\)$"
	expect 2 "pipc: --offset: '-1' is not a size: give bytes, or a number with a K, M, G, T, P or E suffix (powers of 1024)" -- pipc map m --offset -1
	expect 2 "pipc: --length: '12Q' is not a size: give bytes, or a number with a K, M, G, T, P or E suffix (powers of 1024)" -- pipc map m --length 12Q
}

@test "bad modes: 999, abc, -1" {
	for m in 999 abc -1 8 +7 ''; do
		expect 2 "pipc: -m: '$m' is not an octal mode from 0 to 7777 (like 600 or 0644)" -- pipc create sem x -m "$m"
	done
	expect 2 "pipc: -m: '17777' is too large: an octal mode goes up to 7777" -- pipc create shm x -s 1 -m 17777
}

@test "bad names: empty, /, a/b, ., .., 256 bytes" {
	expect 2 "pipc: '': a name cannot be empty" -- pipc create shm '' -s 1
	expect 2 "pipc: '/': a name cannot be empty" -- pipc create mq /
	expect 2 "pipc: 'a/b': a name holds no '/' but the leading one" -- pipc create shm a/b -s 1
	expect 2 "pipc: '.': a name cannot be '.' or '..'" -- pipc create sem .
	expect 2 "pipc: '/..': a name cannot be '.' or '..'" -- pipc rm /..
	long=$(printf 'n%.0s' $(seq 256))
	expect 2 "pipc: '$long': a name is longer than 255 bytes (NAME_MAX)" -- pipc create shm "$long" -s 1
	expect 2 "pipc: '$long': a name is longer than 255 bytes (NAME_MAX)" -- pipc send "$long" x
	expect 2 "pipc: 'a/b': a name holds no '/' but the leading one" -- pipc map a/b
	expect 2 "pipc: '': a name cannot be empty" -- pipc recv mq:
}

@test "bad names: a semaphore name that only overflows with sem." {
	name=$(printf 's%.0s' $(seq 252))
	expect 2 "pipc: '$name': a semaphore name is longer than 251 bytes (NAME_MAX less the 4 of \"sem.\")" -- pipc create sem "$name"
	run pipc create shm "$name" -s 1
	assert_success
}

@test "bad names: a shared memory name beginning with sem., for create, map and rm" {
	rule='a shared memory name cannot begin with "sem.": sem.NAME is the file of the semaphore NAME'
	expect 2 "pipc: '/sem.s': $rule; for the semaphore /s, say sem:s" -- pipc create shm /sem.s -s 1
	expect 2 "pipc: 'sem.s': $rule; for the semaphore /s, say sem:s" -- pipc map sem.s
	expect 2 "pipc: 'sem.s': $rule; for the semaphore /s, say sem:s" -- pipc map shm:sem.s --zero
	expect 2 "pipc: 'sem.s': $rule; for the semaphore /s, say sem:s" -- pipc rm shm:sem.s
	expect 2 "pipc: '/sem.s': $rule; for the semaphore /s, say sem:s" -- pipc rm -t shm /sem.s
	expect 2 "pipc: 'sem./x': a name holds no '/' but the leading one" -- pipc rm -t shm sem./x
}

@test "bad mq attributes: above /proc/sys/fs/mqueue, naming limit and sysctl" {
	max=$(cat /proc/sys/fs/mqueue/msg_max)
	smax=$(cat /proc/sys/fs/mqueue/msgsize_max)
	expect 2 "pipc: --maxmsg $((max + 1)) is above fs.mqueue.msg_max ($max); raise it with sysctl fs.mqueue.msg_max=$((max + 1))" -- pipc create mq x --maxmsg $((max + 1))
	expect 2 "pipc: --msgsize $((smax + 1)) is above fs.mqueue.msgsize_max ($smax); raise it with sysctl fs.mqueue.msgsize_max=$((smax + 1))" -- pipc create mq x --msgsize $((smax + 1))
	expect 2 "pipc: --maxmsg: '0' is too small: give a whole number from 1 to 9223372036854775807" -- pipc create mq x --maxmsg 0
	expect 2 "pipc: --msgsize: '-5' is too small: give a whole number from 1 to 9223372036854775807" -- pipc create mq x --msgsize -5
}

@test "bad mq attributes: above the kernel's hard limits, no sysctl to suggest" {
	expect 2 "pipc: --maxmsg 65537 is above the kernel's hard limit of 65536 messages (HARD_MSGMAX): no sysctl can allow it" -- pipc create mq x --maxmsg 65537
	expect 2 "pipc: --msgsize 16777217 is above the kernel's hard limit of 16777216 bytes (HARD_MSGSIZEMAX): no sysctl can allow it" -- pipc create mq x --msgsize 16777217
	expect 2 "pipc: --maxmsg 9223372036854775807 is above the kernel's hard limit of 65536 messages (HARD_MSGMAX): no sysctl can allow it" -- pipc create mq x --maxmsg 9223372036854775807 --msgsize 1
	# At the hard limit, raising the sysctl would allow it: say so.
	max=$(cat /proc/sys/fs/mqueue/msg_max)
	smax=$(cat /proc/sys/fs/mqueue/msgsize_max)
	if [ "$max" -lt 65536 ]; then
		expect 2 "pipc: --maxmsg 65536 is above fs.mqueue.msg_max ($max); raise it with sysctl fs.mqueue.msg_max=65536" -- pipc create mq x --maxmsg 65536
	fi
	if [ "$smax" -lt 16777216 ]; then
		expect 2 "pipc: --msgsize 16777216 is above fs.mqueue.msgsize_max ($smax); raise it with sysctl fs.mqueue.msgsize_max=16777216" -- pipc create mq x --msgsize 16777216
	fi
}

@test "offsets and lengths past the end" {
	expect 1 "pipc: /m: --offset 4097 is past the end (4096 bytes)" -- pipc map m --offset 4097
	expect 1 "pipc: /m: --offset 4096 --length 1 goes past the end (4096 bytes)" -- pipc map m --offset 4096 --length 1
	expect 1 "pipc: /m: --offset 0 --length 8192 goes past the end (4096 bytes)" -- pipc map m --zero --length 8K
	expect 1 "pipc: /m: writing 5 bytes at offset 4092 goes past the end (4096 bytes); nothing written (--grow extends it)" -- sh -c "printf 12345 | '$PIPC' map m --write --offset 4092"
}

@test "map on a semaphore or a queue" {
	expect 2 "pipc: /s is a semaphore: map serves shared memory; use pipc lock, unlock or ls" -- pipc map s
	expect 2 "pipc: /q is a message queue: map serves shared memory; use pipc send, recv or ls" -- pipc map /q
	expect 2 "pipc: sem:s: map serves shared memory; for a semaphore use pipc lock, unlock or ls" -- pipc map sem:s
}

@test "rm of a directory, a symlink pointing outside, a name with ../" {
	expect 1 "pipc: shm:/dir: not an IPC object: a directory; not removed" -- pipc rm dir
	expect 1 "pipc: shm:/outside: not an IPC object: a symbolic link; not removed" -- pipc rm outside
	expect 2 "pipc: '../etc/passwd': a name holds no '/' but the leading one" -- pipc rm ../etc/passwd
	expect 2 "pipc: '/../shm/m': a name holds no '/' but the leading one" -- pipc rm /../shm/m
	expect 2 "pipc: '../x': a name holds no '/' but the leading one" -- pipc rm sem:../x
	[ -f /etc/passwd ]
}

@test "send and recv: bad numbers and messages" {
	expect 2 "pipc: -w: '-1' is not a number of seconds (like 5 or 0.25)" -- pipc send -w -1 q x
	expect 2 "pipc: -w: 'inf' is not a number of seconds (like 5 or 0.25)" -- pipc recv -w inf q
	expect 2 "pipc: -w: '99999999999' is too large: at most 2147483647 seconds" -- pipc recv -w 99999999999 q
	expect 2 "pipc: -p: '-1' is too small: give a whole number from 0 to 32767" -- pipc send -p -1 q x
	expect 2 "pipc: -c: 'many' is invalid: give a whole number from 1 to 9223372036854775807" -- pipc recv -c many q
	expect 1 "pipc: /q: the message (17 bytes) is larger than the queue's msgsize (16 bytes)" -- pipc send q 12345678901234567
}

@test "unknown options and types" {
	expect 2 "pipc: unknown type 'queue': use shm, sem or mq" -- pipc create queue x
	expect 2 "pipc: unknown type 'x': use shm, sem or mq" -- pipc rm -t x a
	run pipc create shm x -s 1 --bogus
	assert_failure 2
	assert_line --index 1 --partial "usage: pipc create"
}
