load helpers
load containers
bats_require_minimum_version 1.5.0

# ls, gc and metrics with -A and -N (df's: df.bats), on containers made as runtimes
# make them (containers.bash). /proc here shows only this test run's
# processes (tests/run): whatever is listed or collected was made here.

setup() {
	ctr_setup
}

teardown() {
	ctr_teardown
}

# A container's setup: hold shm NAME from a process that stays, once it
# holds it (ls_hold says "ready"), then go on with the rest.
held_inside() {
	mkfifo /dev/held.fifo && { "$0" -c shm "$1" > /dev/held.fifo & } &&
	    read -r _ < /dev/held.fifo
}

# Two Docker containers with their own store and queues, and the host.
two_containers() {
	# ids in the order the listing sorts them: by label
	IDA=a$(hexid | cut -c2-) IDB=b$(hexid | cut -c2-)
	: > /dev/shm/host-obj
	ctr_start "system.slice/docker-$IDA.scope" mqueue sh -c \
	    "$(declare -f held_inside); held_inside a-held &&
	     : > /dev/shm/a-orphan && exec \"\$0\" -c -x mq a-q" "$HELP/ls_hold"
	A=$CTR_PID
	ctr_start "system.slice/docker-$IDB.scope" mqueue sh -c \
	    ': > /dev/shm/b-orphan && exec "$0" -c -x mq b-q' "$HELP/ls_hold"
	B=$CTR_PID
}

@test "ls -A: every store and namespace, each object labelled by its container" {
	two_containers
	run -0 pipc ls -A -r -n -o container,type,name,state,store
	assert_output - <<-EOF
	host shm /host-obj orphan $HOSTDEV
	docker:${IDA:0:12} shm /a-held in-use $(shm_dev "$A")
	docker:${IDA:0:12} shm /a-orphan orphan $(shm_dev "$A")
	docker:${IDA:0:12} mq /a-q orphan ipc:[$(stat -L -c %i "/proc/$A/ns/ipc")]
	docker:${IDB:0:12} shm /b-orphan orphan $(shm_dev "$B")
	docker:${IDB:0:12} mq /b-q orphan ipc:[$(stat -L -c %i "/proc/$B/ns/ipc")]
	EOF
}

@test "ls -A: CONTAINER comes first; the table without -A is as it was" {
	two_containers
	run -0 pipc ls -A
	assert_line --index 0 --regexp '^CONTAINER +TYPE +NAME +SIZE +OWNER +MODE +HOLDERS +STATE +VALUE +MSGS$'
	assert_line --regexp "^docker:${IDB:0:12} +shm +/b-orphan "
	run -0 pipc ls
	assert_line --index 0 --regexp '^TYPE +NAME +SIZE +OWNER +MODE +HOLDERS +STATE +VALUE +MSGS$'
	assert_equal "${#lines[@]}" 2		# heading and /host-obj
	# each store's objects under the path a user can open
	run -0 pipc ls -A -r -n -o name,path b-orphan
	assert_output --regexp "^/b-orphan /proc/[0-9]+/root/dev/shm/b-orphan$"
	local path=${output#* }
	[ -f "$path" ]
}

@test "ls -A: a pod's containers share one store: its objects appear once" {
	local uid id1 id2 pod c1
	uid=$(cat /proc/sys/kernel/random/uuid) id1=$(hexid) id2=$(hexid)
	pod="kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod${uid//-/_}.slice"
	ctr_start "$pod/cri-containerd-$id1.scope" mqueue sh -c ': > /dev/shm/one'
	c1=$CTR_PID
	ctr_join "$c1" "$pod/cri-containerd-$id2.scope" sh -c ': > /dev/shm/two'
	run -0 pipc ls -A -r -n -o container,name -t shm
	assert_output - <<-EOF
	kubernetes:$uid/${id1:0:12} /one
	kubernetes:$uid/${id1:0:12} /two
	EOF
	run -0 pipc ls -A -J one
	run -0 jq -c '.objects[0].container' <<< "$output"
	assert_output "{\"label\":\"kubernetes:$uid/${id1:0:12}\",\"runtime\":\"kubernetes\",\"engine\":\"containerd\",\"id\":\"$id1\",\"pod\":\"$uid\",\"name\":null}"
}

@test "ls -A: queues of a namespace with no mqueue mount are reached by entering it" {
	local c ns
	ctr_start "system.slice/docker-$(hexid).scope" none \
	    "$HELP/ls_hold" -c -x mq hidden-q
	c=$CTR_PID
	ns=$(stat -L -c %i "/proc/$c/ns/ipc")
	# its /dev/mqueue is an empty directory: nothing to see there
	run -0 ls -A "/proc/$c/root/dev/mqueue"
	assert_output ""
	run -0 pipc ls -A -r -n -o type,name,store,path -t mq
	assert_output "mq /hidden-q ipc:[$ns] ipc:[$ns]/hidden-q"
}

@test "ls -A: holders inside containers, with their PID there" {
	two_containers
	run -0 pipc ls -A -r -n -o name,pids a-held
	assert_output --regexp '^/a-held [0-9]+\[[0-9]+\]\(ls_hold\)$'
	local pid=${output#* } nspid
	pid=${pid%%[*}
	nspid=$(awk '/^NSpid:/ { print $NF }' "/proc/$pid/status")
	assert_output "/a-held $pid[$nspid](ls_hold)"
	run -0 pipc ls -A -J a-held
	run -0 jq -c '.objects[0].holders' <<< "$output"
	assert_output "[{\"pid\":$pid,\"nspid\":$nspid,\"comm\":\"ls_hold\"}]"
}

@test "ls -A --deleted: a removed object a container still holds, in its store" {
	two_containers
	rm "/proc/$A/root/dev/shm/a-held"
	run -0 pipc ls -A --deleted -r -n -o container,name,state,store -t shm
	assert_line "docker:${IDA:0:12} /a-held deleted $(shm_dev "$A")"
	run -0 pipc ls -A -r -n -o name -t shm
	refute_line "/a-held"
}

@test "ls -N PID: the store and queues that process sees, and only those" {
	two_containers
	run -0 pipc ls -N "$B" -r -n -o container,name
	assert_output - <<-EOF
	docker:${IDB:0:12} /b-orphan
	docker:${IDB:0:12} /b-q
	EOF
	# a /dev/shm that is a link, followed inside the container
	ctr_start "system.slice/docker-$(hexid).scope" symlink \
	    sh -c ': > /dev/shm/linked'
	run -0 pipc ls -N "$CTR_PID" -r -n -o name,store
	assert_output "/linked $(shm_dev "$CTR_PID" real-shm)"
	# the host as a process of the host sees it
	run -0 pipc ls -N $$ -r -n -o name
	assert_output "/host-obj"
}

@test "ls, gc, df, metrics -N and -A: bad input is refused, nothing changes" {
	local before cmd
	two_containers
	before=$(ipc_snapshot)
	for cmd in ls gc df metrics; do
		run -2 pipc "$cmd" -N abc
		assert_output "pipc: -N 'abc': not a process ID"
		run -2 pipc "$cmd" -N 0
		assert_output "pipc: -N '0': not a process ID"
		run -2 pipc "$cmd" -A -N "$A"
		assert_line --index 0 "pipc: -A and -N exclude each other"
		run -1 pipc "$cmd" -N 999999999
		assert_output "pipc: -N 999999999: no such process"
	done
	assert_equal "$(ipc_snapshot)" "$before"
	run -0 pipc ls -A -n -o name
	assert_equal "${#lines[@]}" 6
}

@test "gc -A: removes orphans in every container, keeps what any process holds" {
	two_containers
	run -0 pipc gc -A --min-age 0 -v
	assert_line --regexp "^host +shm /host-obj +0 orphan +removed$"
	assert_line --regexp "^docker:${IDA:0:12} shm /a-held +0 in-use +kept: held$"
	assert_line --regexp "^docker:${IDA:0:12} shm /a-orphan +0 orphan +removed$"
	assert_line --regexp "^docker:${IDA:0:12} mq +/a-q +0 orphan +removed$"
	assert_line --regexp "^docker:${IDB:0:12} shm /b-orphan +0 orphan +removed$"
	assert_line --regexp "^docker:${IDB:0:12} mq +/b-q +0 orphan +removed$"
	assert_line "gc: removed 5 objects (0), kept 1 (1 held)"
	[ -e "/proc/$A/root/dev/shm/a-held" ]
	[ ! -e "/proc/$A/root/dev/shm/a-orphan" ]
	[ ! -e "/proc/$B/root/dev/mqueue/b-q" ]
	[ ! -e /dev/shm/host-obj ]
	# -N: one container only
	: > "/proc/$B/root/dev/shm/b-again"
	: > /dev/shm/host-again
	run -0 pipc gc -N "$B" --min-age 0 -J
	run -0 jq -r '.objects[] | "\(.container) \(.store) \(.name) \(.action)"' <<< "$output"
	assert_output "docker:${IDB:0:12} $(shm_dev "$B") /b-again removed"
	[ -e /dev/shm/host-again ]
}

@test "gc -A: collects nowhere it cannot see, and says which and why" {
	local c ns
	ctr_start "system.slice/docker-$(hexid).scope" none \
	    "$HELP/ls_hold" -c -x mq q-hidden
	c=$CTR_PID
	ns=$(stat -L -c %i "/proc/$c/ns/ipc")
	chmod 1777 /dev/shm
	nobody "$HELP/ls_hold" -c -x shm mine
	# an ordinary user reads only its own processes: the container's
	# store and namespace are not its to see
	run -0 nobody "$PIPC" gc -A --min-age 0
	assert_line "gc: removed 1 object (0), kept 0"
	assert_line --regexp "^pipc: [0-9]+ processes could not be read \(process [0-9]+: Permission denied\): stores and namespaces only they use are not collected$"
	assert_line "pipc: queues of ipc:[$(stat -L -c %i /proc/self/ns/ipc)] (host): not collected: no mqueue mounted in it, and it cannot be entered: Operation not permitted"
	run -0 pipc ls -N "$c" -r -n -o name
	assert_output "/q-hidden"
}

@test "metrics -A: series per container and store, that promtool accepts" {
	two_containers
	head -c 1048576 /dev/zero > "/proc/$B/root/dev/shm/b-big"
	run -0 pipc metrics -A
	printf '%s\n' "$output" > "$BATS_TEST_TMPDIR/m.prom"
	run -0 promtool check metrics < "$BATS_TEST_TMPDIR/m.prom"
	run -0 cat "$BATS_TEST_TMPDIR/m.prom"
	assert_line "pipc_objects{kind=\"shm\",state=\"in-use\",container=\"docker:${IDA:0:12}\",store=\"$(shm_dev "$A")\"} 1"
	assert_line "pipc_objects{kind=\"shm\",state=\"orphan\",container=\"docker:${IDB:0:12}\",store=\"$(shm_dev "$B")\"} 2"
	assert_line "pipc_objects{kind=\"mq\",state=\"orphan\",container=\"docker:${IDB:0:12}\",store=\"ipc:[$(stat -L -c %i "/proc/$B/ns/ipc")]\"} 1"
	assert_line "pipc_store_used_bytes{container=\"docker:${IDB:0:12}\",store=\"$(shm_dev "$B")\"} 1048576"
	assert_line "pipc_namespaces_unread 0"
	assert_line --regexp '^pipc_namespaces_scan_duration_seconds [0-9.]+$'
}

@test "namespaces: every test left no process and no cgroup directory" {
	local dir
	[ -f "$BATS_FILE_TMPDIR/cgroups" ] || return 0
	while read -r dir; do
		[ ! -d "$dir" ] || { echo "left: $dir"; false; }
	done < "$BATS_FILE_TMPDIR/cgroups"
}
