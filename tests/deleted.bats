#!/usr/bin/env bats
# Objects whose name was removed while a process still maps or holds them:
# their memory stays in the store, ls --deleted shows them, metrics counts
# them, and gc and rm never see them.
load helpers

# A 64 KiB object held by a process (ls_hold's options), then its name gone.
held_then_removed() {
	start_until ready "$HELP/ls_hold" -c -s 65536 "$@" shm gone
	rm /dev/shm/gone
}

@test "ls --deleted: a mapped and open object whose name was removed" {
	"$PIPC" create shm /kept -s 4k >/dev/null
	held_then_removed
	run pipc ls --deleted -b -o TYPE,NAME,SIZE,HOLDERS,STATE,PIDS
	assert_success
	assert_line --regexp "^shm +/gone +65536 +1 deleted +$BG_PID\\(ls_hold\\)$"
	assert_line --regexp '^shm +/kept +4096 +0 orphan'
	# Without the option, the listing is as before.
	run pipc ls -n -o NAME,STATE
	assert_success
	assert_output "/kept orphan"
	# -0 gives names to remove, and a deleted object has none.
	run pipc ls --deleted -0
	assert_success
	assert_output "$(printf '/kept')"
}

@test "ls --deleted -J: state deleted, the size, the holder, size_mapped" {
	held_then_removed
	run pipc ls --deleted -J
	assert_success
	[ "$(jq -c '.objects[] | [.type, .name, .state, .size, .size_mapped,
	    [.holders[].pid]]' <<< "$output")" = \
	    "[\"shm\",\"/gone\",\"deleted\",65536,false,[$BG_PID]]" ]
	run pipc ls -J
	assert_success
	[ "$(jq '.objects | length' <<< "$output")" = 0 ]
}

@test "ls --deleted: mapped only, the size through map_files" {
	held_then_removed -m
	run pipc ls --deleted -b -n -o NAME,SIZE,STATE
	assert_success
	assert_output --regexp '^/gone +65536 deleted$'
	run pipc ls --deleted -J
	[ "$(jq -c '.objects[0].size_mapped' <<< "$output")" = false ]
}

@test "ls --deleted: an fd only, one object however many holders" {
	held_then_removed -f
	local first=$BG_PID
	start_until ready "$HELP/ls_hold" -c -s 4096 shm other
	rm /dev/shm/other
	run pipc ls --deleted -b -n -o NAME,SIZE,HOLDERS,STATE
	assert_success
	assert_output --regexp '^/gone +65536 +1 deleted
/other +4096 +1 deleted$'
	kill "$first"
	wait "$first" || true
	run pipc ls --deleted -n -o NAME
	assert_success
	assert_output "/other"
}

@test "ls --deleted: a semaphore held open, then unlinked" {
	# Opened, not created: glibc creates through a temporary name, which
	# /proc then shows for the mapping.
	"$PIPC" create sem /gonesem >/dev/null
	start_until ready "$HELP/ls_hold" -u sem gonesem
	run pipc ls --deleted -b -n -o TYPE,NAME,SIZE,HOLDERS,STATE
	assert_success
	assert_output --regexp '^sem +/gonesem +32 +1 deleted$'
	run pipc ls --deleted -t shm -n -o NAME
	assert_success
	assert_output ""
}

@test "gc and rm leave a deleted object alone and do not count it" {
	held_then_removed
	run pipc gc --min-age 0 -J
	assert_success
	[ "$(jq -c '.objects | length' <<< "$output")" = 0 ]
	run pipc gc --check --min-age 0
	assert_success
	run pipc rm shm:gone
	assert_failure 1
	run pipc ls --deleted -n -o NAME,STATE
	assert_output "/gone deleted"
}

@test "metrics: the bytes of deleted objects, by kind, state deleted" {
	held_then_removed
	run pipc metrics
	assert_success
	assert_line 'pipc_objects{kind="shm",state="deleted"} 1'
	assert_line 'pipc_objects_bytes{kind="shm",state="deleted"} 65536'
	assert_line 'pipc_objects{kind="sem",state="deleted"} 0'
}

@test "a deleted object is gone once its holder exits" {
	held_then_removed
	run pipc ls --deleted -n -o NAME
	assert_output "/gone"
	kill "$BG_PID"
	wait "$BG_PID" || true
	run pipc ls --deleted -n -o NAME
	assert_success
	assert_output ""
	run pipc metrics
	assert_line 'pipc_objects_bytes{kind="shm",state="deleted"} 0'
}
