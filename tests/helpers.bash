# Shared setup: every test gets a fresh tmpfs on /dev/shm and a fresh mqueue
# mount, inside the private mount+IPC namespace that tests/run entered.
bats_load_library bats-support
bats_load_library bats-assert

TOP=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
# PIPC_BIN: another build of the same sources (make check-sanitize).
PIPC="${PIPC_BIN:-$TOP/pipc}"
HELP="$TOP/tests/bin"

# A file's own setup() may call ipc_setup, then add its fixtures.
setup() {
	ipc_setup
}

ipc_setup() {
	if [ "${PIPC_IN_NS-}" != 1 ]; then
		skip "needs a private mount+IPC namespace (run as root)"
	fi
	mount -t tmpfs -o mode=1777 pipc-test /dev/shm
	MQ="$BATS_TEST_TMPDIR/mqueue"
	mkdir -p "$MQ"
	mount -t mqueue pipc-test "$MQ"
	export PIPC_SHM_DIR=/dev/shm PIPC_MQUEUE_DIR="$MQ"
	# logind as the host runs it must not reach the tests: none here.
	export PIPC_LOGIND_ROOT="$BATS_TEST_TMPDIR/no-logind"
}

# Queues where an unprivileged user can reach them (the test's own
# temporary folder is not): a fresh mqueue mount under a tmpfs on /mnt.
public_mqueue() {
	umount -l "$MQ"
	mount -t tmpfs -o mode=755 pipc-pub /mnt
	MQ=/mnt/mqueue
	mkdir "$MQ"
	mount -t mqueue pipc-test "$MQ"
	export PIPC_MQUEUE_DIR=$MQ
}

# Start CMD in the background and return once it printed WORD (ls_hold
# prints "ready" once it holds its object, lock_boost "locked"); BG_PID is
# its PID.
start_until() {
	local word=$1 fifo="$BATS_TEST_TMPDIR/ready.$RANDOM" line=
	shift
	mkfifo "$fifo"
	"$@" > "$fifo" 3>&- &
	BG_PID=$!
	read -r -t 10 line < "$fifo" || true
	rm -f "$fifo"
	[ "$line" = "$word" ] || { echo "not $word: $*" >&2; return 1; }
}

# A root process nobody may read (its /proc/PID/fd and maps are closed to
# it), so that /proc alone cannot say an object is free.
unreadable_root() {
	sleep 1000 &
	! nobody ls "/proc/$!/fd" >/dev/null 2>&1
}

# Run a command as the unprivileged user nobody.
nobody() {
	setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
}

teardown() {
	[ "${PIPC_IN_NS-}" = 1 ] || return 0
	# Kill what the test started in the background, then drop its objects:
	# the IPC namespace is the suite's own, so its queues are ours.
	jobs -p | xargs -r kill -9 2>/dev/null
	wait 2>/dev/null
	if mountpoint -q "$MQ"; then
		find "$MQ" -mindepth 1 -delete 2>/dev/null
		umount -l "$MQ"
	fi
	[ "$MQ" != /mnt/mqueue ] || umount -l /mnt
	umount -l /dev/shm
}

pipc() {
	"$PIPC" "$@"
}

# A snapshot of both IPC directories, to show a command changed nothing.
ipc_snapshot() {
	(cd /dev/shm && find . -printf '%p %y %s %m %i\n' | sort
	 cd "$MQ" && find . -printf '%p %y %s %m %i\n' | sort)
}
