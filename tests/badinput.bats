load helpers
bats_require_minimum_version 1.5.0

# Every subcommand, given bad input: exit 2 (usage), a message on stderr,
# nothing on stdout, and both IPC directories exactly as they were.
# badinput_lifecycle.bats checks the exact wording for create, rm, map, send
# and recv; this is the whole table, every command and every naming rule.

setup() {
	ipc_setup
	"$PIPC" create shm m -s 4K >/dev/null
	"$PIPC" create sem s -v 1 >/dev/null
	"$PIPC" create mq q --maxmsg 2 --msgsize 16 >/dev/null
	"$PIPC" send q kept
	"$PIPC" create sem held -v 0 >/dev/null	# a stale lock
	echo '{"objects":[' > "$BATS_TEST_TMPDIR/broken.json"
	BEFORE=$(state)
}

# The directories, the data in them, and the semaphore values and messages.
state() {
	ipc_snapshot
	"$PIPC" map m | od -c
	"$PIPC" ls -J | jq -c '.objects[] | [.name, .value, .msgs]'
}

# usage_error WORDS...: a line of the table, where @E@ stands for nothing (an
# empty word), @L@ for a 256-byte name, @S@ a 252-byte one (too long for a
# semaphore only), @J@ a broken snapshot file. Exit 2, stderr only, nothing
# changed.
LONG=$(printf 'n%.0s' $(seq 256))
SEMLONG=$(printf 's%.0s' $(seq 252))
usage_error() {
	local -a argv=()
	local w
	for w in "$@"; do
		w=${w//@E@/}
		w=${w//@L@/$LONG}
		w=${w//@S@/$SEMLONG}
		argv+=("${w//@J@/$BATS_TEST_TMPDIR/broken.json}")
	done
	run --separate-stderr timeout 20 "$PIPC" "${argv[@]}" < /dev/null
	if [ "$status" -ne 2 ] || [ -n "$output" ] || [ -z "$stderr" ]; then
		fail "pipc $*: exit $status, stdout '$output', stderr '$stderr'"
	fi
	[ "$(state)" = "$BEFORE" ] || fail "pipc $*: changed something"
}

table() {
	local line n=0
	while read -r line; do
		case $line in ''|'#'*) continue ;; esac
		# shellcheck disable=SC2086
		usage_error $line
		n=$((n + 1))
	done
	[ "$n" -gt 0 ]
}

@test "badinput: no command, an unknown command or option" {
	table <<-'EOF'
	@E@
	nosuch
	lss
	--bogus ls
	-x
	help nosuch
	EOF
	run --separate-stderr "$PIPC"
	[ "$status" -eq 2 ] && [ -z "$output" ]
}

@test "badinput: missing arguments, for every command that takes some" {
	table <<-'EOF'
	create
	create shm
	create shm x
	create sem
	create mq
	create x
	map
	rm
	rm --all
	send
	recv
	lock
	lock -n
	unlock
	EOF
}

@test "badinput: too many operands" {
	table <<-'EOF'
	map m extra
	recv q extra
	unlock s extra
	send q one two
	atomics extra
	create shm x y -s 1
	create sem x y
	EOF
}

@test "badinput: unknown options, every command" {
	for c in $("$PIPC" __complete commands); do
		usage_error "$c" --bogus
		usage_error "$c" -Z
	done
	table <<-'EOF'
	create shm x -s
	map m --offset
	lock -w
	gc --min-age
	ls -o
	ls -t
	EOF
}

@test "badinput: option values out of range or malformed" {
	table <<-'EOF'
	ls -t bogus
	ls -o nosuch
	ls -o +nosuch
	ls -o NAME,,STATE
	create shm x -s -1
	create shm x -s 1Q
	create sem x -v -1
	create sem x -v 4294967296
	create sem x -v one
	create mq x --maxmsg 0
	create mq x --msgsize x
	create sem x -m 8
	create shm x -s 1 -m 77777
	map m --offset x
	map m --length -1
	rm -t bogus x
	send -p 32768 q x
	send -p x q x
	send -w -1 q x
	send -w nan q x
	recv -c 0 q
	recv -c -1 q
	recv -w 1e3 q
	lock -w -1 s
	lock -w 1e3 s
	lock -w inf s
	lock -m 8888 s
	lock -m x s
	lock --stale-after 1y --recover s
	lock --stale-after -1 --recover s
	lock --owner 0 s
	lock --owner x s
	lock --owner 99999999999 s
	gc --min-age 1y
	gc --min-age -1
	gc --min-age 99999d
	gc -t bogus
	gc --user nosuch-user-xyz
	gc --since @J@
	atomics -n 0
	atomics -n -1
	atomics -n x
	atomics -n 99999999999999999999
	EOF
}

@test "badinput: options that exclude each other" {
	table <<-'EOF'
	send -n -w 1 q x
	recv -n -w 1 q
	recv -0 -J q
	lock --owner 1 s -- true
	lock --stale-after 1m s
	gc --user root --all-users
	rm --all x -t shm
	EOF
}

@test "badinput: every naming rule, every command that takes a name" {
	for c in "create shm @N@ -s 1" "create sem @N@" "create mq @N@" \
	    "map @N@" "rm @N@" "rm -t sem @N@" "send @N@ x" "recv -n @N@" \
	    "lock -n @N@" "unlock @N@"; do
		for n in @E@ / a/b /a/b . .. /.. @L@; do
			usage_error ${c/@N@/$n}
		done
	done
	for c in "create sem @N@" "rm sem:@N@" "lock -n @N@" "unlock @N@" \
	    "lock -n sem:@N@"; do
		usage_error ${c/@N@/@S@}
	done
	# "sem.NAME" is the file of the semaphore NAME: never shared memory's.
	for c in "create shm @N@ -s 1" "create shm:@N@ -s 1" "map @N@" \
	    "map --zero shm:@N@" "rm shm:@N@" "rm -t shm @N@"; do
		for n in sem.s /sem.s sem.x sem. /sem..; do
			usage_error ${c/@N@/$n}
		done
	done
	# 252 bytes fit every other kind: a usage error only for semaphores.
	run "$PIPC" create mq "$SEMLONG"
	assert_success
}

@test "badinput: a prefix that names the wrong kind" {
	table <<-'EOF'
	map sem:s
	map mq:q
	send shm:m x
	recv sem:s
	lock shm:m
	lock mq:q
	unlock mq:q
	EOF
}

@test "bad words with escape sequences are shown escaped, never raw" {
	e=$'\e[31m'
	for c in "$e" "ls -o $e" "ls -t $e" "ls $e" "create $e x" \
	    "create shm sem:$e -s 1" "gc --min-age $e" "gc --user $e" \
	    "gc --since $e" "rm -t shm sem:$e" "map sem:$e" "send sem:$e" \
	    "atomics -n $e" "atomics $e" "lock -w $e x" "--$e"; do
		run --separate-stderr "$PIPC" $c
		[ "$status" -ne 0 ] || fail "pipc $c succeeded"
		[[ $stderr != *$'\e'* ]] || fail "pipc $c: raw ESC in: $stderr"
		[[ $stderr == *'\x1b'* ]] || fail "pipc $c: no \\x1b in: $stderr"
	done
}
