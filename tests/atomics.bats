load helpers

# Two processes only race where there are two CPUs to run them.
need_two_cpus() {
	if [ "$(nproc)" -lt 2 ]; then
		skip "one CPU: the two processes take turns, they cannot race"
	fi
}

@test "atomics: the table has a heading and one row per width" {
	run "$PIPC" atomics
	assert_success
	assert_line --index 0 --regexp '^WIDTH +TYPE +MACRO +ALWAYS +RUNTIME +CPU$'
	assert_equal "${#lines[@]}" 7
	assert_line --index 1 --regexp '^ +1 unsigned char +2 +yes +yes +-$'
	assert_line --index 5 --regexp '^ +16 struct\{uint64_t\[2\]\} +- +(yes|no) +(yes|no) +'
	assert_line --index 6 --regexp '^ +32 struct\{uint64_t\[4\]\} +- +no +no +-$'
}

@test "atomics: the lock-free answers match an independent probe" {
	run "$HELP/atomics_probe"
	assert_success
	probe=$output
	run "$PIPC" atomics -J
	assert_success
	run jq -r '.atomics[] | "\(.width) \(.always_lock_free) \(.lock_free)"' \
	    <<<"$output"
	assert_success
	assert_output "$probe"
}

@test "atomics: the CPU column comes from the CPU" {
	run "$PIPC" atomics -J
	assert_success
	feature=$(jq -r '.atomics[] | select(.width == 16) | .cpu_has_feature' \
	    <<<"$output")
	case $(uname -m) in
	x86_64)
		if grep -qw cx16 /proc/cpuinfo; then want=true; else want=false; fi
		assert_equal "$feature" "$want" ;;
	aarch64)
		if grep -qw uscat /proc/cpuinfo; then want=true; else want=false; fi
		assert_equal "$feature" "$want" ;;
	*)
		assert_equal "$feature" null ;;
	esac
}

@test "atomics -J: parses, with numbers and booleans" {
	run "$PIPC" atomics -J
	assert_success
	run jq -e '.atomics | length == 6 and
	    (map(.width) == [1, 2, 4, 8, 16, 32]) and
	    all(.[]; (.always_lock_free | type) == "boolean" and
		(.lock_free | type) == "boolean" and
		(.macro_value | type) == (if .width <= 8 then "number" else "null" end)) and
	    (.[5].lock_free == false) and (.[0] | has("expected") | not)' \
	    <<<"$output"
	assert_success
}

@test "atomics --verify: no lost updates to 8 bytes, lost ones at 32" {
	need_two_cpus
	run "$PIPC" atomics --verify -J
	assert_success
	json=$output
	run jq -e '[.atomics[] | select(.width <= 8)] |
	    all(.[]; .lost == 0 and .observed == .expected and
		.expected == 2 * .iterations and .address_free != false)' <<<"$json"
	assert_success
	run jq -e '.atomics[] | select(.width == 32) |
	    .lost > 0 and .address_free == false' <<<"$json"
	assert_success
	# Both processes mapped the object, at different addresses.
	run jq -e 'all(.atomics[]; .addresses[0] != .addresses[1])' <<<"$json"
	assert_success
}

@test "atomics --verify: the table gives a verdict per width" {
	need_two_cpus
	run "$PIPC" atomics --verify -n 50000
	assert_success
	assert_line --index 0 --regexp 'EXPECTED +OBSERVED +LOST +VERDICT$'
	assert_line --index 1 --regexp '^ +1 .* 100000 +100000 +0 address-free: (yes \(measured\)|unknown \(no overlap\))$'
	# Under load the two may not overlap in 50,000 steps; the test above
	# proves the loss with a million.
	assert_line --index 6 --regexp '^ +32 .* 100000 +[0-9]+ +([1-9][0-9]* address-free: no \(measured\)|0 address-free: unknown \(no overlap\))$'
}

@test "atomics --verify: leaves no object behind, even when killed" {
	run "$PIPC" atomics --verify -n 1000
	assert_success
	run ls -A /dev/shm
	assert_success
	assert_output ""
	"$PIPC" atomics --verify -n 1000000000 >/dev/null 2>&1 &
	pid=$!
	sleep 0.3
	child=$(pgrep -P "$pid")
	[ -n "$child" ]
	# The object was unlinked as soon as it was mapped.
	run ls -A /dev/shm
	assert_output ""
	kill -9 "$pid"
	wait "$pid" || true
	run ls -A /dev/shm
	assert_output ""
	# The second process died with the first: gone, or a zombie.
	sleep 0.2
	run ps -o stat= -p "$child"
	refute_output --regexp '^[^Z]'
}

@test "atomics -n: bad counts are usage errors" {
	for bad in 0 -1 abc 99999999999999999999 1000000001 ''; do
		run "$PIPC" atomics --verify -n "$bad"
		assert_failure 2
		assert_line --index 0 --regexp "^pipc: -n $bad: ITERS is (too small|too large|invalid) \(1 to 1000000000\)$"
		assert_line --index 1 'usage: pipc atomics [-J] [--verify] [-n ITERS]'
	done
}

@test "atomics: bad options and operands are usage errors; -h is help" {
	run "$PIPC" atomics -x
	assert_failure 2
	assert_output --partial 'usage: pipc atomics [-J] [--verify] [-n ITERS]'
	run "$PIPC" atomics extra
	assert_failure 2
	assert_line --index 0 "pipc: unexpected argument 'extra'"
	run "$PIPC" atomics -h
	assert_success
	assert_line --index 0 'usage: pipc atomics [-J] [--verify] [-n ITERS]'
	assert_output --partial '--verify'
}
