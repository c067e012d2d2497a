load helpers
bats_require_minimum_version 1.5.0

# Real boost 1.74 programs (tests/helpers/boost_ipc.cpp), built when g++
# and boost's headers are here; objects in the test's private /dev/shm.
setup() {
	ipc_setup
	[ -x "$HELP/boost_ipc" ] || skip "no tests/bin/boost_ipc (g++, libboost-dev)"
}

boost() {
	"$HELP/boost_ipc" "$@"
}

# Start CMD in the background until it prints a line: LINE has it, BG_PID
# its PID (boost_ipc with HOLD=1 prints "locked FILE OFFSET TID").
start_line() {
	local fifo="$BATS_TEST_TMPDIR/line.$RANDOM"
	mkfifo "$fifo"
	"$@" > "$fifo" 3>&- &
	BG_PID=$!
	LINE=
	read -r -t 10 LINE < "$fifo" || true
	rm -f "$fifo"
	[ -n "$LINE" ] || { echo "no line from: $*" >&2; return 1; }
}

# Kill a process and reap it: its threads are gone once this returns.
kill_wait() {
	kill -9 "$1"
	wait "$1" 2>/dev/null || true
}

# Retry CMD until it succeeds, 10 s at most: waiting on a condition.
wait_until() {
	local i
	for ((i = 0; i < 200; i++)); do
		"$@" && return 0
		sleep 0.05
	done
	echo "never true: $*" >&2
	return 1
}

# jq EXPR on inspect -J's one object NAME: true or false.
is() {
	pipc inspect -J "shm:$1" | jq -e ".objects[0] | $2" >/dev/null
}

# Every file's bytes and times: inspect, ls and unlock without --force
# must leave them all alone.
sums() {
	(cd /dev/shm && for f in *; do
		printf '%s %s %s\n' "$(sha256sum < "$f")" "$(stat -c '%Y %Z' "$f")" "$f"
	done)
}

@test "inspect: a boost message_queue, its counts and evidence" {
	run boost mq-create q 10 20 3
	assert_success
	run pipc inspect shm:q
	assert_success
	assert_line --index 0 "shm:/q"
	assert_line "  size: 688"
	assert_line "  state: orphan"
	assert_line "  contents: boost::interprocess::message_queue (boost 1.74, x86-64 layout)"
	assert_line "    max_msgs: 10"
	assert_line "    max_msg_size: 20"
	assert_line "    msgs: 3"
	assert_line "    blocked_senders: 0"
	assert_line "    blocked_receivers: 0"
	assert_line "    mutex queue at 48: free; lock word 0x0, owner 0, kind 0x80"
	assert_line "    condition receive at 88: 0 waiters"
	assert_line "    condition send at 136: 0 waiters"
	assert_line "    evidence: state word 2 (initialised) at 0"
	assert_line "    evidence: file size 688 = 208 + 10 x 48: 10 messages of up to 20 bytes"
	refute_line --partial "note:"
	run pipc inspect -J q
	assert_success
	run jq -c '.objects[0] | [.type, .name, .size, .state, .contents.what,
	    .contents.facts, .contents.mutexes[0].offset,
	    .contents.mutexes[0].locked, .contents.mutexes[0].alive,
	    .notes]' <<<"$output"
	assert_output '["shm","/q",688,"orphan","boost::interprocess::message_queue",{"max_msgs":10,"max_msg_size":20,"msgs":3,"blocked_senders":0,"blocked_receivers":0},48,false,null,[]]'
}

@test "inspect: its offsets are those boost's own message_queue header has" {
	run boost offsets
	assert_success
	assert_output "$(printf '%s\n' 'user 16' 'index 16' 'max_msgs 24' \
	    'max_msg_size 32' 'msgs 40' 'mutex 48' 'cond_recv 88' \
	    'cond_send 136' 'first 184' 'blocked_senders 192' \
	    'blocked_receivers 200' 'header_size 192' 'mutex_size 40' \
	    'cond_size 48')"
}

@test "inspect: a managed_shared_memory with constructed objects" {
	run boost msm-create m 65536
	assert_success
	run pipc inspect m
	assert_success
	assert_line "  contents: boost::interprocess::managed_shared_memory (boost 1.74, x86-64 layout)"
	assert_line "    segment_size: 65520"
	assert_line "    named_objects: 1"
	assert_line "    unique_objects: 0"
	assert_line "    mutex allocator at 16: free; lock word 0x0, owner 0, kind 0x80"
	assert_line "    mutex named objects at 112: free; lock word 0x0, owner 0, kind 0x81"
	assert_line "    evidence: segment size 65520 at 104: the file's less 16"
	run boost msm-find m
	assert_output "answer 42"
}

@test "inspect: a named_condition, and a waiter counted on a queue's condition" {
	run boost cond-create c
	assert_success
	run pipc inspect shm:c
	assert_success
	assert_line "  size: 104"
	assert_line "  contents: boost::interprocess::named_condition (boost 1.74, x86-64 layout)"
	assert_line "    mutex condition at 16: free; lock word 0x0, owner 0, kind 0x80"
	assert_line "    condition condition at 56: 0 waiters"
	run boost mq-create q 4 8 0
	assert_success
	"$HELP/boost_ipc" mq-recv q > "$BATS_TEST_TMPDIR/out" 3>&- &
	BG_PID=$!
	wait_until is q '.contents.facts.blocked_receivers == 1'
	run pipc inspect q
	assert_line "    condition receive at 88: 1 waiter"
	assert_line "  state: in-use"
	kill_wait "$BG_PID"
}

@test "inspect: a boost named_mutex is a semaphore; at 0 with a waiter and no record, the classic stuck one" {
	start_until locked "$HELP/lock_boost" mutex bm hold
	kill_wait "$BG_PID"
	"$HELP/lock_boost" mutex bm hold > /dev/null 3>&- &
	BG_PID=$!
	wait_until sh -c '"$0" inspect -J sem:bm | jq -e ".objects[0].waiters == 1"' "$PIPC"
	run pipc inspect bm
	assert_success
	assert_line --index 0 "sem:/bm"
	assert_line "  value: 0"
	assert_line "  waiters: 1"
	assert_line "  note: at 0 with 1 waiter and no owner record: the classic stuck named mutex (a boost::interprocess::named_mutex whose holder died); 'pipc unlock --force sem:/bm' releases it once that holder is known to be gone"
	refute_line --partial "contents:"
	kill_wait "$BG_PID"
}

@test "ls: a queue whose sender was killed inside its mutex is stale-lock while its receiver maps it" {
	run boost mq-create q 10 20 0
	"$HELP/boost_ipc" mq-recv q > "$BATS_TEST_TMPDIR/out" 3>&- &
	server=$!
	wait_until is q '.contents.facts.blocked_receivers == 1'
	start_line env HOLD=1 "$HELP/boost_ipc" mq-send q lost
	read -r word file off tid <<<"$LINE"
	[ "$word $file $off" = "locked /dev/shm/q 48" ]
	# Alive: found among the holders' threads.
	run pipc ls -n -o NAME,STATE shm:q
	assert_output --regexp '^/q +in-use$'
	run pipc inspect q
	assert_line "    mutex queue at 48: taken by thread $tid, alive (in PID $BG_PID); lock word 0x1, owner $tid, kind 0x80"
	kill_wait "$BG_PID"
	run pipc ls -n -o NAME,HOLDERS,STATE shm:q
	assert_output --regexp '^/q +1 +stale-lock$'
	run pipc ls --stale -n -o NAME
	assert_output "/q"
	# Held by its receiver: no orphan.
	run pipc ls --orphans -n -o NAME
	assert_success
	assert_output ""
	run pipc inspect q
	assert_success
	assert_line "  state: stale-lock"
	assert_line "    mutex queue at 48: taken by thread $tid, dead; lock word 0x1, owner $tid, kind 0x80"
	assert_line "  note: thread $tid, which holds its queue mutex, is dead: whoever takes that mutex waits for ever; 'pipc unlock --force shm:/q' releases it"
	kill_wait "$server"
}

@test "unlock --force shm: the dead sender's queue mutex released; the waiting receiver gets a new sender's message" {
	run boost mq-create q 10 20 0
	"$HELP/boost_ipc" mq-recv q > "$BATS_TEST_TMPDIR/server" 3>&- &
	server=$!
	wait_until is q '.contents.facts.blocked_receivers == 1'
	start_line env HOLD=1 "$HELP/boost_ipc" mq-send q lost
	read -r word file off tid <<<"$LINE"
	kill_wait "$BG_PID"
	"$HELP/boost_ipc" mq-send q again > "$BATS_TEST_TMPDIR/client" 3>&- &
	client=$!
	# The new sender waits on the lock word (2: taken, with waiters).
	wait_until is q '.contents.mutexes[0].lock == 2'
	before=$(sums)
	run -1 pipc unlock shm:q
	assert_output "pipc: shm:/q: its queue mutex is held by thread $tid, which is dead: not released (--force releases it)"
	[ "$(sums)" = "$before" ]
	run pipc unlock --force shm:q
	assert_success
	assert_line "shm:/q: released the queue mutex at 48, held by thread $tid, dead; woke a waiter"
	assert_line "pipc: shm:/q: what the dead thread was changing under that mutex may be half written: its users must check it"
	wait "$client"
	wait "$server"
	[ "$(cat "$BATS_TEST_TMPDIR/client")" = sent ]
	[ "$(cat "$BATS_TEST_TMPDIR/server")" = "received again" ]
	run pipc inspect q
	assert_line "  state: orphan"
	assert_line "    mutex queue at 48: free; lock word 0x0, owner 0, kind 0x80"
	# Nothing left to release.
	run -1 pipc unlock --force shm:q
	assert_output "pipc: shm:/q: no mutex in it is taken: nothing to release"
}

@test "unlock --force shm: a live holder's mutex is never released" {
	run boost mq-create q 10 20 0
	start_line env HOLD=1 "$HELP/boost_ipc" mq-send q x
	read -r word file off tid <<<"$LINE"
	before=$(sums)
	run -1 pipc unlock --force shm:q
	assert_line "pipc: shm:/q: its queue mutex is held by thread $tid of PID $BG_PID, alive: not released"
	[ "$(sums)" = "$before" ]
}

@test "unlock --force shm: managed_shared_memory, killed inside the named-objects mutex, then the allocator's" {
	run boost msm-create m 65536
	start_line env HOLD=1 "$HELP/boost_ipc" msm-find m
	read -r word file off tid <<<"$LINE"
	[ "$word $file $off" = "locked /dev/shm/m 112" ]
	kill_wait "$BG_PID"
	run pipc ls -n -o NAME,STATE
	assert_output --regexp '^/m +stale-lock$'
	run pipc inspect m
	assert_line "    mutex named objects at 112: taken by thread $tid, dead; lock word 0x1, owner $tid, kind 0x81"
	run pipc unlock --force shm:m
	assert_success
	assert_line "shm:/m: released the named objects mutex at 112, held by thread $tid, dead; nobody was waiting"
	run boost msm-find m
	assert_output "answer 42"

	start_line env HOLD=1 "$HELP/boost_ipc" msm-alloc m
	read -r word file off tid <<<"$LINE"
	[ "$word $file $off" = "locked /dev/shm/m 16" ]
	kill_wait "$BG_PID"
	run pipc inspect m
	assert_line "  state: stale-lock"
	assert_line "    mutex allocator at 16: taken by thread $tid, dead; lock word 0x1, owner $tid, kind 0x80"
	run pipc unlock --force shm:m
	assert_success
	run boost msm-alloc m
	assert_output allocated
	run pipc ls -n -o NAME,STATE
	assert_output --regexp '^/m +orphan$'
}

@test "unlock --force shm: a named_condition killed inside its mutex" {
	run boost cond-create c
	start_line env HOLD=1 "$HELP/boost_ipc" cond-notify c
	read -r word file off tid <<<"$LINE"
	[ "$word $file $off" = "locked /dev/shm/c 16" ]
	kill_wait "$BG_PID"
	run pipc ls -n -o NAME,STATE
	assert_output --regexp '^/c +stale-lock$'
	run pipc unlock --force shm:c
	assert_success
	run boost cond-notify c
	assert_output notified
}

@test "ls, inspect: the owner's thread id is its own PID namespace's (NSpid)" {
	run boost mq-create q 10 20 0
	# Thread 1 of a PID namespace of its own: our PID 1 lives, and is not it.
	start_line env HOLD=1 unshare --pid --fork "$HELP/boost_ipc" mq-send q x
	[ "$LINE" = "locked /dev/shm/q 48 1" ]
	run pipc inspect -J q
	holder=$(jq '.objects[0].contents.mutexes[0].holder' <<<"$output")
	[ "$(jq -r '.objects[0].contents.mutexes[0].alive' <<<"$output")" = alive ]
	[ "$holder" != 1 ]
	[ "$holder" != null ]
	grep -q '^NSpid:.*[[:space:]]1$' "/proc/$holder/status"
	run pipc ls -n -o NAME,STATE
	assert_output --regexp '^/q +in-use$'
	run -1 pipc unlock --force shm:q
	assert_output "pipc: shm:/q: its queue mutex is held by thread 1 of PID $holder, alive: not released"
	kill_wait "$holder"
	wait "$BG_PID" || true
	run pipc ls -n -o NAME,STATE
	assert_output --regexp '^/q +stale-lock$'
	run pipc inspect q
	assert_line "    mutex queue at 48: taken by thread 1, dead; lock word 0x1, owner 1, kind 0x80"
	# Our own PID 1 might be a holder that unmapped it: no release.
	run -1 pipc unlock --force shm:q
	assert_output "pipc: shm:/q: its queue mutex is held by thread 1, not a holder's, but a thread 1 lives in this PID namespace and may be it: not released"
}

@test "inspect, unlock: an owner that cannot be proved dead is unknown, never stale-lock" {
	unreadable_root || skip "every process is readable here"
	run boost mq-create q 10 20 0
	start_line env HOLD=1 "$HELP/boost_ipc" mq-send q x
	read -r word file off tid <<<"$LINE"
	kill_wait "$BG_PID"
	chmod 644 /dev/shm/q
	run nobody "$PIPC" inspect shm:q
	assert_success
	assert_line "  state: unknown"
	assert_line "    mutex queue at 48: taken by thread $tid, unknown (not every process could be read); lock word 0x1, owner $tid, kind 0x80"
	refute_line --partial stale-lock
	run -1 nobody "$PIPC" unlock --force shm:q
	assert_line "pipc: shm:/q: its queue mutex is held by a thread not proved dead (not every process could be read): not released"
	run nobody "$PIPC" ls -n -o NAME,STATE shm:q
	refute_output --partial stale-lock
}

@test "inspect: a process-shared pthread mutex at a segment's start; a robust one's dead owner" {
	start_line "$HELP/pmutex" /pm normal hold
	tid=${LINE#locked }
	kill_wait "$BG_PID"
	run pipc inspect pm
	assert_success
	assert_line "  contents: pthread_mutex_t (glibc, x86-64 layout)"
	assert_line "    mutex mutex at 0: taken by thread $tid, dead; lock word 0x1, owner $tid, kind 0x80"
	assert_line "  state: stale-lock"
	run pipc unlock --force shm:pm
	assert_success
	run "$HELP/pmutex" /pm normal lock
	assert_output locked

	start_line "$HELP/pmutex" /rm robust hold
	tid=${LINE#locked }
	run pipc inspect -J rm
	run jq -c '.objects[0].contents.mutexes[0] | [.robust, .locked, .tid, .alive]' <<<"$output"
	assert_output "[true,true,$tid,\"alive\"]"
	kill_wait "$BG_PID"
	# The kernel marks a robust mutex whose owner died, and frees it.
	run pipc inspect rm
	assert_line "    mutex mutex at 0: free; lock word 0x40000000, owner $tid, kind 0x90, robust, owner died"
	assert_line "  note: the owner of its robust mutex mutex died: the next to take it is told (EOWNERDEAD) and must make it consistent"
	assert_line "  state: orphan"
	run -1 pipc unlock --force shm:rm
	run "$HELP/pmutex" /rm robust lock
	assert_output "$(printf 'owner died\nlocked')"

	# Given back without pthread_mutex_consistent: not recoverable.
	start_line "$HELP/pmutex" /rm robust hold
	kill_wait "$BG_PID"
	run "$HELP/pmutex" /rm robust spoil
	assert_output spoiled
	run pipc inspect rm
	assert_line "    mutex mutex at 0: free; lock word 0x0, owner 2147483646, kind 0x90, robust, not recoverable"
	assert_line "  note: its robust mutex mutex is not recoverable: every lock fails (ENOTRECOVERABLE)"
}

@test "inspect: truncated, lengthened, random and zeroed files of the same sizes are never boost" {
	run boost mq-create q 10 20 3
	run boost msm-create m 65536
	run boost cond-create c
	head -c 687 /dev/shm/q > /dev/shm/q-short
	head -c 208 /dev/shm/q > /dev/shm/q-head
	{ cat /dev/shm/q; printf x; } > /dev/shm/q-long
	head -c 103 /dev/shm/c > /dev/shm/c-short
	{ cat /dev/shm/c; printf x; } > /dev/shm/c-long
	head -c 65535 /dev/shm/m > /dev/shm/m-short
	{ cat /dev/shm/m; printf x; } > /dev/shm/m-long
	names="q-short q-head q-long c-short c-long m-short m-long"
	for size in 688 104 65536; do
		head -c "$size" /dev/zero > "/dev/shm/z$size"
		names="$names z$size"
		for i in $(seq 20); do
			head -c "$size" /dev/urandom > "/dev/shm/r$size.$i"
			names="$names r$size.$i"
		done
	done
	run pipc inspect -J $names
	assert_success
	run jq -c '[.objects[] | .contents] | unique' <<<"$output"
	assert_output '[null]'
	run pipc inspect q-long
	assert_line "  contents: not recognised"
	# The originals still are.
	run pipc inspect -J q m c
	run jq -r '.objects[] | .contents.what' <<<"$output"
	assert_output "$(printf '%s\n' boost::interprocess::message_queue \
	    boost::interprocess::managed_shared_memory \
	    boost::interprocess::named_condition)"
}

@test "inspect, ls, unlock without --force: nothing is ever written to an object" {
	run boost mq-create q 10 20 3
	run boost msm-create m 65536
	run boost cond-create c
	start_line env HOLD=1 "$HELP/boost_ipc" mq-send q x
	kill_wait "$BG_PID"
	start_line "$HELP/pmutex" /pm normal hold
	before=$(sums)
	run pipc inspect q m c pm
	assert_success
	run pipc inspect -J q m c pm
	assert_success
	run pipc ls
	assert_success
	run pipc ls -J
	assert_success
	run -1 pipc unlock shm:q
	[ "$(sums)" = "$before" ]
}

@test "inspect: Python's multiprocessing.shared_memory is shown, not taken for boost" {
	command -v python3 >/dev/null || skip "no python3"
	start_until ready python3 -c '
import signal
from multiprocessing import shared_memory
s = shared_memory.SharedMemory(create=True, size=1000, name="psm_0a1b2c")
s.buf[:5] = b"hello"
print("ready", flush=True)
signal.pause()'
	run pipc inspect psm_0a1b2c
	assert_success
	assert_line "shm:/psm_0a1b2c"
	assert_line "  size: 1000"
	assert_line "  state: in-use"
	assert_line --regexp "^  pids: $BG_PID\(python3[.0-9]*\)$"
	assert_line "  contents: not recognised"
}

@test "inspect: kinds, prefixes, several names, and the errors" {
	run pipc create shm x -s 64
	run pipc create mq x
	run pipc create sem s
	run -1 pipc inspect x
	assert_output "pipc: /x: exists as shm:/x and mq:/x; say which with -t or a prefix"
	run pipc inspect -t mq x
	assert_success
	assert_line --index 0 "mq:/x"
	assert_line "  maxmsg: 10"
	refute_line --partial "contents:"
	run pipc inspect shm:x sem:s
	assert_success
	assert_line "shm:/x"
	assert_line "  contents: not recognised"
	assert_line "sem:/s"
	assert_line "  value: 1"
	run -1 pipc inspect shm:x nothere
	assert_line "shm:/x"
	assert_line "pipc: /nothere: no such object"
	run -2 pipc inspect
	run -2 pipc inspect 'x*'
	assert_output "pipc: x*: inspect takes names, not patterns"
	run -2 pipc inspect -t sem shm:x
	run -2 pipc inspect ../x
	run -2 pipc unlock --force mq:x
}
