load helpers

@test "rm: removes a name of each kind, silently; -v says so" {
	pipc create shm a -s 1 >/dev/null
	pipc create sem b >/dev/null
	pipc create mq c >/dev/null
	run pipc rm /a sem:b
	assert_success
	assert_output ""
	run pipc rm -v c
	assert_success
	assert_output "removed mq:/c"
	[ -z "$(ls -A /dev/shm)" ] && [ -z "$(ls -A "$MQ")" ]
}

@test "rm: a name in several kinds is refused with the list; the others still go" {
	pipc create shm x -s 1 >/dev/null
	pipc create sem x >/dev/null
	pipc create shm y -s 1 >/dev/null
	run pipc rm x y
	assert_failure 1
	assert_output "pipc: /x: exists as shm:/x and sem:/x; say which with -t or a prefix"
	[ -e /dev/shm/x ] && [ -e /dev/shm/sem.x ] && [ ! -e /dev/shm/y ]
	run pipc rm -t sem x
	assert_success
	[ -e /dev/shm/x ] && [ ! -e /dev/shm/sem.x ]
}

@test "rm: a missing name is exit 1, -f ignores it" {
	pipc create shm a -s 1 >/dev/null
	run pipc rm nope a
	assert_failure 1
	assert_output "pipc: /nope: no such object"
	[ ! -e /dev/shm/a ]
	run pipc rm -f nope 'zz*'
	assert_success
	assert_output ""
}

@test "rm -n: shows what would go and removes nothing" {
	pipc create shm a -s 1 >/dev/null
	pipc create mq a >/dev/null
	before=$(ipc_snapshot)
	run pipc rm -n shm:a mq:a
	assert_success
	assert_output $'would remove shm:/a\nwould remove mq:/a'
	[ "$(ipc_snapshot)" = "$before" ]
}

@test "rm: patterns match names by fnmatch, never entries that are no object" {
	for n in app.1 app.2 other; do pipc create shm $n -s 1 >/dev/null; done
	pipc create sem app.3 >/dev/null
	mkdir /dev/shm/app.dir
	run pipc rm -v 'app.*'
	assert_success
	assert_output $'removed shm:/app.1\nremoved shm:/app.2\nremoved sem:/app.3'
	[ -d /dev/shm/app.dir ] && [ -e /dev/shm/other ]
	run pipc rm 'nomatch*'
	assert_failure 1
	assert_output "pipc: /nomatch*: no such object"
}

@test "rm: a backslash makes a glob character literal" {
	pipc create shm 'a*' -s 1 >/dev/null
	pipc create shm ab -s 1 >/dev/null
	run pipc rm -v 'a\*'
	assert_success
	assert_output 'removed shm:/a*'
	[ -e /dev/shm/ab ]
}

@test "rm: never a directory, a link or a fifo; never follows a link" {
	mkdir /dev/shm/d
	echo keep > "$BATS_TEST_TMPDIR/target"
	ln -s "$BATS_TEST_TMPDIR/target" /dev/shm/l
	ln -s "$BATS_TEST_TMPDIR/target" /dev/shm/sem.l
	mkfifo /dev/shm/f
	before=$(ipc_snapshot)
	run pipc rm d shm:l sem:l f
	assert_failure 1
	assert_line "pipc: shm:/d: not an IPC object: a directory; not removed"
	assert_line "pipc: shm:/l: not an IPC object: a symbolic link; not removed"
	assert_line "pipc: sem:/l: not an IPC object: a symbolic link; not removed"
	assert_line "pipc: shm:/f: not an IPC object: a fifo; not removed"
	[ "$(ipc_snapshot)" = "$before" ]
	[ "$(cat "$BATS_TEST_TMPDIR/target")" = keep ]
}

@test "rm --all -t: removes every object of a kind, reports the count" {
	for n in a b c; do pipc create mq $n >/dev/null; done
	pipc create shm keep -s 1 >/dev/null
	run pipc rm --all -t mq -n
	assert_success
	assert_output $'would remove mq:/a\nwould remove mq:/b\nwould remove mq:/c\nwould remove 3 objects'
	run pipc rm --all -t mq
	assert_success
	assert_output "removed 3 objects"
	[ -z "$(ls -A "$MQ")" ] && [ -e /dev/shm/keep ]
	run pipc rm --all -t mq
	assert_success
	assert_output "removed 0 objects"
}

@test "rm --all: leaves foreign entries alone and says so" {
	pipc create shm a -s 1 >/dev/null
	mkdir /dev/shm/d
	run pipc rm --all -t shm
	assert_success
	assert_line "pipc: left alone 1 entry that is not an IPC object"
	assert_line "removed 1 object"
	[ -d /dev/shm/d ]
}

@test "rm: --all needs -t, takes no operand, and has no short or glued form" {
	pipc create mq a >/dev/null
	before=$(ipc_snapshot)
	run pipc rm --all
	assert_failure 2
	assert_output "pipc: --all needs -t TYPE: say which kind to empty"
	run pipc rm --all -t mq a
	assert_failure 2
	assert_output "pipc: --all takes no NAME: it removes every object of the kinds -t gives"
	run pipc rm -a mq
	assert_failure 2
	run pipc rm --all=mq
	assert_failure 2
	[ "$(ipc_snapshot)" = "$before" ]
}

@test "rm: a flag never swallows the next argument" {
	pipc create mq v >/dev/null
	pipc create mq f >/dev/null
	run pipc rm -v f
	assert_success
	assert_output "removed mq:/f"
	[ -e "$MQ/v" ]
}

@test "rm: warns when the object still has holders" {
	"$HELP/ls_hold" -c -s 4096 shm held > "$BATS_TEST_TMPDIR/out" &
	while [ ! -s "$BATS_TEST_TMPDIR/out" ]; do sleep 0.01; done
	run pipc rm -v held
	assert_success
	assert_line --regexp "^pipc: shm:/held: still held by [0-9]+\(ls_hold\): they keep it; new openers get a new object$"
	assert_line "removed shm:/held"
	[ ! -e /dev/shm/held ]
}

@test "rm: a bad operand is a usage error before anything is removed" {
	pipc create shm a -s 1 >/dev/null
	before=$(ipc_snapshot)
	run pipc rm a ../etc/passwd
	assert_failure 2
	assert_output "pipc: '../etc/passwd': a name holds no '/' but the leading one"
	run pipc rm -t sem shm:a
	assert_failure 2
	assert_output "pipc: shm:a: its prefix contradicts -t"
	run pipc rm -t blob a
	assert_failure 2
	[ "$(ipc_snapshot)" = "$before" ]
}

@test "rm: the mqueue directory is honoured" {
	other="$BATS_TEST_TMPDIR/mq2"
	mkdir "$other"
	mount -t mqueue none "$other"
	pipc create mq q >/dev/null
	run pipc rm -v --mqueue-dir "$other" mq:q
	assert_success
	[ ! -e "$MQ/q" ]
	umount "$other"
}

@test "rm: a shm name beginning with sem. is a usage error; a queue's is a name" {
	rule='a shared memory name cannot begin with "sem.": sem.NAME is the file of the semaphore NAME'
	pipc create sem cfg >/dev/null
	pipc create mq sem.q >/dev/null
	pipc create mq sem.r >/dev/null
	before=$(ipc_snapshot)
	run pipc rm shm:sem.cfg
	assert_failure 2
	assert_output "pipc: 'sem.cfg': $rule; for the semaphore /cfg, say sem:cfg"
	run pipc rm -t shm -t sem sem:cfg /sem.q 'shm:sem.*'
	assert_failure 2
	assert_output "pipc: 'sem.*': $rule; for the semaphore /*, say sem:*"
	[ "$(ipc_snapshot)" = "$before" ]
	# Without -t, or with -t mq, it may be a queue's name.
	run pipc rm -v /sem.q
	assert_success
	assert_output "removed mq:/sem.q"
	run pipc rm -v -t mq 'sem.*'
	assert_success
	assert_output "removed mq:/sem.r"
	[ -f /dev/shm/sem.cfg ]
}
