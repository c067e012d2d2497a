# Containers made the way runtimes make them, for tests/containers.bats.
#
# A container: new mount, IPC, PID and UTS namespaces (unshare), a tmpfs
# on /dev holding only null, shm/ and mqueue/, a fresh tmpfs on /dev/shm,
# its own mqueue mount or none, and one long-running init, moved into a
# cgroup v2 directory named as a runtime names it. The test's own
# namespaces (tests/run) hold all of it: nothing here is seen outside.
# ctr_cleanup (called by teardown, whatever failed) kills every process
# started and removes every cgroup directory made, deepest first.

CG_ROOT=/sys/fs/cgroup/unified

# A test's setup and teardown: the IPC directories of helpers.bash, a
# writable cgroup v2 hierarchy or a skip, HOSTDEV the device of /dev/shm;
# then every container and cgroup made goes, and the directories.
ctr_setup() {
	ipc_setup
	[ -d "$CG_ROOT" ] && [ -w "$CG_ROOT/cgroup.procs" ] ||
	    skip "needs a writable cgroup v2 hierarchy at $CG_ROOT"
	HOSTDEV=$(stat -c '%Hd:%Ld' /dev/shm)
}

ctr_teardown() {
	ctr_cleanup
	[ "${PIPC_IN_NS-}" = 1 ] || return 0
	find "$MQ" -mindepth 1 -delete || true
	umount -l /dev/shm
	umount -l "$MQ"
}

# 64 hex digits, as a container id.
hexid() {
	od -An -tx1 -N32 /dev/urandom | tr -d ' \n'
}

# cg_make PATH: make the cgroup v2 directory PATH (under CG_ROOT), noting
# each directory made so that ctr_cleanup removes exactly those.
cg_make() {
	local path=$1 dir=$CG_ROOT part
	local IFS=/
	for part in $path; do
		[ -n "$part" ] || continue
		dir=$dir/$part
		if [ ! -d "$dir" ]; then
			mkdir "$dir" || return 1
			echo "$dir" >> "$BATS_TEST_TMPDIR/cgroups"
			# for the last test's check that nothing was left
			echo "$dir" >> "$BATS_FILE_TMPDIR/cgroups"
		fi
	done
}

# Run inside the new namespaces: build /dev as a runtime does, then run
# the setup command, say ready and become the container's init.
# $1: mqueue (its own mount), none, bind:DIR (DIR bound on /dev/mqueue: an
# mqueue mount of another namespace), or symlink (/dev/shm is a link).
ctr_inside() {
	local mq=$1
	shift
	mount -t tmpfs -o mode=755,size=1m ctr-dev /dev || return 1
	mknod -m 666 /dev/null c 1 3 || return 1
	mkdir /dev/mqueue || return 1
	if [ "$mq" = symlink ]; then
		mkdir /dev/real-shm
		ln -s /dev/real-shm /dev/shm
		mount -t tmpfs -o mode=1777,size=4m ctr-shm /dev/real-shm
	else
		mkdir /dev/shm
		mount -t tmpfs -o mode=1777,size=4m ctr-shm /dev/shm
	fi || return 1
	case $mq in
	mqueue) mount -t mqueue ctr-mq /dev/mqueue ;;
	bind:*) mount --bind "${mq#bind:}" /dev/mqueue ;;
	esac || return 1
	if [ $# -gt 0 ]; then "$@" || return 1; fi
	echo ready
	exec sleep 1000
}

# ctr_ready FIFO PID: once the container said "ready" on FIFO, CTR_PID is
# the PID of the process that `unshare --fork` (PID) started: its init.
# CTR_SHIM is that unshare: it made the namespaces, so it is in them
# (all but the PID namespace), with the test's cgroup: a process of the
# container's store and IPC namespace with no container label, and the
# first of them in /proc.
ctr_ready() {
	local fifo=$1 pid=$2 line= child=
	read -r -t 20 line < "$fifo" || true
	rm -f "$fifo"
	echo "$pid" >> "$BATS_TEST_TMPDIR/pids"
	CTR_SHIM=$pid
	[ "$line" = ready ] || { echo "container not ready" >&2; return 1; }
	child=$(cat "/proc/$pid/task/$pid/children" 2>/dev/null)
	child=${child%% *}
	[ -n "$child" ] || { echo "no container init" >&2; return 1; }
	echo "$child" >> "$BATS_TEST_TMPDIR/pids"
	CTR_PID=$child
}

# cg_enter CGROUP PID: move PID into the cgroup (made if need be).
cg_enter() {
	[ -n "$1" ] || return 0
	cg_make "$1" && echo "$2" > "$CG_ROOT/$1/cgroup.procs"
}

# ctr_start CGROUP MQ [SETUP...]: start a container (MQ as ctr_inside says),
# its init in cgroup CGROUP ("" for the test's own); SETUP runs inside
# before. CTR_PID: its init's PID, as we see it.
ctr_start() {
	local cg=$1 mq=$2 fifo="$BATS_TEST_TMPDIR/ready.$RANDOM"
	shift 2
	mkfifo "$fifo"
	unshare --mount --ipc --pid --uts --fork --mount-proc \
	    --propagation private \
	    bash -c "$(declare -f ctr_inside); ctr_inside \"\$@\"" ctr \
	    "$mq" "$@" > "$fifo" 2>&1 3>&- &
	ctr_ready "$fifo" $! && cg_enter "$cg" "$CTR_PID"
}

# ctr_join PID CGROUP [SETUP...]: another container of PID's pod: PID's
# IPC namespace and a copy of its mount namespace (so the same /dev/shm
# tmpfs, as a pod's containers bind their sandbox's), its own PID and UTS
# namespaces, its init in CGROUP.
ctr_join() {
	local target=$1 cg=$2 fifo="$BATS_TEST_TMPDIR/ready.$RANDOM"
	shift 2
	mkfifo "$fifo"
	nsenter --target "$target" --mount --ipc -- \
	    unshare --mount --pid --uts --fork --mount-proc \
	    --propagation private \
	    bash -c '[ $# -eq 0 ] || "$@" || exit 1; echo ready; exec sleep 1000' \
	    ctr "$@" > "$fifo" 2>&1 3>&- &
	ctr_ready "$fifo" $! && cg_enter "$cg" "$CTR_PID"
}

# Kill every process started, then remove the cgroup directories made,
# deepest first; a cgroup empties once its processes are reaped.
ctr_cleanup() {
	local pid dir i
	if [ -f "$BATS_TEST_TMPDIR/pids" ]; then
		while read -r pid; do
			kill -9 "$pid" 2>/dev/null
		done < "$BATS_TEST_TMPDIR/pids"
		wait 2>/dev/null
	fi
	[ -f "$BATS_TEST_TMPDIR/cgroups" ] || return 0
	tac "$BATS_TEST_TMPDIR/cgroups" | while read -r dir; do
		for i in $(seq 50); do
			rmdir "$dir" 2>/dev/null
			[ -d "$dir" ] || break
			sleep 0.1
		done
	done
	rm -f "$BATS_TEST_TMPDIR/cgroups"
}

# The device of PID's /dev/shm as the stores helper prints it, MAJ:MIN.
shm_dev() {
	stat -L -c '%Hd:%Ld' "/proc/$1/root/dev/${2:-shm}"
}
