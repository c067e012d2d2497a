load helpers

@test "create shm: exact size and mode, printed like ls" {
	run pipc create shm /a -s 64K -m 640
	assert_success
	assert_line --index 0 "TYPE NAME SIZE OWNER MODE HOLDERS STATE  VALUE MSGS"
	assert_line --index 1 "shm  /a    64K root  0640       0 orphan     -    -"
	[ "$(stat -c '%s %a' /dev/shm/a)" = "65536 640" ]
}

@test "create: the mode is not filtered by the umask, for every kind" {
	umask 077
	pipc create shm a -s 1 -m 0666 >/dev/null
	pipc create sem a -m 0666 >/dev/null
	pipc create mq a -m 0666 >/dev/null
	[ "$(stat -c %a /dev/shm/a)" = 666 ]
	[ "$(stat -c %a /dev/shm/sem.a)" = 666 ]
	[ "$(stat -c %a "$MQ/a")" = 666 ]
}

@test "create: default mode is 0600" {
	pipc create shm a -s 1 >/dev/null
	[ "$(stat -c %a /dev/shm/a)" = 600 ]
}

@test "create shm: suffixes through expand_number" {
	for s in 4096:4096 64K:65536 1M:1048576 2k:2048 0:0 007:7; do
		pipc create shm "x${s%%:*}" -s "${s%%:*}" >/dev/null
		[ "$(stat -c %s "/dev/shm/x${s%%:*}")" = "${s##*:}" ]
	done
}

@test "create shm: needs -s" {
	run pipc create shm a
	assert_failure 2
	assert_output "pipc: create shm needs -s SIZE"
	[ ! -e /dev/shm/a ]
}

@test "create sem: value, a glibc sem_t of 32 bytes" {
	run pipc create sem s -v 7 -J
	assert_success
	[ "$(jq -r '.objects[0] | "\(.type) \(.name) \(.value) \(.size)"' <<<"$output")" = "sem /s 7 32" ]
}

@test "create mq: attributes, JSON" {
	run pipc create mq:/q --maxmsg 4 --msgsize 128 -J
	assert_success
	[ "$(jq -r '.objects[0] | "\(.type) \(.maxmsg) \(.msgsize) \(.msgs)"' <<<"$output")" = "mq 4 128 0" ]
}

@test "create mq: one attribute alone takes the default of the other" {
	run pipc create mq q --maxmsg 3 -J
	assert_success
	[ "$(jq -r '.objects[0].maxmsg' <<<"$output")" = 3 ]
	[ "$(jq -r '.objects[0].msgsize' <<<"$output")" = "$(cat /proc/sys/fs/mqueue/msgsize_default)" ]
}

@test "create: exclusive by default, exit 1, nothing changed" {
	pipc create shm a -s 4K -m 600 >/dev/null
	before=$(ipc_snapshot)
	run pipc create shm a -s 8K
	assert_failure 1
	assert_output "pipc: shm:/a: exists (--reuse opens it)"
	pipc create sem a >/dev/null
	run pipc create sem a
	assert_failure 1
	assert_output "pipc: sem:/a: exists (--reuse opens it)"
	pipc create mq a >/dev/null
	run pipc create mq a
	assert_failure 1
	assert_output "pipc: mq:/a: exists (--reuse opens it)"
	[ "$(stat -c %s /dev/shm/a)" = 4096 ]
}

@test "create --reuse: same size or attributes succeed, others fail" {
	pipc create shm a -s 4K >/dev/null
	run pipc create shm a -s 4K --reuse
	assert_success
	assert_line --index 1 --partial "/a"
	run pipc create shm a -s 8K --reuse
	assert_failure 1
	assert_output "pipc: shm:/a: exists with size 4096, not 8192; nothing changed"
	run pipc create shm a -s 4K -m 644 --reuse
	assert_failure 1
	assert_output "pipc: shm:/a: exists with mode 0600, not 0644; nothing changed"
	[ "$(stat -c '%s %a' /dev/shm/a)" = "4096 600" ]

	pipc create mq q --maxmsg 3 --msgsize 64 >/dev/null
	run pipc create mq q --maxmsg 3 --reuse
	assert_success
	run pipc create mq q --maxmsg 4 --reuse
	assert_failure 1
	assert_output "pipc: mq:/q: exists with maxmsg 3, not 4; nothing changed"
	run pipc create mq q --msgsize 65 --reuse
	assert_failure 1
	assert_output "pipc: mq:/q: exists with msgsize 64, not 65; nothing changed"
}

@test "create --reuse: creates when missing; a sem keeps its value" {
	run pipc create sem s -v 2 --reuse
	assert_success
	run pipc create sem s -v 5 --reuse -J
	assert_success
	[ "$(jq -r '.objects[0].value' <<<"$output")" = 2 ]
}

@test "create --reuse: a corrupt semaphore is refused" {
	head -c 10 /dev/zero > /dev/shm/sem.bad
	run pipc create sem bad --reuse
	assert_failure 1
	assert_output "pipc: sem:/bad: exists and is not a valid semaphore (corrupt)"
	mkdir /dev/shm/dir
	run pipc create shm dir -s 1 --reuse
	assert_failure 1
	assert_output --partial "pipc: shm:/dir:"
}

@test "create: options of another kind are usage errors" {
	run pipc create sem s -s 4
	assert_failure 2
	assert_output "pipc: -s is for shm only: a sem has no size to choose"
	run pipc create shm a -s 1 -v 3
	assert_failure 2
	assert_output "pipc: -v is for sem only"
	run pipc create shm a -s 1 --maxmsg 3
	assert_failure 2
	assert_output "pipc: --maxmsg and --msgsize are for mq only"
	run pipc create blob a
	assert_failure 2
	assert_output "pipc: unknown type 'blob': use shm, sem or mq"
	run pipc create a
	assert_failure 2
	assert_line --index 0 --partial "usage: pipc create"
	[ -z "$(ls -A /dev/shm)" ]
}

@test "create mq: the queue directory must be an mqueue filesystem" {
	run pipc create mq q --mqueue-dir /dev/shm
	assert_failure 1
	assert_output "pipc: /dev/shm is not an mqueue filesystem (mount -t mqueue none /dev/shm, or give --mqueue-dir)"
}

@test "create mq: a directory of another IPC namespace is refused, undone" {
	other="$BATS_TEST_TMPDIR/other"
	mkdir "$other"
	unshare --ipc sh -c "mount -t mqueue none '$other'"
	run pipc create mq q --mqueue-dir "$other"
	assert_failure 1
	assert_output "pipc: $other belongs to another IPC namespace than this process: queues cannot be created there"
	[ -z "$(ls -A "$other")" ]
	[ -z "$(ls -A "$MQ")" ]
	umount "$other"
}

@test "create: --shm-dir is honoured" {
	d="$BATS_TEST_TMPDIR/shm"
	mkdir "$d"
	run pipc create sem s --shm-dir "$d" -v 1
	assert_success
	[ -f "$d/sem.s" ]
	[ ! -e /dev/shm/sem.s ]
}

@test "create: a kind prefix on the name is the kind's own, or refused" {
	run pipc create sem sem:pfx -v 2
	assert_success
	assert [ -f /dev/shm/sem.pfx ]
	before=$(ipc_snapshot)
	run pipc create shm sem:x -s 1
	assert_failure 2
	assert_output "pipc: 'sem:x': the prefix names another kind than shm"
	[ "$(ipc_snapshot)" = "$before" ]
}

@test "create shm: a name beginning with sem. is refused: its file is a semaphore's" {
	rule='a shared memory name cannot begin with "sem.": sem.NAME is the file of the semaphore NAME'
	run pipc create shm /sem.cfg -s 4K
	assert_failure 2
	assert_output "pipc: '/sem.cfg': $rule; for the semaphore /cfg, say sem:cfg"
	run pipc create shm:sem.cfg -s 4K
	assert_failure 2
	assert_output "pipc: 'sem.cfg': $rule; for the semaphore /cfg, say sem:cfg"
	run pipc create shm sem. -s 4K
	assert_failure 2
	assert_output "pipc: 'sem.': $rule"
	[ -z "$(ls -A /dev/shm)" ]
	# Only shared memory: a semaphore's file is sem.sem.cfg, a queue's its name.
	run pipc create sem sem.cfg
	assert_success
	run pipc create mq /sem.cfg
	assert_success
	[ -f /dev/shm/sem.sem.cfg ] && [ -e "$MQ/sem.cfg" ]
	[ "$(ls -A /dev/shm)" = sem.sem.cfg ]
	# Case matters, as it does to glibc.
	run pipc create shm SEM.cfg -s 1
	assert_success
}
