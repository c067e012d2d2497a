load helpers
load lock_helpers
bats_require_minimum_version 1.5.0

@test "unlock: releases the lock its own script took, and clears the record" {
	run sh -c '"$0" lock x && "$0" unlock x' "$PIPC"
	assert_success
	assert_output ""
	[ "$(value x)" = 1 ]
	run record x
	assert_failure 1
}

@test "unlock: from a subshell of the owner script too" {
	run sh -c '"$0" lock x && (sh -c "\"$0\" unlock x")' "$PIPC"
	assert_success
	[ "$(value x)" = 1 ]
}

@test "unlock: refuses a lock that is not held (value 1), changes nothing" {
	pipc lock x -- true
	before=$(ipc_snapshot)
	run -1 pipc unlock x
	assert_output "pipc: /x is not locked (value 1): nothing to release"
	[ "$before" = "$(ipc_snapshot)" ]
	[ "$(value x)" = 1 ]
}

@test "unlock: refuses a lock another live process owns; --force releases it" {
	sleep 100 &
	s=$!
	pipc lock --owner "$s" x
	run -1 pipc unlock x
	assert_output --partial "/x is held by PID $s (sleep), not by this process"
	[ "$(value x)" = 0 ]
	run pipc unlock --force x
	assert_success
	assert_output "pipc: /x: released the lock of PID $s (sleep) (--force)"
	[ "$(value x)" = 1 ]
	run record x
	assert_failure 1
}

@test "unlock: refuses the lock of a running 'pipc lock NAME -- CMD'" {
	start_until ready "$PIPC" lock x -- sh -c 'echo ready; exec sleep 100'
	run -1 pipc unlock x
	assert_output --regexp "held by PID [0-9]+ \(sleep\)"
	[ "$(value x)" = 0 ]
}

@test "unlock: releases the lock of a dead owner" {
	d=$(sh -c '"$0" lock x; echo $$' "$PIPC")
	run pipc ls -o NAME,STATE,LOCKOWNER
	assert_line --regexp "^/x +stale-lock +$d\(dead\)\$"
	run pipc unlock x
	assert_success
	[ "$(value x)" = 1 ]
}

@test "unlock: no record: refused while a process maps it; --force" {
	"$HELP/ls_hold" -c -v 1 -x sem x
	start_until ready "$HELP/ls_hold" -l sem x
	run -1 pipc unlock x
	assert_output --partial "has no owner record and PID $BG_PID maps it"
	[ "$(value x)" = 0 ]
	run pipc unlock -f x
	assert_success
	assert_output --partial "released a lock with no owner record (--force)"
	[ "$(value x)" = 1 ]
}

@test "unlock --force on a free lock posts anyway and says so" {
	pipc lock x -- true
	run pipc unlock --force x
	assert_success
	assert_output --partial "was not locked (value 1): posted anyway"
	[ "$(value x)" = 2 ]
}

@test "unlock: errors: missing object 1, usage 2, nothing created" {
	before=$(ipc_snapshot)
	run -1 pipc unlock nosuch
	assert_output "pipc: /nosuch: no such semaphore"
	run -2 pipc unlock
	assert_output --partial "usage: pipc unlock [-fn] [-w SECS] NAME"
	run -2 pipc unlock a b
	run -2 pipc unlock ../x
	assert_output --partial "bad name"
	run -2 pipc unlock mq:x
	run -2 pipc unlock --bogus x
	printf 'short' > /dev/shm/sem.bad
	run -1 pipc unlock bad
	assert_output --partial "is not a semaphore"
	rm /dev/shm/sem.bad
	[ "$before" = "$(ipc_snapshot)" ]
}

@test "unlock -h shows the options" {
	run pipc unlock -h
	assert_success
	assert_line --partial -- "--force"
}

@test "unlock -n, -w: another's flock on the file bounds the wait (exit 3)" {
	sh -c '"$0" lock job; "$0" ls -o NAME >/dev/null' "$PIPC"
	chmod 644 /dev/shm/sem.job
	start_until ready setpriv --reuid=65534 --regid=65534 --clear-groups \
	    flock -o -s /dev/shm/sem.job sh -c 'echo ready; exec sleep 100'
	run -3 timeout 10 "$PIPC" unlock -n job
	assert_output "pipc: /job is busy: another process holds the flock on /dev/shm/sem.job (pipc's guard of its owner record)"
	t0=$(now_ms)
	run -3 timeout 10 "$PIPC" unlock -w 0.4 job
	t=$(( $(now_ms) - t0 ))
	[ "$t" -ge 390 ] && [ "$t" -lt 3000 ]
	assert_output --partial "timed out after 0.4s: /job is busy"
	[ "$(value job)" = 0 ]
	# By default unlock waits for the guard: it releases once it is free.
	"$PIPC" unlock job &
	u=$!
	crash "$BG_PID"
	rc=0
	wait "$u" || rc=$?
	[ "$rc" = 0 ]
	[ "$(value job)" = 1 ]
}

@test "unlock -h shows -n and -w" {
	run pipc unlock -h
	assert_success
	assert_line --partial -- "-n, --nonblock"
	assert_line --partial -- "-w, --wait SECS"
}

@test "unlock as a user: a record-less lock nobody holds, root processes unread" {
	unreadable_root
	nobody \
	    "$HELP/ls_hold" -c -v 1 -x sem x
	start_until ready setpriv --reuid=65534 --regid=65534 --clear-groups \
	    "$HELP/ls_hold" -l sem x
	run -1 nobody \
	    "$PIPC" unlock x
	assert_output "pipc: /x has no owner record and PID $BG_PID maps it: it may hold it; not released (--force releases it)"
	crash "$BG_PID"
	run nobody "$PIPC" unlock x
	assert_success
	assert_output ""
	[ "$(value x)" = 1 ]
}
