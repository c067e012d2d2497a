load helpers
load containers
bats_require_minimum_version 1.5.0

# pipc df: the store's size, use and headroom; with -A, every container's,
# on containers made as runtimes make them (containers.bash).

setup() {
	ctr_setup
}

teardown() {
	ctr_teardown
}

@test "df: the one store, without -A: no CONTAINER, no PROCS" {
	head -c 8192 /dev/zero > /dev/shm/obj
	run -0 pipc df -r
	assert_line --index 0 "STORE SIZE USED AVAIL USE% FILES IFREE PATH"
	run -0 pipc df -b -r -n
	assert_output --regexp "^$HOSTDEV [0-9]+ [0-9]+ [0-9]+ [0-9]+% [0-9]+ [0-9]+ /dev/shm$"
	run -0 pipc df -J
	run -0 jq -c '.stores[] | [.store, .path, .used >= 8192, has("container")]' <<< "$output"
	assert_output "[\"$HOSTDEV\",\"/dev/shm\",true,false]"
}

@test "df: bad input is a usage error" {
	run -2 pipc df extra
	assert_line --index 0 "pipc: unexpected operand 'extra'"
	run -2 pipc df --bogus
	assert_line --index 0 --partial "'--bogus'"
	run -1 pipc df --shm-dir /nonexistent
	assert_output --partial "/nonexistent"
}

@test "df -A, -N: size, use and headroom of every store" {
	local IDA a
	IDA=$(hexid)
	ctr_start "system.slice/docker-$IDA.scope" mqueue
	a=$CTR_PID
	head -c 1048576 /dev/zero > "/proc/$a/root/dev/shm/a-big"
	run -0 pipc df -A -r
	assert_line --index 0 "CONTAINER STORE SIZE USED AVAIL USE% FILES IFREE PROCS PATH"
	assert_line --regexp "^host $HOSTDEV [^ ]+ [^ ]+ [^ ]+ [0-9]+% [0-9]+ [0-9]+ [0-9]+ /dev/shm$"
	assert_line --regexp "^docker:${IDA:0:12} $(shm_dev "$a") 4.0M 1.0M 3.0M 25% [0-9]+ [0-9]+ [0-9]+ /proc/[0-9]+/root/dev/shm$"
	run -0 pipc df -N "$a" -J
	run -0 jq -c '.stores[] | [.container, .size, .used, .avail, .processes]' <<< "$output"
	assert_output "[\"docker:${IDA:0:12}\",4194304,1048576,3145728,2]"
}

