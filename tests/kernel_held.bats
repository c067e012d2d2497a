#!/usr/bin/env bats
# Whether anyone holds an object is the kernel's to say (a write lease);
# /proc only says who. ls, gc and rm give the same verdicts where /proc
# cannot see every holder: processes of another user, of another PID
# namespace, a main thread gone, a hand-off by fork, hard links.
load helpers

setup() {
	ipc_setup
	public_mqueue
}

inode() {
	stat -c %i "$1"
}

@test "nobody, root processes unreadable: its orphans go, what root holds stays" {
	unreadable_root
	nobody "$PIPC" create shm /mine -s 4k >/dev/null
	nobody "$PIPC" create sem /mylock -v 0 >/dev/null
	nobody "$PIPC" create mq /myq >/dev/null
	nobody "$PIPC" create shm /shared -s 4k -m 666 >/dev/null
	nobody "$PIPC" create sem /sharedsem -m 666 >/dev/null
	nobody "$PIPC" create mq /sharedq -m 666 >/dev/null
	start_until ready "$HELP/ls_hold" -m shm shared
	start_until ready "$HELP/ls_hold" sem sharedsem
	start_until ready "$HELP/ls_hold" mq sharedq
	run nobody "$PIPC" ls -o TYPE,NAME,HOLDERS,STATE,SOURCE
	assert_success
	assert_output "TYPE NAME       HOLDERS STATE      SOURCE
shm  /mine            0 orphan     kernel
shm  /shared         0+ in-use     kernel
sem  /mylock          0 stale-lock kernel
sem  /sharedsem      0+ in-use     kernel
mq   /myq             0 orphan     kernel
mq   /sharedq        0+ in-use     kernel"
	run nobody "$PIPC" ls -J shm:shared
	assert_success
	[ "$(jq -c '.objects[0] | [.holders, .unseen_holder, .source]' <<< "$output")" = '[[],true,"kernel"]' ]
	run nobody "$PIPC" gc --min-age 0
	assert_success
	assert_line --regexp '^shm /mine +4\.0K orphan +removed$'
	assert_line --regexp '^sem /mylock +32 stale-lock +removed$'
	assert_line --regexp '^mq +/myq +0 orphan +removed$'
	assert_line --regexp '^gc: removed 3 objects'
	run "$PIPC" ls -n -o NAME
	assert_output "/shared
/sharedsem
/sharedq"
}

@test "a holder in a sibling PID namespace: in-use, held unseen, as root and as owner" {
	"$PIPC" create shm /app -s 4k -m 666 >/dev/null
	chown nobody /dev/shm/app
	unshare --pid --fork --kill-child --mount-proc "$HELP/ls_hold" -m shm app > "$BATS_TEST_TMPDIR/out" &
	until grep -q ready "$BATS_TEST_TMPDIR/out"; do sleep 0.01; done
	sibling=(unshare --pid --fork --mount-proc)
	run "${sibling[@]}" "$PIPC" ls -p -o NAME,HOLDERS,STATE,SOURCE,PIDS
	assert_success
	assert_output "NAME HOLDERS STATE  SOURCE PIDS
/app      0+ in-use kernel -"
	run "${sibling[@]}" setpriv --reuid=65534 --regid=65534 --clear-groups "$PIPC" ls -n -o NAME,HOLDERS,STATE
	assert_output "/app 0+ in-use"
	run "${sibling[@]}" "$PIPC" gc --all-users --min-age 0 -v
	assert_success
	assert_line --regexp '^shm /app +4\.0K in-use +kept: held$'
	[ -e /dev/shm/app ]
	run "${sibling[@]}" "$PIPC" rm /app
	assert_success
	assert_output "pipc: shm:/app: still held, says the kernel, by a process not seen here (another user's or another PID namespace's): it keeps it; new openers get a new object"
}

# Every case twice: with the kernel's answer, and with /proc's alone.
for_both() {
	"$@"
	"$HELP/nolease" "$@"
}

@test "hard links: every name of a held inode is in-use; gc removes none" {
	"$PIPC" create shm /victim -s 4k -m 666 >/dev/null
	start_until ready "$HELP/ls_hold" -m shm victim
	nobody ln /dev/shm/victim /dev/shm/aaa
	nobody ln /dev/shm/victim /dev/shm/zzz
	run for_both "$PIPC" ls -n -o NAME,HOLDERS,STATE
	assert_success
	assert_output "/aaa    1 in-use
/victim 1 in-use
/zzz    1 in-use
/aaa    1 in-use
/victim 1 in-use
/zzz    1 in-use"
	run for_both "$PIPC" gc --all-users --min-age 0
	assert_success
	refute_line --regexp " removed$"
	[ "$(inode /dev/shm/victim)" = "$(inode /dev/shm/aaa)" ]
}

@test "a process whose main thread exited holds what its threads map or keep open" {
	"$PIPC" create shm /app -s 4k >/dev/null
	"$PIPC" create shm /fdonly -s 4k >/dev/null
	start_until ready "$HELP/zombie_leader" /dev/shm/app
	mapper=$BG_PID
	start_until ready "$HELP/zombie_leader" -f /dev/shm/fdonly
	keeper=$BG_PID
	[ "$(sed 's/.*) //' /proc/$mapper/stat | cut -c1)" = Z ]
	run for_both "$PIPC" ls -n -o NAME,HOLDERS,STATE,PIDS
	assert_success
	assert_output "/app    1 in-use $mapper(zombie_leader)
/fdonly 1 in-use $keeper(zombie_leader)
/app    1 in-use $mapper(zombie_leader)
/fdonly 1 in-use $keeper(zombie_leader)"
	run for_both "$PIPC" gc --all-users --min-age 0
	assert_success
	refute_line --regexp " removed$"
}

@test "a holder that hands off by fork, at 1, 10 and 20 ms: never collected" {
	"$PIPC" create shm /chain -s 4k >/dev/null
	ino=$(inode /dev/shm/chain)
	for ms in 1 10 20; do
		out=$BATS_TEST_TMPDIR/chain.$ms
		"$HELP/handoff" "$ms" $((2000 / ms)) /dev/shm/chain > "$out" &
		until grep -q ready "$out"; do sleep 0.01; done
		runs=0
		until grep -q done "$out"; do
			"$PIPC" gc --min-age 0 -v chain >> "$BATS_TEST_TMPDIR/gc"
			runs=$((runs + 1))
		done
		kill "$(sed -n 's/^done //p' "$out")"
		echo "$ms ms: $runs runs"
		[ "$runs" -ge 10 ]
	done
	run grep -c 'kept: held$' "$BATS_TEST_TMPDIR/gc"
	[ "$output" -ge 30 ]
	run grep -v 'kept: held$\|^gc: ' "$BATS_TEST_TMPDIR/gc"
	assert_output ""
	[ "$(inode /dev/shm/chain)" = "$ino" ]
}

@test "no answer from the kernel: another user's object, or no leases: unknown" {
	unreadable_root
	"$PIPC" create shm /roots -s 4k -m 644 >/dev/null
	nobody "$PIPC" create shm /mine -s 4k >/dev/null
	run nobody "$PIPC" ls -o NAME,HOLDERS,STATE,SOURCE
	assert_success
	assert_line --index 0 --partial "could not be read: objects nobody is seen to hold are 'unknown'"
	assert_line "/mine        0 orphan  kernel"
	assert_line "/roots       ? unknown -"
	run nobody "$HELP/nolease" "$PIPC" ls -n -o NAME,HOLDERS,STATE,SOURCE
	assert_line "/mine  ? unknown -"
	run nobody "$HELP/nolease" "$PIPC" gc --min-age 0
	assert_success
	assert_line "gc: removed 0 objects (0), kept 2 (1 unknown, 1 other user)"
	[ -e /dev/shm/mine ]
}

@test "a probe holds no opener back: opens while ls reads 10,000 objects take under a second" {
	for i in $(seq 0 9999); do : > "/dev/shm/o.$i"; done
	mkfifo "$BATS_TEST_TMPDIR/stop"
	"$HELP/opener" /dev/shm o. 10000 < "$BATS_TEST_TMPDIR/stop" > "$BATS_TEST_TMPDIR/out" &
	exec 7> "$BATS_TEST_TMPDIR/stop"
	until grep -q ready "$BATS_TEST_TMPDIR/out"; do sleep 0.01; done
	for i in 1 2 3; do
		run "$PIPC" ls -n -o NAME,STATE
		assert_success
	done
	exec 7>&-
	wait
	cat "$BATS_TEST_TMPDIR/out"
	opens=$(sed -n 's/.*opens=\([0-9]*\).*/\1/p' "$BATS_TEST_TMPDIR/out")
	max=$(sed -n 's/.*max_ms=\([0-9]*\).*/\1/p' "$BATS_TEST_TMPDIR/out")
	[ "$opens" -gt 100 ]
	[ "$max" -lt 1000 ]
}
