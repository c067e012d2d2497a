load helpers

# valgrind over the commands that walk every object and every process:
# no invalid access, no uninitialised read, no leak, on 1,000 objects.

vg() {
	valgrind -q --leak-check=full --show-leak-kinds=definite,indirect,possible \
	    --errors-for-leak-kinds=definite,indirect,possible \
	    --error-exitcode=99 "$PIPC" "$@"
}

# A held object of each kind, so the holder pass matches something.
hold() {
	local fifo="$BATS_TEST_TMPDIR/ready.$RANDOM" line=
	mkfifo "$fifo"
	"$HELP/ls_hold" "$@" > "$fifo" 3>&- &
	read -r -t 10 line < "$fifo" || true
	rm -f "$fifo"
	[ "$line" = ready ]
}

plant() {
	local i
	for i in $(seq 600); do : > "/dev/shm/seg$i"; done
	truncate -s 4K /dev/shm/seg1 /dev/shm/seg2
	# Semaphores of the right size (stale locks) and a few corrupt ones.
	truncate -s 32 $(printf '/dev/shm/sem.l%d ' $(seq 370))
	truncate -s 7 $(printf '/dev/shm/sem.bad%d ' $(seq 5))
	for i in $(seq 20); do pipc create mq "q$i" --maxmsg 2 --msgsize 16 >/dev/null; done
	pipc send q1 hello
	mkdir /dev/shm/dir
	ln -s /etc/passwd /dev/shm/link
	hold -c -s 4096 shm held
	hold -c -v 1 sem heldsem
	hold -c mq heldq
	[ "$(pipc ls -n -o name | wc -l)" -ge 1000 ]
}

# ipc_setup first: helpers.bash's teardown expects what it mounted.
setup() {
	ipc_setup
	if ! command -v valgrind >/dev/null; then
		skip "valgrind is not installed (scripts/deps installs it)"
	fi
	if [ -n "${PIPC_BIN-}" ]; then
		skip "valgrind cannot run the sanitizer build; the plain run covers it"
	fi
}

@test "valgrind: ls and ls -J on 1,000 objects" {
	plant
	run vg ls -p
	assert_success
	assert_line --regexp '^shm +/held '
	run vg ls -J
	assert_success
	[ "$(printf '%s\n' "$output" | jq '.objects | length')" -ge 1000 ]
}

@test "valgrind: gc -n on 1,000 objects" {
	plant
	run vg gc -n --min-age 0
	assert_success
	assert_output --partial "/seg600"
	refute_output --partial "/held"
}

@test "valgrind: atomics and atomics --verify" {
	run vg atomics
	assert_success
	run vg atomics --verify -n 2000
	assert_success
}
