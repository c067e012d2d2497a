load helpers
load containers
bats_require_minimum_version 1.5.0

# lib/stores.c through tests/bin/stores, on containers made as runtimes
# make them (containers.bash). /proc here shows only this test run's
# processes (tests/run), so whatever is listed was made by the test.

setup() {
	ctr_setup
	STORES="$HELP/stores"
	: > /dev/shm/host-obj
}

teardown() {
	ctr_teardown
}

# One pass: its lines in $output and $LIST.
scan() {
	run -0 "$STORES" "$@"
	LIST=$output
}

# The line of the store on device $1 / of the namespace of process $1.
store_of() {
	grep "^store $1 " <<< "$LIST"
}
ns_of() {
	grep "^ipcns $(stat -L -c %i "/proc/$1/ns/ipc") " <<< "$LIST"
}

@test "stores: the host alone: one store, one namespace, entered" {
	"$STORES" mkq hostq
	scan
	assert_equal "$(grep -c '^store ' <<< "$output")" 1
	assert_equal "$(grep -c '^ipcns ' <<< "$output")" 1
	assert_line --regexp "^store $HOSTDEV host host procs=[0-9]+ fs=tmpfs size=[0-9]+ used=[0-9]+ avail=[0-9]+ files=host-obj$"
	# no /dev/mqueue here: the namespace is entered to read its queues
	assert_line --regexp "^ipcns $(stat -L -c %i /proc/self/ns/ipc) host host procs=[0-9]+ entered queues=hostq$"
	assert_line --regexp '^procs [0-9]+ unread 0 noshm 0$'
}

@test "stores: two containers with their own stores, and the host" {
	local a b sa sb ida
	ida=$(hexid)
	ctr_start "system.slice/docker-$ida.scope" mqueue \
	    sh -c ': > /dev/shm/a-obj && exec "$0" mkq a-q' "$STORES"
	a=$CTR_PID sa=$CTR_SHIM
	ctr_start 'machine.slice/machine-test\x2done.scope' mqueue \
	    sh -c ': > /dev/shm/b-obj && exec "$0" mkq b-q' "$STORES"
	b=$CTR_PID sb=$CTR_SHIM
	scan
	assert_equal "$(grep -c '^store ' <<< "$output")" 3
	assert_equal "$(grep -c '^ipcns ' <<< "$output")" 3
	assert_line --regexp "^store $HOSTDEV host host .* files=host-obj$"
	run -0 store_of "$(shm_dev "$a")"
	# represented by its first process (the shim), labelled by its best
	assert_output --regexp "^store [0-9:]+ $sa docker:${ida:0:12} procs=2 fs=tmpfs size=4194304 used=0 avail=4194304 files=a-obj$"
	run -0 store_of "$(shm_dev "$b")"
	assert_output --regexp "^store [0-9:]+ $sb nspawn:test-one procs=2 fs=tmpfs size=4194304 .* files=b-obj$"
	run -0 ns_of "$a"
	assert_output --regexp "^ipcns [0-9]+ $sa docker:${ida:0:12} procs=2 mounted queues=a-q$"
	run -0 ns_of "$b"
	assert_output --regexp "^ipcns [0-9]+ $sb nspawn:test-one procs=2 mounted queues=b-q$"
}

@test "stores: a pod's two containers share one store and one namespace" {
	local uid id1 id2 pod c1 c2 s1
	uid=$(cat /proc/sys/kernel/random/uuid)
	id1=$(hexid) id2=$(hexid)
	pod="kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod${uid//-/_}.slice"
	ctr_start "$pod/cri-containerd-$id1.scope" mqueue \
	    sh -c ': > /dev/shm/one && exec "$0" mkq one' "$STORES"
	c1=$CTR_PID s1=$CTR_SHIM
	ctr_join "$c1" "$pod/cri-containerd-$id2.scope" \
	    sh -c ': > /dev/shm/two && exec "$0" mkq two' "$STORES"
	c2=$CTR_PID
	# two mount namespaces, one tmpfs
	[ "$(stat -L -c %i "/proc/$c1/ns/mnt")" != \
	    "$(stat -L -c %i "/proc/$c2/ns/mnt")" ]
	assert_equal "$(shm_dev "$c1")" "$(shm_dev "$c2")"
	scan
	assert_equal "$(grep -c '^store ' <<< "$output")" 2
	assert_equal "$(grep -c '^ipcns ' <<< "$output")" 2
	# procs=4: the inits and their shims (the second's joined the pod)
	run -0 store_of "$(shm_dev "$c1")"
	assert_output --regexp "^store [0-9:]+ $s1 kubernetes:$uid/${id1:0:12} procs=4 .* files=one,two$"
	run -0 ns_of "$c2"
	assert_output --regexp "^ipcns [0-9]+ $s1 kubernetes:$uid/${id1:0:12} procs=4 mounted queues=one,two$"
}

@test "stores: queues without an mqueue mount, or under another's, are entered" {
	local none bound
	"$STORES" mkq hostq
	ctr_start "system.slice/docker-$(hexid).scope" none \
	    "$STORES" mkq n1 n2
	none=$CTR_PID
	# the test's own mqueue mount bound in: it shows hostq, not b1
	ctr_start "system.slice/docker-$(hexid).scope" "bind:$MQ" \
	    "$STORES" mkq b1
	bound=$CTR_PID
	run -0 ls "/proc/$bound/root/dev/mqueue"
	assert_output hostq
	scan
	assert_equal "$(grep -c '^ipcns ' <<< "$output")" 3
	run -0 ns_of "$none"
	assert_output --regexp " procs=2 entered queues=n1,n2$"
	run -0 ns_of "$bound"
	assert_output --regexp " procs=2 entered queues=b1$"
	# never entering: no mount is "no queues to see", a mount of another
	# namespace is not proved its own
	scan -n
	run -0 ns_of "$none"
	assert_output --regexp " procs=2 unseen:ENOENT$"
	run -0 ns_of "$bound"
	assert_output --regexp " procs=2 unseen:EPERM mqpid=$CTR_SHIM$"
	run -0 "$STORES" enter "$none"
	assert_output n1,n2
}

@test "stores: each runtime's cgroup names its store and namespace" {
	local d1 d2 k1 k2 p1 u1 u2 cases pids=() shims=() i
	d1=$(hexid) d2=$(hexid) k1=$(hexid) k2=$(hexid) p1=$(hexid)
	u1=$(cat /proc/sys/kernel/random/uuid)
	u2=$(cat /proc/sys/kernel/random/uuid)
	cases=(
	    "system.slice/docker-$d1.scope|docker:${d1:0:12}"
	    "docker/$d2|docker:${d2:0:12}"
	    "kubepods/burstable/pod$u1/$k1|kubernetes:$u1/${k1:0:12}"
	    "kubepods.slice/kubepods-pod${u2//-/_}.slice/crio-$k2.scope|kubernetes:$u2/${k2:0:12}"
	    "machine.slice/libpod-$p1.scope|podman:${p1:0:12}"
	    "machine.slice/machine-web.scope/payload|nspawn:web"
	    "lxc.payload.c1|lxc:c1"
	    'system.slice/pipc\x2dtest.service|service:pipc-test'
	)
	for i in "${!cases[@]}"; do
		ctr_start "${cases[$i]%%|*}" none
		pids+=("$CTR_PID")
		shims+=("$CTR_SHIM")
	done
	scan
	assert_equal "$(grep -c '^store ' <<< "$output")" $((${#cases[@]} + 1))
	assert_equal "$(grep -c '^ipcns ' <<< "$output")" $((${#cases[@]} + 1))
	for i in "${!cases[@]}"; do
		grep -q "^store $(shm_dev "${pids[$i]}") ${shims[$i]} ${cases[$i]#*|} " \
		    <<< "$output" && grep -q "^ipcns $(stat -L -c %i \
		    "/proc/${pids[$i]}/ns/ipc") ${shims[$i]} ${cases[$i]#*|} " \
		    <<< "$output" || { echo "${cases[$i]}"; echo "$output"; false; }
	done
}

@test "stores: NSpid: a container's init is its namespace's PID 1" {
	ctr_start "" none
	run -0 "$STORES" nspid "$CTR_PID"
	assert_output 1
	run -0 "$STORES" nspid "$$"
	assert_output "$$"
	run -1 "$STORES" nspid 999999999
	assert_output --partial "No such file"
}

@test "stores: a /dev/shm that is a symlink is followed in the container" {
	local c
	ctr_start "system.slice/docker-$(hexid).scope" symlink \
	    sh -c ': > /dev/shm/linked'
	c=$CTR_PID
	[ -L "/proc/$c/root/dev/shm" ]
	# read through our root, the link would lead nowhere (or elsewhere)
	run ! stat -L "/proc/$c/root/dev/shm"
	scan
	assert_equal "$(grep -c '^store ' <<< "$output")" 2
	assert_line --regexp "^store $(shm_dev "$c" real-shm) $CTR_SHIM docker:[0-9a-f]{12} procs=2 fs=tmpfs size=4194304 .* files=linked$"
}

@test "stores: unprivileged: what cannot be read is counted, not guessed" {
	ctr_start "system.slice/docker-$(hexid).scope" mqueue
	run -0 nobody "$STORES"
	# only its own process is readable: it is the host, by its own lights
	assert_equal "$(grep -c '^store ' <<< "$output")" 1
	assert_line --regexp "^store $HOSTDEV host host procs=1 "
	assert_line --regexp "^ipcns [0-9]+ host host procs=1 unseen:EPERM$"
	assert_line --regexp '^procs 1 unread [1-9][0-9]* noshm 0$'
}

@test "stores: processes that exit during the pass are passed over" {
	local i churn
	( while :; do /bin/true & /bin/true & wait; done ) &
	churn=$!
	echo "$churn" >> "$BATS_TEST_TMPDIR/pids"
	ctr_start "system.slice/docker-$(hexid).scope" mqueue
	for i in $(seq 40); do
		scan
		assert_equal "$(grep -c '^store ' <<< "$output")" 2
		assert_line --regexp '^procs [0-9]+ unread 0 noshm 0$'
	done
	kill "$churn"
}

@test "stores: every test left no process and no cgroup directory" {
	local dir
	run -1 pgrep -x -f 'sleep 1000'
	[ -f "$BATS_FILE_TMPDIR/cgroups" ] || skip "no cgroup was made"
	while read -r dir; do
		[ ! -e "$dir" ] || { echo "left: $dir"; false; }
	done < "$BATS_FILE_TMPDIR/cgroups"
}
