load helpers
load lock_helpers
bats_require_minimum_version 1.5.0

@test "lock without CMD: creates at value 1, takes it, records the parent" {
	run sh -c '"$0" lock /x && echo $$' "$PIPC"
	assert_success
	owner=$output
	[ "$(value x)" = 0 ]
	[ "$(stat -c %a /dev/shm/sem.x)" = 600 ]
	run record x
	assert_success
	assert_output --regexp "^$owner [0-9]+ [-0-9a-f]{36} [0-9]+\$"
	# Its owner is dead now (the sh exited) and nothing maps it.
	run pipc ls -o NAME,STATE,VALUE,LOCKOWNER
	assert_line --regexp "^/x +stale-lock +0 +$owner\(dead\)\$"
}

@test "lock -m sets the mode of a new semaphore" {
	run pipc lock -m 0640 x -- true
	assert_success
	[ "$(stat -c %a /dev/shm/sem.x)" = 640 ]
	[ "$(value x)" = 1 ]
}

@test "lock; ...; unlock from one script: in-use while the script lives" {
	run sh -c '"$0" lock x && "$0" ls -o NAME,STATE,VALUE,LOCKOWNER &&
	    "$0" unlock x && "$0" ls -o NAME,STATE,VALUE' "$PIPC"
	assert_success
	assert_line --index 1 --regexp '^/x +in-use +0 +[0-9]+\(sh\)$'
	assert_line --index 3 --regexp '^/x +orphan +1$'
	run record x
	assert_failure 1
}

@test "lock -n: busy is exit 3 and names the owner" {
	start_until ready "$PIPC" lock x -- sh -c 'echo ready; exec sleep 100'
	run -3 pipc lock -n x -- echo no
	refute_output --partial no
	assert_output --regexp "lock /x is held by PID [0-9]+ \(sleep\) since 20"
	[ "$(value x)" = 0 ]
}

@test "lock -w: waits at most SECS (fractions) on a monotonic clock" {
	start_until ready "$PIPC" lock x -- sh -c 'echo ready; exec sleep 100'
	t0=$(date +%s%N)
	run -3 pipc lock -w 0.3 x -- true
	t1=$(date +%s%N)
	assert_output --partial "timed out after 0.3s: lock /x is held by PID"
	[ $(( (t1 - t0) / 1000000 )) -ge 290 ]
	[ $(( (t1 - t0) / 1000000 )) -lt 3000 ]
	run -3 pipc lock -w 0 x -- true
}

@test "lock -w: gets the lock when it is released in time" {
	"$PIPC" lock x -- sleep 0.3 &
	sleep 0.1
	run pipc lock -w 5 x -- echo got
	assert_success
	assert_output got
}

@test "lock CMD: exits with CMD's status; 128+N for a signal; releases" {
	run -7 pipc lock x -- sh -c 'exit 7'
	[ "$(value x)" = 1 ]
	run -143 pipc lock x -- sh -c 'kill -TERM $$'
	[ "$(value x)" = 1 ]
	run -127 pipc lock x -- no-such-command-here
	assert_output --partial "no-such-command-here"
	[ "$(value x)" = 1 ]
	run record x
	assert_failure 1
}

@test "lock CMD: CMD runs as the recorded owner, arguments untouched" {
	run pipc lock x sh -c 'cat /proc/$$/stat | cut -d" " -f1; \
	    "$0" -c "echo \$1" sh -n' sh
	assert_success
	run pipc lock x -- sh -c '"$0" get /dev/shm/sem.x | cut -d" " -f1;
	    echo $$' "$HELP/lock_xattr"
	assert_success
	[ "${lines[0]}" = "${lines[1]}" ]
}

@test "lock CMD: INT, TERM and HUP sent to pipc reach CMD" {
	for sig in INT TERM HUP; do
		# A background job starts with INT ignored: undo that.
		start_until ready env --default-signal=INT "$PIPC" lock x -- \
		    sh -c \
		    "trap 'echo got-$sig > $BATS_TEST_TMPDIR/got; exit 5' $sig
		    echo ready; while :; do sleep 0.05; done"
		kill -"$sig" "$BG_PID"
		rc=0
		wait "$BG_PID" || rc=$?
		[ "$rc" = 5 ]
		[ "$(cat "$BATS_TEST_TMPDIR/got")" = "got-$sig" ]
		[ "$(value x)" = 1 ]
	done
}

@test "lock: a SIGKILLed CMD still releases the lock" {
	run -137 pipc lock x -- sh -c 'kill -KILL $$'
	[ "$(value x)" = 1 ]
}

@test "lock: usage errors are exit 2 and change nothing" {
	before=$(ipc_snapshot)
	run -2 pipc lock
	assert_output --partial "usage: pipc lock"
	run -2 pipc lock a/b -- true
	assert_output --partial "holds no '/'"
	run -2 pipc lock shm:x -- true
	assert_output --partial "a lock is a semaphore"
	run -2 pipc lock -w abc x -- true
	assert_output --partial "-w abc: not a number of seconds"
	run -2 pipc lock -w -1 x -- true
	run -2 pipc lock -m 0999 x -- true
	run -2 pipc lock --stale-after 5x --recover x -- true
	assert_output --partial "not a duration"
	run -2 pipc lock --stale-after 5m x -- true
	assert_output --partial "needs --recover"
	run -2 pipc lock --owner 0 x
	run -2 pipc lock --owner 1 x -- true
	assert_output --partial "--owner is for the form without CMD"
	run -2 pipc lock --bogus x
	[ "$before" = "$(ipc_snapshot)" ]
}

@test "lock --owner PID records that process; a missing PID is refused" {
	sleep 100 &
	s=$!
	run pipc lock --owner "$s" x
	assert_success
	run record x
	assert_output --regexp "^$s "
	run pipc ls -o NAME,STATE,LOCKOWNER
	assert_line --regexp "^/x +in-use +$s\(sleep\)\$"
	d=$(dead_pid)
	run -1 pipc lock --owner "$d" y
	assert_output --partial "owner $d: no such process"
	[ ! -e /dev/shm/sem.y ]
}

@test "lock --recover: takes over from a dead owner, never from a live one" {
	sleep 100 &
	s=$!
	pipc lock --owner "$s" x
	run -3 pipc lock --recover -n x -- true
	assert_output --partial "held by PID $s (sleep)"
	crash "$s"
	run -3 pipc lock -n x -- true
	assert_output --partial "PID $s, which is dead: 'pipc lock --recover /x'"
	run pipc lock --recover -n x -- echo inside
	assert_success
	assert_line inside
	assert_line "pipc: /x: took over the lock of PID $s, which is dead"
	[ "$(value x)" = 1 ]
}

@test "lock --recover: the owner dying while we wait" {
	sleep 1 &
	s=$!
	pipc lock --owner "$s" x
	run pipc lock --recover -w 10 x -- echo inside
	assert_success
	assert_line inside
}

@test "lock: a reused PID (other start time) or another boot is a dead owner" {
	sleep 100 &
	s=$!
	"$PIPC" lock -m 0600 x -- true
	"$HELP/lock_xattr" set /dev/shm/sem.x "$(fake_record "$s" 12345)"
	"$HELP/ls_hold" sem x -l -x
	run pipc ls -o NAME,STATE,LOCKOWNER
	assert_line --regexp "^/x +stale-lock +$s\(dead\)\$"
	run pipc lock --recover -n x -- true
	assert_success
	# The true start time: alive; another boot id: dead.
	"$HELP/ls_hold" sem x -l -x
	"$HELP/lock_xattr" set /dev/shm/sem.x "$(fake_record "$s")"
	run pipc ls -o NAME,STATE,LOCKOWNER
	assert_line --regexp "^/x +in-use +$s\(sleep\)\$"
	"$HELP/lock_xattr" set /dev/shm/sem.x \
	    "$(fake_record "$s" "" 00000000-0000-0000-0000-000000000000)"
	run pipc ls -o NAME,STATE
	assert_line --regexp "^/x +stale-lock\$"
}

@test "lock --recover: no record needs --stale-after (nobody maps it) or --force" {
	"$HELP/ls_hold" -c -v 1 sem x -l -x
	run -3 pipc lock --recover -n x -- true
	assert_output --partial "no owner recorded"
	run -3 pipc lock --recover --stale-after 1h -n x -- true
	run pipc lock --recover --stale-after 0 -n x -- true
	assert_success
	assert_output --partial "took over a lock with no owner record"
	# A live sem_open program holds it: mapped, so only --force.
	start_until ready "$HELP/ls_hold" sem x -l
	run -3 pipc lock --recover --stale-after 0 -n x -- true
	run pipc lock --force -n x -- true
	assert_success
}

@test "lock: sem_open programs and pipc exclude each other" {
	"$HELP/ls_hold" -c -v 1 sem x -x
	start_until ready "$HELP/ls_hold" sem x -l
	run -3 pipc lock -n x -- true
	crash "$BG_PID"
	run -3 pipc lock -n x -- true
	pipc unlock x
	start_until ready "$PIPC" lock x -- sh -c 'echo ready; exec sleep 100'
	run -3 timeout 1 "$HELP/lock_boost" mutex x try
}

@test "lock: a sem.NAME that is not a semaphore is refused" {
	printf 'short' > /dev/shm/sem.bad
	run -1 pipc lock bad -- true
	assert_output --partial "is not a semaphore"
	[ "$(cat /dev/shm/sem.bad)" = short ]
}

@test "lock: boost named_mutex SIGKILLed while held, then recovered" {
	start_until locked "$HELP/lock_boost" mutex bm hold
	[ -f /dev/shm/sem.bm ]	# boost's named_mutex is a glibc semaphore
	run -3 "$HELP/lock_boost" mutex bm try
	crash "$BG_PID"
	run pipc ls -o NAME,STATE,VALUE,LOCKOWNER
	assert_line --regexp '^/bm +stale-lock +0 +-$'
	run -3 "$HELP/lock_boost" mutex bm try
	run pipc lock --recover --stale-after 0 bm -- true
	assert_success
	run "$HELP/lock_boost" mutex bm try
	assert_success
	assert_output locked
	# The same with unlock --force.
	start_until locked "$HELP/lock_boost" mutex bm hold
	crash "$BG_PID"
	run pipc unlock --force bm
	assert_success
	run "$HELP/lock_boost" mutex bm once
	assert_success
}

@test "lock: boost named_semaphore SIGKILLed while held, then unlocked" {
	start_until locked "$HELP/lock_boost" semaphore bs hold
	crash "$BG_PID"
	run pipc ls -o NAME,STATE
	assert_line --regexp '^/bs +stale-lock$'
	run pipc unlock bs
	assert_success
	run "$HELP/lock_boost" semaphore bs try
	assert_success
}

@test "lock: ls -J gives lock_owner for a held semaphore, null otherwise" {
	sleep 100 &
	s=$!
	pipc lock --owner "$s" x
	pipc lock y -- true
	run pipc ls -J
	assert_success
	echo "$output" | jq -e --argjson s "$s" '.objects[] | select(.name ==
	    "/x") | .lock_owner.pid == $s and .lock_owner.alive == true and
	    (.lock_owner.start | type) == "number" and
	    (.lock_owner.boot_id | length) == 36 and .state == "in-use"'
	echo "$output" | jq -e '.objects[] | select(.name == "/y") |
	    .lock_owner == null'
	crash "$s"
	pipc ls -J | jq -e '.objects[0].lock_owner.alive == false and
	    .objects[0].state == "stale-lock"'
}

@test "lock: where xattrs are refused (ramfs) it works without a record" {
	d=$BATS_TEST_TMPDIR/ramfs
	mkdir "$d"
	mount -t ramfs none "$d"
	run sh -c '"$0" lock --shm-dir "$1" x && "$0" lock --shm-dir "$1" -n x;
	    echo "rc=$?"; "$0" unlock --shm-dir "$1" x' "$PIPC" "$d"
	assert_success
	assert_line --partial "lock /x is held (no owner recorded)"
	assert_line "rc=3"
	run pipc ls --shm-dir "$d" -o NAME,VALUE,LOCKOWNER
	assert_line --regexp '^/x +1 +-$'
	run -4 pipc lock --shm-dir "$d" x -- sh -c 'exit 4'
	run pipc ls --shm-dir "$d" -o NAME,VALUE
	assert_line --regexp '^/x +1$'
	umount "$d"
}

@test "lock: an owner whose main thread exited lives while a thread runs" {
	f=$BATS_TEST_TMPDIR/done
	start_until ready "$PIPC" lock L -- "$HELP/zwork" -f "$f"
	z=$(cat "/proc/$BG_PID/task/$BG_PID/children")
	z=${z%% *}
	[ "$(cut -d' ' -f3 "/proc/$z/stat")" = Z ]
	run -3 pipc lock -n --recover L -- echo SECOND
	refute_output --partial SECOND
	assert_output --regexp "^pipc: lock /L is held by PID $z \(zwork\) since "
	run -1 pipc unlock L
	assert_output --partial "/L is held by PID $z (zwork), not by this process"
	run pipc ls -o NAME,STATE,VALUE,LOCKOWNER
	assert_line --regexp "^/L +in-use +0 +$z\(zwork\)\$"
	touch "$f"
	rc=0
	wait "$BG_PID" || rc=$?
	[ "$rc" = 0 ]
	[ "$(value L)" = 1 ]
	run record L
	assert_failure 1
}

@test "lock -n: another user's flock on the file is busy at once, nothing taken" {
	pipc create sem /job -m 644
	start_until ready setpriv --reuid=65534 --regid=65534 --clear-groups \
	    flock -o -s /dev/shm/sem.job sh -c 'echo ready; exec sleep 100'
	t0=$(now_ms)
	run -3 timeout 10 "$PIPC" lock -n job -- echo inside
	[ $(( $(now_ms) - t0 )) -lt 2000 ]
	refute_output --partial inside
	assert_output "pipc: /job is busy: another process holds the flock on /dev/shm/sem.job (pipc's guard of its owner record)"
	[ "$(value job)" = 1 ]
	run record job
	assert_failure 1
}

@test "lock -w: the guard's wait ends at the deadline too, nothing taken" {
	pipc create sem /job -m 644
	start_until ready setpriv --reuid=65534 --regid=65534 --clear-groups \
	    flock -o -s /dev/shm/sem.job sh -c 'echo ready; exec sleep 100'
	t0=$(now_ms)
	run -3 timeout 10 "$PIPC" lock -w 0.5 job -- echo inside
	t=$(( $(now_ms) - t0 ))
	[ "$t" -ge 490 ] && [ "$t" -lt 3000 ]
	refute_output --partial inside
	assert_output --partial "timed out after 0.5s: /job is busy: another process holds the flock"
	[ "$(value job)" = 1 ]
	# Once the flock is gone, the lock is taken as usual.
	crash "$BG_PID"
	run pipc lock -w 0.5 job -- echo inside
	assert_success
	assert_output inside
}

@test "lock -n, -w: another's lease on the file is busy, not an error" {
	pipc create sem /job
	start_until ready "$HELP/lease" /dev/shm/sem.job
	t0=$(now_ms)
	run -3 timeout 10 "$PIPC" lock -n job -- echo inside
	refute_output --partial inside
	assert_output "pipc: /job is busy: another process holds a lease on /dev/shm/sem.job"
	run -3 timeout 10 "$PIPC" lock -w 0.5 job -- echo inside
	assert_output "pipc: timed out after 0.5s: /job is busy: another process holds a lease on /dev/shm/sem.job"
	[ $(( $(now_ms) - t0 )) -lt 5000 ]
	crash "$BG_PID"
	[ "$(value job)" = 1 ]
}

@test "lock: without -n or -w, waits for another's lease to be let go" {
	pipc create sem /job
	start_until ready "$HELP/lease" -r /dev/shm/sem.job
	run timeout 10 "$PIPC" lock job -- echo inside
	assert_success
	assert_output inside
	[ "$(value job)" = 1 ]
}

@test "lock: a semaphore another user planted at value 5 is refused, value kept" {
	nobody \
	    "$PIPC" create sem /nightly -v 5 -m 666
	d=$BATS_TEST_TMPDIR
	"$PIPC" lock -n nightly -- sh -c "echo in > $d/in1" 2> "$d/err1" &
	a=$!
	"$PIPC" lock -n nightly -- sh -c "echo in > $d/in2" 2> "$d/err2" &
	b=$!
	rc=0; wait "$a" || rc=$?; [ "$rc" = 1 ]
	rc=0; wait "$b" || rc=$?; [ "$rc" = 1 ]
	[ ! -e "$d/in1" ] && [ ! -e "$d/in2" ]
	for e in "$d/err1" "$d/err2"; do
		[ "$(cat "$e")" = "pipc: /nightly is not a mutex: its value is 5, so it admits 5 at once; it belongs to user nobody (uid 65534), not to you or root, who may post it at will; not taken (--any-sem takes it anyway)" ]
	done
	[ "$(value nightly)" = 5 ]
	run record nightly
	assert_failure 1
}

@test "lock: one's own semaphore above 1, or another's at 1, is refused too" {
	pipc create sem /wide -v 2
	run -1 pipc lock wide -- echo inside
	assert_output "pipc: /wide is not a mutex: its value is 2, so it admits 2 at once; not taken (--any-sem takes it anyway)"
	[ "$(value wide)" = 2 ]
	nobody \
	    "$PIPC" create sem /theirs -m 666
	run -1 pipc lock -w 1 theirs -- echo inside
	assert_output "pipc: /theirs is not a mutex: it belongs to user nobody (uid 65534), not to you or root, who may post it at will; not taken (--any-sem takes it anyway)"
	[ "$(value theirs)" = 1 ]
}

@test "lock --any-sem: takes a planted semaphore anyway, and gives its unit back" {
	nobody \
	    "$PIPC" create sem /nightly -v 5 -m 666
	d=$BATS_TEST_TMPDIR
	"$PIPC" lock -n --any-sem nightly -- sh -c "echo in > $d/in1" &
	a=$!
	"$PIPC" lock -n --any-sem nightly -- sh -c "echo in > $d/in2" &
	b=$!
	wait "$a"
	wait "$b"
	[ -e "$d/in1" ] && [ -e "$d/in2" ]
	run pipc lock --any-sem nightly -- "$PIPC" ls -r -n -o VALUE sem:nightly
	assert_success
	assert_output 4
	[ "$(value nightly)" = 5 ]
}

@test "lock: a record that cannot be written (no space): no lock without CMD" {
	d=$BATS_TEST_TMPDIR/full
	mkdir "$d"
	mount -t tmpfs -o nr_inodes=3,mode=1777 none "$d"
	pipc lock --shm-dir "$d" X -- true
	# Fill the inodes: an xattr then finds no room either.
	i=0
	while touch "$d/f$i" 2>/dev/null; do i=$((i + 1)); done
	run -1 pipc lock --shm-dir "$d" X
	assert_output "pipc: /X: cannot record the owner: No space left on device
pipc: /X: not taken: a lock without its owner's record would look stale once its taker is gone"
	run pipc ls --shm-dir "$d" -r -n -o NAME,VALUE sem:X
	assert_output "/X 1"
	# With CMD it goes on, held while CMD runs, and is released after.
	run -5 pipc lock --shm-dir "$d" X -- sh -c 'echo inside; exit 5'
	assert_output "pipc: /X: cannot record the owner (going on: held while CMD runs): No space left on device
inside"
	run pipc ls --shm-dir "$d" -r -n -o NAME,VALUE sem:X
	assert_output "/X 1"
	umount "$d"
}

@test "lock CMD: its semaphore cut short while CMD runs: CMD's status, a warning" {
	run -7 pipc lock T -- sh -c 'truncate -s 0 /dev/shm/sem.T; exit 7'
	assert_output "pipc: /T: its file was cut short while sh ran: the semaphore is gone, not released"
	[ "$(stat -c %s /dev/shm/sem.T)" = 0 ]
}

@test "lock --recover --stale-after as a user: the kernel says whether anyone holds it" {
	# A root process the user cannot read: /proc alone cannot tell.
	unreadable_root
	nobody \
	    "$HELP/ls_hold" -c -v 1 -x sem x
	start_until ready setpriv --reuid=65534 --regid=65534 --clear-groups \
	    "$HELP/ls_hold" -l sem x
	crash "$BG_PID"
	[ "$(value x)" = 0 ]
	run nobody \
	    "$PIPC" lock --recover --stale-after 0 -n x -- echo inside
	assert_success
	assert_output "pipc: /x: took over a lock with no owner record
inside"
	[ "$(value x)" = 1 ]
	# Held by a live process of the user's: refused.
	start_until ready setpriv --reuid=65534 --regid=65534 --clear-groups \
	    "$HELP/ls_hold" -l sem x
	run -3 nobody \
	    "$PIPC" lock --recover --stale-after 0 -n x -- echo inside
	assert_output "pipc: lock /x is held (no owner recorded)"
	[ "$(value x)" = 0 ]
}

@test "lock --recover CMD: after a takeover, CMD is the recorded owner" {
	d=$(dead_pid)
	"$PIPC" lock x -- true
	"$HELP/ls_hold" sem x -l -x
	"$HELP/lock_xattr" set /dev/shm/sem.x "$(fake_record "$d")"
	run pipc lock --recover -n x -- sh -c '"$0" get /dev/shm/sem.x |
	    cut -d" " -f1; echo $$' "$HELP/lock_xattr"
	assert_success
	assert_line --index 0 "pipc: /x: took over the lock of PID $d, which is dead"
	[ "${lines[1]}" = "${lines[2]}" ]
}

@test "lock --recover --stale-after without leases: /proc answers instead" {
	"$HELP/ls_hold" -c -v 1 -x sem x
	start_until ready "$HELP/ls_hold" -l sem x
	run -3 "$HELP/nolease" "$PIPC" lock --recover --stale-after 0 -n x -- \
	    echo inside
	assert_output "pipc: lock /x is held (no owner recorded)"
	crash "$BG_PID"
	run "$HELP/nolease" "$PIPC" lock --recover --stale-after 0 -n x -- \
	    echo inside
	assert_success
	assert_output "pipc: /x: took over a lock with no owner record
inside"
	[ "$(value x)" = 1 ]
}
