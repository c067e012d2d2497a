load helpers

# What an unprivileged user can plant in the world-writable /dev/shm, and
# root running pipc over it: no crash, no hang, no raw escape sequence,
# nothing outside touched, and each entry reported with a fitting state.
# (ls.bats, rm.bats and gc.bats check single cases; this is all of it at once,
# across every command that reads the directory.)

ESC=$'esc\e[31mred\e[0m'
TITLE=$'tit\e]0;owned\a'

plant() {
	OUT="$BATS_TEST_TMPDIR/outside"
	mkdir "$OUT"
	echo secret > "$OUT/target"
	echo semsecret > "$OUT/semtarget"
	nobody ln -s "$OUT/target" /dev/shm/x
	nobody ln -s "$OUT/semtarget" /dev/shm/sem.x
	nobody mkdir /dev/shm/sem.y
	nobody mkfifo /dev/shm/fifo /dev/shm/sem.fifo
	nobody truncate -s 1G /dev/shm/sparse
	nobody touch "/dev/shm/$ESC" "/dev/shm/sem.$TITLE"
	nobody truncate -s 0 /dev/shm/sem.zero
	nobody truncate -s 16 /dev/shm/sem.sixteen
	nobody truncate -s 4096 /dev/shm/sem.page
	SUMS=$(outside)
}

# The targets outside, as bytes and metadata: nothing may change them.
outside() {
	(cd "$OUT" && stat -c '%n %s %Y %Z %a %u' -- * && sha256sum -- *)
}

# safe CODE CMD...: pipc exits CODE, within 20 s, no control byte but
# newline in what it printed, the outside untouched.
safe() {
	local code=$1
	shift
	run timeout 20 "$PIPC" "$@"
	[ "$status" -ne 124 ] || fail "pipc $* hung"
	[ "$status" -eq "$code" ] ||
	    fail "pipc $*: exit $status, not $code: $output"
	if printf '%s' "$output" | LC_ALL=C grep -q $'[\x01-\x09\x0b-\x1f\x7f]'; then
		fail "pipc $*: a raw control byte: $output"
	fi
	if printf '%s' "$output" | LC_ALL=C grep -q $'\xc2[\x80-\x9f]'; then
		fail "pipc $*: a raw C1 control: $output"
	fi
	[ "$(outside)" = "$SUMS" ] || fail "pipc $*: touched a file outside"
}

@test "hostile: ls names each planted entry with a fitting state" {
	plant
	safe 0 ls -n -b -o TYPE,NAME,SIZE,STATE
	assert_output "$(printf '%s\n' \
	    'shm /esc\x1b[31mred\x1b[0m          0 orphan' \
	    'shm /fifo                           0 foreign' \
	    'shm /sparse                1073741824 orphan' \
	    "shm /x                     $(stat -c %10s /dev/shm/x) foreign" \
	    'sem /fifo                           0 foreign' \
	    'sem /page                        4096 corrupt' \
	    'sem /sixteen                       16 corrupt' \
	    'sem /tit\x1b]0;owned\x07            0 corrupt' \
	    "sem /x                     $(stat -c %10s /dev/shm/sem.x) foreign" \
	    "sem /y                     $(stat -c %10s /dev/shm/sem.y) foreign" \
	    'sem /zero                           0 corrupt')"
	safe 0 ls -p
	safe 0 ls -r -o +PATH
	safe 0 ls --orphans -n -o NAME
	assert_output "$(printf '%s\n' '/esc\x1b[31mred\x1b[0m' /sparse)"
	safe 0 ls -J
	run jq -r '.objects[] | "\(.type) \(.name) \(.state) \(.value)"' <<< "$output"
	assert_success
	assert_output "$(printf '%s\n' "shm /$ESC orphan null" \
	    'shm /fifo foreign null' 'shm /sparse orphan null' \
	    'shm /x foreign null' 'sem /fifo foreign null' \
	    'sem /page corrupt null' 'sem /sixteen corrupt null' \
	    "sem /$TITLE corrupt null" 'sem /x foreign null' \
	    'sem /y foreign null' 'sem /zero corrupt null')"
	# -0 is for programs: the bytes as they are, NUL-terminated.
	"$PIPC" ls -0 -o NAME > "$BATS_TEST_TMPDIR/names"
	grep -qzxF "/$ESC" "$BATS_TEST_TMPDIR/names"
	grep -qzxF "/$TITLE" "$BATS_TEST_TMPDIR/names"
}

@test "hostile: rm refuses links, directories and fifos; removes the rest" {
	plant
	before=$(ipc_snapshot)
	while read -r code name msg; do
		safe "$code" rm "$name"
		assert_output "pipc: $name: not an IPC object: $msg; not removed"
	done <<-'EOF'
	1 shm:/x a symbolic link
	1 sem:/x a symbolic link
	1 sem:/y a directory
	1 shm:/fifo a fifo
	1 sem:/fifo a fifo
	EOF
	safe 1 rm x
	assert_output "pipc: /x: exists as shm:/x and sem:/x; say which with -t or a prefix"
	[ "$(ipc_snapshot)" = "$before" ]
	safe 0 rm -v sparse "$ESC" "sem:$TITLE" sem:zero sem:sixteen sem:page
	assert_line 'removed shm:/esc\x1b[31mred\x1b[0m'
	assert_line 'removed sem:/tit\x1b]0;owned\x07'
	safe 0 ls -n -o TYPE,NAME,STATE
	assert_output "$(printf '%s\n' 'shm /fifo foreign' 'shm /x    foreign' \
	    'sem /fifo foreign' 'sem /x    foreign' 'sem /y    foreign')"
	safe 0 rm --all -t shm -t sem
	assert_line "pipc: left alone 5 entries that are not IPC objects"
	[ -L /dev/shm/x ] && [ -L /dev/shm/sem.x ] && [ -d /dev/shm/sem.y ]
}

@test "hostile: gc collects orphans and corrupt files, skips the foreign" {
	plant
	before=$(ipc_snapshot)
	safe 0 gc -n --min-age 0 --all-users
	[ "$(ipc_snapshot)" = "$before" ]
	for n in /sparse '/esc\x1b[31mred\x1b[0m'; do
		assert_line --regexp "^shm ${n//\\/\\\\} +[0-9.]+[GK]? +orphan +would remove\$"
	done
	for n in /page /sixteen /zero '/tit\x1b]0;owned\x07'; do
		assert_line --regexp "^sem ${n//\\/\\\\} +[0-9.]+K? +corrupt +would remove\$"
	done
	for n in 'shm /fifo' 'shm /x' 'sem /fifo' 'sem /x' 'sem /y'; do
		assert_line --regexp "^$n +[0-9]+ +foreign +skipped: foreign\$"
	done
	safe 4 gc --check --min-age 0 --all-users -J
	safe 4 gc --check --min-age 0 --all-users
	safe 0 gc --min-age 0 --all-users
	assert_line --regexp '^gc: removed 6 objects \(1\.0G\), kept 0, skipped 5 foreign$'
	safe 0 ls -n -o TYPE,NAME,STATE
	assert_output "$(printf '%s\n' 'shm /fifo foreign' 'shm /x    foreign' \
	    'sem /fifo foreign' 'sem /x    foreign' 'sem /y    foreign')"
	safe 0 gc --min-age 0 --all-users --force
	[ -L /dev/shm/x ] && [ -p /dev/shm/fifo ] && [ -d /dev/shm/sem.y ]
}

@test "hostile: map opens only regular files and never blocks on a fifo" {
	plant
	before=$(ipc_snapshot)
	while read -r name msg; do
		for mode in "" --zero --hold -x; do
			safe 1 map $mode "$name"
			assert_output "pipc: /$name: not an IPC object: $msg"
		done
	done <<-'EOF'
	x a symbolic link
	fifo a fifo
	EOF
	# sem.* files are semaphores' (sem:y, sem:x): never shared memory.
	for name in sem.y sem.x; do
		for mode in "" --zero --hold -x; do
			safe 2 map $mode "$name"
			assert_output --partial "pipc: '$name': a shared memory name cannot begin with \"sem.\""
		done
	done
	run timeout 20 sh -c 'echo overwrite | "$1" map --write x' sh "$PIPC"
	assert_failure 1
	[ "$(ipc_snapshot)" = "$before" ]
	[ "$(outside)" = "$SUMS" ]
	safe 0 map -x --offset 1073741808 sparse
	assert_output "$(printf '%s\n' '3ffffff0  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  |................|' 40000000)"
	safe 0 map "$ESC"
	assert_output ""
	safe 1 map --length 1 "$ESC"
	assert_output 'pipc: /esc\x1b[31mred\x1b[0m: --offset 0 --length 1 goes past the end (0 bytes)'
}

@test "hostile: lock and unlock refuse what is not a semaphore, follow no link" {
	plant
	before=$(ipc_snapshot)
	for name in x y fifo zero sixteen page "$TITLE"; do
		shown=$(printf '%s' "$name" | sed 's/\x1b/\\x1b/g; s/\x07/\\x07/g')
		for cmd in "lock -n" "lock -w 0.1" "lock --recover --force" unlock \
		    "unlock -f"; do
			safe 1 $cmd "$name"
			assert_output "pipc: /$shown: /dev/shm/sem.$shown is not a semaphore (not a regular file of 32 bytes)"
		done
		safe 1 lock -n "$name" -- touch "$BATS_TEST_TMPDIR/ran"
		[ ! -e "$BATS_TEST_TMPDIR/ran" ]
	done
	[ "$(ipc_snapshot)" = "$before" ]
}

@test "hostile: a name holding escapes is escaped in every command's messages" {
	plant
	for argv in "ls $ESC" "rm $ESC.missing" "map $ESC.missing" \
	    "lock -n $ESC/x" "unlock $ESC" "send $ESC m" "recv -n $ESC" \
	    "create shm $ESC -s 1" "gc -n $ESC" "rm sem:$TITLE.missing" \
	    "map --offset $ESC $ESC" "lock -w $ESC x" "create sem x -m $ESC"; do
		# Split on spaces only: the names hold no space.
		IFS=' ' read -r -a words <<< "$argv"
		run timeout 20 "$PIPC" "${words[@]}"
		[ "$status" -lt 124 ] || fail "pipc $argv: exit $status"
		if printf '%s' "$output" | LC_ALL=C grep -q $'[\x01-\x09\x0b-\x1f\x7f]'; then
			fail "pipc ${words[0]}: a raw control byte: $(printf '%q' "$output")"
		fi
	done
}

@test "hostile: files truncated and grown while map, ls, gc, lock read them" {
	truncate -s 1M /dev/shm/t
	truncate -s 32 /dev/shm/sem.t
	(while :; do
		truncate -s 0 /dev/shm/t; truncate -s 1M /dev/shm/t
		truncate -s 0 /dev/shm/sem.t; truncate -s 32 /dev/shm/sem.t
	done) &
	for i in $(seq 40); do
		for argv in "map t" "map -x --length 64 t" "ls" "ls -J" \
		    "gc -n --min-age 0" "lock -n t -- true" "unlock t"; do
			run timeout 20 "$PIPC" $argv
			case $status in
			0|1|3) ;;
			*) fail "pipc $argv: exit $status: $output" ;;
			esac
		done
	done
	kill %1
	[ -f /dev/shm/t ] && [ -f /dev/shm/sem.t ]
}
