load helpers
bats_require_minimum_version 1.5.0

GOLDEN="$BATS_TEST_DIRNAME/golden/ls"

# helpers.bash's teardown, kept so ours can unmount what a test mounted.
eval "shared_$(declare -f teardown)"
teardown() {
	if mountpoint -q "$BATS_TEST_TMPDIR/other" 2>/dev/null; then
		umount -l "$BATS_TEST_TMPDIR/other"
	fi
	shared_teardown
}

# Start CMD in the background and return once it printed "ready" (ls_hold
# does once it holds its object); HOLD_PID is its PID.
start() {
	local fifo="$BATS_TEST_TMPDIR/ready.$RANDOM" line=
	mkfifo "$fifo"
	"$@" > "$fifo" 3>&- &
	HOLD_PID=$!
	read -r -t 10 line < "$fifo" || true
	rm -f "$fifo"
	if [ "$line" != ready ]; then
		echo "not ready: $*" >&2
		return 1
	fi
}

hold() {
	start "$HELP/ls_hold" "$@"
}

# Kill a holder the way a crash does, and reap it.
crash() {
	kill -9 "$1"
	wait "$1" || true
}

# Compare a file with its golden copy; PIPC_GOLDEN_UPDATE=1 rewrites it.
golden() {
	if [ -n "${PIPC_GOLDEN_UPDATE-}" ]; then
		mkdir -p "$GOLDEN"
		cp "$1" "$GOLDEN/$2"
	fi
	diff -u "$GOLDEN/$2" "$1"
}

# The fixed set of objects behind the golden files: nobody holds them, they
# belong to 65534 and have set modes, so only mtime and inode vary.
fixtures() {
	local f
	"$HELP/ls_hold" -c -s 4096 -x shm alpha
	"$HELP/ls_hold" -c -s 1536000 -x shm big
	: > '/dev/shm/with space'
	: > /dev/shm/$'esc\e[31mred'
	: > /dev/shm/$'new\nline'
	: > '/dev/shm/back\slash'
	: > /dev/shm/$'caf\xc3\xa9'
	: > /dev/shm/$'bad\xffbyte'
	"$HELP/ls_hold" -c -v 5 -x sem five
	"$HELP/ls_hold" -c -v 0 -x sem lock
	"$HELP/ls_hold" -c -v 1 -x sem AbC123
	head -c 16 /dev/zero > /dev/shm/sem.short
	"$HELP/ls_hold" -c -M 5 -S 64 -n 3 -x mq queue
	"$HELP/ls_hold" -c -M 2 -S 8 -x mq empty
	mkdir /dev/shm/adir
	mkfifo /dev/shm/afifo
	ln -s /etc/passwd /dev/shm/alink
	ln -s /etc/hostname /dev/shm/sem.slink
	for f in /dev/shm/* "$MQ"/*; do
		chown -h 65534:65534 "$f"
		[ -L "$f" ] || chmod 0640 "$f"
	done
	chmod 0600 /dev/shm/alpha
	chmod 0755 /dev/shm/adir
}

# A name with every byte from 1 to 255 but '/'.
all_bytes() {
	local i name=
	for i in $(seq 1 255); do
		[ "$i" -eq 47 ] && continue
		name+=$(printf "\\$(printf %03o "$i")")
	done
	# $(...) drops the trailing newline of byte 10: put it back in place.
	name=${name:0:9}$'\n'${name:9}
	printf '%s' "$name"
}

@test "ls: empty directories print only the heading" {
	run pipc ls
	assert_success
	assert_output "TYPE NAME SIZE OWNER MODE HOLDERS STATE VALUE MSGS"
	run pipc ls -n
	assert_success
	assert_output ""
}

@test "ls -H lists every column with its meaning" {
	run pipc ls -H
	assert_success
	printf '%s\n' "$output" > "$BATS_TEST_TMPDIR/out"
	golden "$BATS_TEST_TMPDIR/out" columns.txt
	# The same names the completions are given.
	run pipc __complete columns
	assert_success
	assert_output "$(pipc ls -H | cut -d' ' -f1)"
}

@test "ls: default table of the fixed objects (golden)" {
	fixtures
	run --separate-stderr pipc ls
	assert_success
	[ -z "$stderr" ]
	printf '%s\n' "$output" > "$BATS_TEST_TMPDIR/out"
	golden "$BATS_TEST_TMPDIR/out" table.txt
}

@test "ls -b shows sizes in bytes (golden)" {
	fixtures
	run pipc ls -b
	assert_success
	printf '%s\n' "$output" > "$BATS_TEST_TMPDIR/out"
	golden "$BATS_TEST_TMPDIR/out" bytes.txt
	assert_line --regexp '^shm +/big +1536000 '
}

@test "ls -r: single spaces, spaces in names escaped (golden)" {
	fixtures
	run pipc ls -r
	assert_success
	printf '%s\n' "$output" > "$BATS_TEST_TMPDIR/out"
	golden "$BATS_TEST_TMPDIR/out" raw.txt
	refute_output --partial '  '
	assert_line 'shm /with\x20space 0 nobody 0640 0 orphan - -'
}

@test "ls -n: no heading line (golden)" {
	fixtures
	run pipc ls -n
	assert_success
	printf '%s\n' "$output" > "$BATS_TEST_TMPDIR/out"
	golden "$BATS_TEST_TMPDIR/out" noheadings.txt
	refute_output --partial HOLDERS
	[ "${#lines[@]}" -eq 18 ]
}

@test "ls -o: every stable column, PATH relative to the given dirs (golden)" {
	fixtures
	cd "$BATS_TEST_TMPDIR"
	run pipc ls --shm-dir /dev/shm --mqueue-dir mqueue -o \
	    TYPE,NAME,PATH,SIZE,OWNER,UID,GID,MODE,HOLDERS,PIDS,STATE,VALUE,WAITERS,MSGS,MAXMSG,MSGSIZE,QSIZE,NOTIFY
	assert_success
	printf '%s\n' "$output" > "$BATS_TEST_TMPDIR/out"
	golden "$BATS_TEST_TMPDIR/out" columns-all.txt
}

@test "ls -J: JSON of the fixed objects parses (golden, mtime/inode masked)" {
	fixtures
	cd "$BATS_TEST_TMPDIR"
	run --separate-stderr pipc ls -J --mqueue-dir mqueue
	assert_success
	[ -z "$stderr" ]
	printf '%s\n' "$output" > "$BATS_TEST_TMPDIR/out.json"
	jq -e . "$BATS_TEST_TMPDIR/out.json" > /dev/null
	# Group 65534 is nogroup on some systems, nobody on others.
	sed -E 's/"mtime":[0-9]+/"mtime":0/; s/"inode":[0-9]+/"inode":0/;
	    s/"group":"[^"]*"/"group":"G"/' \
	    "$BATS_TEST_TMPDIR/out.json" > "$BATS_TEST_TMPDIR/out"
	golden "$BATS_TEST_TMPDIR/out" json.txt
	# Typed values: numbers are numbers, unknowns are null.
	run jq -c '.objects[] | select(.name == "/queue")
	    | [.size, .msgs, .maxmsg, .msgsize, .qsize, .notify_pid, .state]' \
	    "$BATS_TEST_TMPDIR/out.json"
	assert_output '[30,3,5,64,30,0,"orphan"]'
	run jq -c '.objects[] | select(.name == "/short") | [.value, .state]' \
	    "$BATS_TEST_TMPDIR/out.json"
	assert_output '[null,"corrupt"]'
	run jq -c '[.objects[] | select(.temp) | .name]' "$BATS_TEST_TMPDIR/out.json"
	assert_output '["/AbC123"]'
}

@test "ls -0: exact name bytes, each ended by NUL" {
	fixtures
	pipc ls -0 > "$BATS_TEST_TMPDIR/out"
	# Foreign entries have names too, sorted in with the rest.
	printf '/%s\0' adir afifo alink alpha 'back\slash' $'bad\xffbyte' big \
	    $'caf\xc3\xa9' $'esc\e[31mred' $'new\nline' 'with space' AbC123 \
	    five lock short slink empty queue > "$BATS_TEST_TMPDIR/want"
	cmp "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/out"
	run -0 sh -c '"$0" ls -0 -t mq > "$1"' "$PIPC" "$BATS_TEST_TMPDIR/out"
	assert_output ""
	printf '/%s\0' empty queue | cmp - "$BATS_TEST_TMPDIR/out"
}

@test "ls -o +LIST adds to the default columns; -p adds PIDS" {
	run pipc ls -o +INODE,waiters
	assert_success
	assert_output "TYPE NAME SIZE OWNER MODE HOLDERS STATE VALUE MSGS INODE WAITERS"
	run pipc ls -p
	assert_success
	assert_output "TYPE NAME SIZE OWNER MODE HOLDERS STATE VALUE MSGS PIDS"
	run pipc ls -o NAME -p
	assert_success
	assert_output "NAME PIDS"
}

@test "ls -p given many times, or after a long -o, adds PIDS once" {
	run pipc ls -o NAME -p -p -p -p -p -p -p -p -p -p -p -p -p -p -p -p -p \
	    -p -p -p -p -p -p -p -p -p -p -p -p -p -p -p -p -p -p -p -p -p -p -p \
	    -p -p -p -p -p -p -p -p
	assert_success
	assert_output "NAME PIDS"
	# Twice as many columns as there are fill the list: no room for PIDS.
	cols=$(pipc ls -H | cut -d' ' -f1 | grep -vx PIDS | paste -sd, -)
	run pipc ls -n -o "$cols,$cols,TYPE,TYPE"
	assert_success
	run pipc ls -o "$cols,$cols,TYPE,TYPE" -p
	assert_failure 2
	assert_output "pipc: too many columns"
}

@test "ls -o with an unknown column: exit 2, says which" {
	hold -c shm x
	ipc_snapshot > "$BATS_TEST_TMPDIR/before"
	run --separate-stderr pipc ls -o NAME,BOGUS
	assert_failure 2
	assert_output ""
	[ "$stderr" = "pipc: unknown column 'BOGUS'; 'pipc ls -H' lists them" ]
	run pipc ls -o +
	assert_failure 2
	assert_output --partial "unknown column ''"
	ipc_snapshot | diff "$BATS_TEST_TMPDIR/before" -
}

@test "ls -t: bad type exits 2; the option repeats" {
	run --separate-stderr pipc ls -t queue
	assert_failure 2
	assert_output ""
	[ "$stderr" = "pipc: unknown type 'queue': use shm, sem or mq" ]
	run pipc ls --bogus
	assert_failure 2
	assert_output --partial "usage: pipc ls"
	fixtures
	run pipc ls -n -o TYPE,NAME -t sem -t mq
	assert_success
	assert_output "$(printf '%s\n' 'sem /AbC123' 'sem /five' 'sem /lock' \
	    'sem /short' 'sem /slink' 'mq  /empty' 'mq  /queue')"
	run pipc ls -n -o NAME --type shm
	assert_success
	assert_line /alpha
	refute_line /five
	refute_line /queue
}

@test "ls: MTIME, INODE, GROUP, UID and an owner with no name" {
	: > /dev/shm/t
	TZ=UTC touch -d '2001-02-03 04:05:06' /dev/shm/t
	chown 4242:4343 /dev/shm/t
	run env TZ=UTC "$PIPC" ls -n -o MTIME,INODE,OWNER,UID,GROUP,GID
	assert_success
	assert_output "2001-02-03T04:05:06 $(stat -c %i /dev/shm/t) 4242 4242 4343 4343"
	chown 65534:65534 /dev/shm/t
	group=$(getent group 65534 | cut -d: -f1)
	run pipc ls -n -o OWNER,GROUP
	assert_success
	assert_output "nobody $group"
}

@test "ls PATTERN: globs, kind prefixes, leading slash" {
	fixtures
	run pipc ls -n -o TYPE,NAME 'sem:*'
	assert_success
	assert_output "$(printf '%s\n' 'sem /AbC123' 'sem /five' 'sem /lock' \
	    'sem /short' 'sem /slink')"
	run pipc ls -n -o TYPE,NAME 'shm:a*' /big 'mq:q*'
	assert_success
	assert_output "$(printf '%s\n' 'shm /adir' 'shm /afifo' 'shm /alink' \
	    'shm /alpha' 'shm /big' 'mq  /queue')"
	run pipc ls -n -o TYPE,NAME '*[ey]'
	assert_success
	assert_output "$(printf '%s\n' 'shm /bad\xffbyte' 'shm /new\x0aline' \
	    'shm /with space' 'sem /five' 'mq  /empty' 'mq  /queue')"
	# The same name as shm and sem: a bare name shows both.
	: > /dev/shm/five
	run pipc ls -n -o TYPE,NAME five
	assert_success
	assert_output "$(printf '%s\n' 'shm /five' 'sem /five')"
}

@test "ls nope: warns 'no such object', exit 1; the rest still listed" {
	: > /dev/shm/here
	run --separate-stderr pipc ls nope
	assert_failure 1
	assert_output "TYPE NAME SIZE OWNER MODE HOLDERS STATE VALUE MSGS"
	[ "$stderr" = "pipc: nope: no such object" ]
	run --separate-stderr pipc ls -n -o NAME here 'sem:here' '/no*'
	assert_failure 1
	assert_output /here
	[ "$stderr" = "$(printf '%s\n' 'pipc: sem:here: no such object' \
	    'pipc: /no*: no such object')" ]
}

@test "ls --orphans and --stale filter by state" {
	fixtures
	hold -c -s 64 shm used
	hold -c -v 0 sem held
	run pipc ls -n -o NAME,STATE --orphans
	assert_success
	refute_line --partial in-use
	refute_line --partial foreign
	refute_line --partial corrupt
	assert_line --regexp '^/alpha +orphan$'
	assert_line --regexp '^/lock +stale-lock$'
	assert_line --regexp '^/queue +orphan$'
	[ "${#lines[@]}" -eq 13 ]
	run pipc ls -n -o TYPE,NAME,STATE --stale
	assert_success
	assert_output "sem /lock stale-lock"
	# A PATTERN that matches only filtered-out objects is no error.
	run --separate-stderr pipc ls -n -o NAME --stale 'shm:*'
	assert_success
	assert_output ""
	[ -z "$stderr" ]
}

@test "ls: a holder through a mapping only (fd closed) is in-use" {
	hold -c -s 8192 -m shm mapped
	pid=$HOLD_PID
	[ -z "$(ls -l /proc/$pid/fd | grep -F /dev/shm/mapped)" ]
	run pipc ls -n -o NAME,HOLDERS,PIDS,STATE
	assert_success
	assert_output "/mapped 1 $pid(ls_hold) in-use"
}

@test "ls: a holder through an open fd only (no mapping) is in-use" {
	hold -c -s 100 -f shm fdonly
	pid=$HOLD_PID
	! grep -qF /dev/shm/fdonly /proc/$pid/maps
	run pipc ls -n -o NAME,HOLDERS,PIDS,STATE
	assert_success
	assert_output "/fdonly 1 $pid(ls_hold) in-use"
}

@test "ls: fd and mapping count one holder; two processes count two" {
	hold -c -s 4096 shm both
	first=$HOLD_PID
	run pipc ls -n -o NAME,HOLDERS,STATE
	assert_success
	assert_output "/both 1 in-use"
	hold -f shm both
	second=$HOLD_PID
	run pipc ls -n -o NAME,HOLDERS,PIDS
	assert_success
	assert_output "/both 2 $first(ls_hold),$second(ls_hold)"
	run pipc ls -J
	assert_success
	run jq -c '.objects[0].holders | map(.pid)' <<< "$output"
	assert_output "[$first,$second]"
}

@test "ls: after the holder unlinked it, a new object of that name is orphan" {
	hold -c -s 4096 -u shm gone
	grep -qF '/dev/shm/gone (deleted)' /proc/$HOLD_PID/maps
	run pipc ls -n
	assert_success
	assert_output ""
	# Same path as the deleted mapping, another inode: not held.
	: > /dev/shm/gone
	run pipc ls -n -o NAME,HOLDERS,STATE
	assert_success
	assert_output "/gone 0 orphan"
}

@test "ls: a renamed object keeps its holder" {
	hold -c -s 4096 -m shm before
	mv /dev/shm/before /dev/shm/after
	run pipc ls -n -o NAME,HOLDERS,STATE
	assert_success
	assert_output "/after 1 in-use"
}

@test "ls: the same name mapped from another tmpfs does not count" {
	other="$BATS_TEST_TMPDIR/other"
	mkdir "$other"
	mount -t tmpfs pipc-other "$other"
	hold -c -s 4096 -m -P "$other/dup" shm dup
	: > /dev/shm/dup
	run pipc ls -n -o NAME,HOLDERS,STATE
	assert_success
	assert_output "/dup 0 orphan"
}

@test "ls: a holder in another mount namespace with its own /dev/shm" {
	# What a container sees: the very same path, another filesystem.
	start unshare --mount --propagation private sh -c \
	    'mount -t tmpfs pipc-other /dev/shm && exec "$0" -c -s 4096 -m shm dup' \
	    "$HELP/ls_hold"
	grep -qF ' /dev/shm/dup' /proc/$HOLD_PID/maps
	: > /dev/shm/dup
	run pipc ls -n -o NAME,HOLDERS,STATE
	assert_success
	assert_output "/dup 0 orphan"
}

@test "ls: semaphore value and waiters (threads blocked in sem_wait)" {
	hold -c -v 7 sem seven
	hold -c -v 0 -W 2 sem waiting
	pid=$HOLD_PID
	run pipc ls -n -o NAME,VALUE,WAITERS,HOLDERS,STATE
	assert_success
	assert_output "$(printf '%s\n' '/seven   7 0 1 in-use' \
	    '/waiting 0 2 1 in-use')"
	run pipc ls -J 'sem:waiting'
	assert_success
	run jq -c '.objects[0] | [.value, .waiters, .temp, .holders[0].pid]' \
	    <<< "$output"
	assert_output "[0,2,false,$pid]"
}

@test "ls: semaphore waiters in another process" {
	hold -c -v 0 sem w
	hold -W 1 sem w
	run pipc ls -n -o NAME,VALUE,WAITERS,HOLDERS,STATE
	assert_success
	assert_output "/w 0 1 2 in-use"
}

@test "ls: a lock whose holder was SIGKILLed is a stale-lock" {
	hold -c -v 1 -l sem mutex
	run pipc ls -n -o NAME,VALUE,HOLDERS,STATE
	assert_success
	assert_output "/mutex 0 1 in-use"
	crash "$HOLD_PID"
	run pipc ls -n -o NAME,VALUE,HOLDERS,STATE
	assert_success
	assert_output "/mutex 0 0 stale-lock"
	run pipc ls -n -o NAME --stale
	assert_success
	assert_output /mutex
}

@test "ls: shared memory whose holder died is an orphan" {
	hold -c -s 4096 shm left
	crash "$HOLD_PID"
	run pipc ls -n -o NAME,HOLDERS,STATE
	assert_success
	assert_output "/left 0 orphan"
	run pipc ls -n -o NAME --orphans
	assert_success
	assert_output /left
}

@test "ls: sem.* files of 0, 16, 4096 and 1T bytes are corrupt, never read" {
	: > /dev/shm/sem.empty
	head -c 16 /dev/urandom > /dev/shm/sem.sixteen
	head -c 4096 /dev/urandom > /dev/shm/sem.page
	truncate -s 1T /dev/shm/sem.huge
	"$HELP/ls_hold" -c -v 2 -x sem fine
	run --separate-stderr pipc ls -b -n -o NAME,SIZE,VALUE,WAITERS,STATE
	assert_success
	[ -z "$stderr" ]
	assert_output "$(printf '%s\n' \
	    '/empty               0 ? ? corrupt' \
	    '/fine               32 2 0 orphan' \
	    '/huge    1099511627776 ? ? corrupt' \
	    '/page             4096 ? ? corrupt' \
	    '/sixteen            16 ? ? corrupt')"
	run pipc ls -J
	assert_success
	run jq -c '[.objects[] | [.name, .value, .state]]' <<< "$output"
	assert_output '[["/empty",null,"corrupt"],["/fine",2,"orphan"],["/huge",null,"corrupt"],["/page",null,"corrupt"],["/sixteen",null,"corrupt"]]'
	run pipc ls --orphans --stale -n
	assert_success
	assert_output ""
}

@test "ls: message queue MSGS, QSIZE, MAXMSG, MSGSIZE and NOTIFY" {
	hold -c -M 8 -S 128 -n 3 -N mq q
	pid=$HOLD_PID
	"$HELP/ls_hold" -c -M 4 -S 16 -x mq idle
	run pipc ls -r -n -o NAME,MSGS,QSIZE,MAXMSG,MSGSIZE,NOTIFY,HOLDERS,STATE
	assert_success
	assert_output "$(printf '%s\n' '/idle 0 0 4 16 0 0 orphan' \
	    "/q 3 30 8 128 $pid 1 in-use")"
	run pipc ls -J -t mq q
	assert_success
	run jq -c '.objects[0] | [.msgs, .qsize, .maxmsg, .msgsize, .notify_pid]' \
	    <<< "$output"
	assert_output "[3,30,8,128,$pid]"
}

@test "ls: a symlink out of /dev/shm, a directory and a fifo are foreign" {
	echo secret > "$BATS_TEST_TMPDIR/outside"
	hold -m -P "$BATS_TEST_TMPDIR/outside" shm outside
	ln -s "$BATS_TEST_TMPDIR/outside" /dev/shm/link
	ln -s "$BATS_TEST_TMPDIR/outside" /dev/shm/sem.link
	mkdir /dev/shm/dir
	mkfifo /dev/shm/fifo /dev/shm/sem.fifo
	# A reader that opened the fifo would block: the timeout catches it.
	run timeout 10 "$PIPC" ls -n -o TYPE,NAME,HOLDERS,STATE,VALUE
	assert_success
	assert_output "$(printf '%s\n' 'shm /dir  0 foreign -' \
	    'shm /fifo 0 foreign -' 'shm /link 0 foreign -' \
	    'sem /fifo 0 foreign -' 'sem /link 0 foreign -')"
	run pipc ls -n --orphans
	assert_success
	assert_output ""
	[ "$(cat "$BATS_TEST_TMPDIR/outside")" = secret ]
}

@test "ls: control bytes in names are escaped in the table, kept with -0" {
	names=('with space' $'new\nline' $'esc\e]0;title\a' $'tab\there' \
	    'back\slash' $'del\x7f' $'csi\xc2\x9b2J' $'bad\xff' $'caf\xc3\xa9')
	for n in "${names[@]}"; do : > "/dev/shm/$n"; done
	run pipc ls -n -o NAME
	assert_success
	assert_output "$(printf '%s\n' '/back\x5cslash' '/bad\xff' \
	    $'/caf\xc3\xa9' '/csi\xc2\x9b2J' '/del\x7f' \
	    '/esc\x1b]0;title\x07' '/new\x0aline' '/tab\x09here' '/with space')"
	pipc ls > "$BATS_TEST_TMPDIR/out"
	pipc ls -r -p -o +PATH >> "$BATS_TEST_TMPDIR/out"
	! grep -q $'\e' "$BATS_TEST_TMPDIR/out"
	! LC_ALL=C grep -q $'[\x01-\x09\x0b-\x1f\x7f]' "$BATS_TEST_TMPDIR/out"
	! LC_ALL=C grep -q $'\xc2[\x80-\x9f]' "$BATS_TEST_TMPDIR/out"
	[ "$(wc -l < "$BATS_TEST_TMPDIR/out")" -eq 20 ]
	run pipc ls -r -n -o NAME 'with*'
	assert_success
	assert_output '/with\x20space'
	# JSON: valid, and the names decode to the same text.
	run pipc ls -J
	assert_success
	run jq -r '.objects[] | select(.name | startswith("/esc")) | .name' \
	    <<< "$output"
	assert_output $'/esc\e]0;title\a'
	pipc ls -0 > "$BATS_TEST_TMPDIR/out"
	printf '/%s\0' 'back\slash' $'bad\xff' $'caf\xc3\xa9' $'csi\xc2\x9b2J' \
	    $'del\x7f' $'esc\e]0;title\a' $'new\nline' $'tab\there' \
	    'with space' | cmp - "$BATS_TEST_TMPDIR/out"
}

@test "ls: a name of every byte from 1 to 255 but '/'" {
	export LC_ALL=C		# so that ${name:0:251} counts bytes
	name=$(all_bytes)
	[ "$(printf '%s' "$name" | wc -c)" -eq 254 ]
	: > "/dev/shm/$name"
	"$HELP/ls_hold" -c -v 3 -x sem "${name:0:251}"
	run --separate-stderr pipc ls -J
	assert_success
	[ -z "$stderr" ]
	printf '%s\n' "$output" > "$BATS_TEST_TMPDIR/out.json"
	jq -e '.objects | length == 2' "$BATS_TEST_TMPDIR/out.json"
	# Bytes that are not UTF-8 come back through surrogateescape.
	printf '%s' "$name" > "$BATS_TEST_TMPDIR/name"
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
want = open(sys.argv[2], "rb").read()
got = [o["name"].encode("utf-8", "surrogateescape") for o in d["objects"]]
assert got == [b"/" + want, b"/" + want[:251]], got
assert d["objects"][1]["value"] == 3
' "$BATS_TEST_TMPDIR/out.json" "$BATS_TEST_TMPDIR/name"
	# The table shows it on one line, with no raw control byte.
	run pipc ls -n -o TYPE,NAME,STATE
	assert_success
	[ "${#lines[@]}" -eq 2 ]
	! grep -q $'\e' <<< "$output"
	! LC_ALL=C grep -q $'[\x01-\x09\x0b-\x1f\x7f]' <<< "$output"
	assert_line --index 0 --partial '/\x01\x02\x03'
	pipc ls -0 -t shm > "$BATS_TEST_TMPDIR/out"
	printf '/%s\0' "$name" | cmp - "$BATS_TEST_TMPDIR/out"
}

@test "ls: bidirectional and invisible characters are escaped in tables, JSON and messages, kept with -0" {
	rlo=$'\xe2\x80\xae'	# U+202E RIGHT-TO-LEFT OVERRIDE
	n="abc${rlo}gpj.exe"
	run pipc create shm "$n" -s 1
	assert_success
	assert_line --index 1 --partial '/abc\xe2\x80\xaegpj.exe '
	run pipc ls -n -o NAME
	assert_success
	assert_output '/abc\xe2\x80\xaegpj.exe'
	run pipc ls -J
	assert_success
	[[ $output == *'"name":"/abc\u202egpj.exe"'* ]]
	[ "$(jq -r '.objects[0].name' <<< "$output")" = "/$n" ]
	pipc ls -0 > "$BATS_TEST_TMPDIR/out"
	printf '/%s\0' "$n" | cmp - "$BATS_TEST_TMPDIR/out"
	run pipc create shm "$n" -s 1
	assert_failure 1
	assert_output 'pipc: shm:/abc\xe2\x80\xaegpj.exe: exists (--reuse opens it)'
	run pipc rm "x$n"
	assert_failure 1
	assert_output 'pipc: /xabc\xe2\x80\xaegpj.exe: no such object'
	# Every such character, each in a name of its own: none gets out raw.
	rm /dev/shm/*
	python3 -c '
import os, sys
for c in [0xad, 0x61c, 0x180e, *range(0x200b, 0x2010), 0x2028, 0x2029,
          *range(0x202a, 0x202f), *range(0x2060, 0x2065),
          *range(0x2066, 0x206a), 0xfeff, 0xe0001]:
    n = b"/dev/shm/u%04x" % c + chr(c).encode()
    os.close(os.open(n, os.O_CREAT | os.O_WRONLY, 0o600))
'
	run pipc ls -n -o NAME
	assert_success
	[ "${#lines[@]}" -eq 26 ]
	if LC_ALL=C grep -q $'[^\x20-\x7e]' <<< "$output"; then
		fail "a byte outside printable ASCII: $output"
	fi
	for l in "${lines[@]}"; do
		[[ $l =~ ^/u[0-9a-f]{4,5}(\\x[0-9a-f]{2}){2,4}$ ]] || fail "raw: $l"
	done
	run pipc ls -J
	assert_success
	if LC_ALL=C grep -q $'[^\x20-\x7e]' <<< "$output"; then
		fail "a byte outside printable ASCII in JSON: $output"
	fi
	[ "$(jq -r '.objects[].name' <<< "$output" | LC_ALL=C grep -c $'^/u[0-9a-f]*[\x80-\xff]')" -eq 26 ]
}

@test "ls as an unprivileged user: unknown for what it cannot see" {
	hold -c -s 4096 shm rootheld
	"$HELP/ls_hold" -c -x shm unheld
	start setpriv --reuid=65534 --regid=65534 --clear-groups \
	    "$HELP/ls_hold" -c -s 4096 shm mine
	nobody=$HOLD_PID
	run --separate-stderr setpriv --reuid=65534 --regid=65534 \
	    --clear-groups "$PIPC" ls -t shm -r -n -o NAME,HOLDERS,PIDS,STATE
	assert_success
	assert_output "$(printf '%s\n' "/mine 1 $nobody(ls_hold) in-use" \
	    '/rootheld ? - unknown' '/unheld ? - unknown')"
	assert_equal "$(wc -l <<< "$stderr")" 1
	[[ $stderr == "pipc: "*" could not be read: objects nobody is seen to hold are 'unknown'; run as root to see every holder" ]]
	# Unknown is never taken for orphan.
	run setpriv --reuid=65534 --regid=65534 --clear-groups "$PIPC" ls \
	    -t shm -n --orphans
	assert_success
	refute_output --partial /unheld
	# Root sees all of it.
	run pipc ls -n -o NAME,HOLDERS,STATE
	assert_success
	assert_output "$(printf '%s\n' '/mine     1 in-use' \
	    '/rootheld 1 in-use' '/unheld   0 orphan')"
}

@test "ls without an mqueue mount: the rest listed, one warning" {
	mkdir "$BATS_TEST_TMPDIR/plain"
	"$HELP/ls_hold" -c -s 4096 -x shm s
	export PIPC_MQUEUE_DIR="$BATS_TEST_TMPDIR/plain"
	run --separate-stderr pipc ls -n -o TYPE,NAME
	assert_success
	assert_output "shm /s"
	[ "$stderr" = "pipc: $PIPC_MQUEUE_DIR is not an mqueue filesystem: queues not listed (mount -t mqueue none $PIPC_MQUEUE_DIR, or give --mqueue-dir)" ]
	run --separate-stderr pipc ls -n -t shm
	assert_success
	[ -z "$stderr" ]
	run --separate-stderr pipc ls -n -t mq
	assert_failure 1
	assert_output ""
	[[ $stderr == *"mount -t mqueue none"* ]]
	run pipc ls -n 'mq:*'
	assert_failure 1
	assert_output --partial "mq:*: no such object"
}

@test "ls to /dev/full: write error, exit 1" {
	: > /dev/shm/x
	run --separate-stderr sh -c '"$0" ls > /dev/full' "$PIPC"
	assert_failure 1
	[[ $stderr == "pipc: write error on standard output: No space left on device" ]]
	run sh -c '"$0" ls -J > /dev/full' "$PIPC"
	assert_failure 1
	run sh -c '"$0" ls -0 > /dev/full' "$PIPC"
	assert_failure 1
	assert_output --partial "write error"
}

@test "ls through a pipc-ls link" {
	: > /dev/shm/linked
	ln -s "$PIPC" "$BATS_TEST_TMPDIR/pipc-ls"
	run "$BATS_TEST_TMPDIR/pipc-ls" -n -o TYPE,NAME
	assert_success
	assert_output "shm /linked"
	run "$BATS_TEST_TMPDIR/pipc-ls" -h
	assert_success
	assert_line --index 0 --partial "usage: pipc ls [-bJnpr0]"
	ln -s "$PIPC" "$BATS_TEST_TMPDIR/pipc-lss"
	run "$BATS_TEST_TMPDIR/pipc-lss"
	assert_failure 2
	assert_output "pipc-lss: unknown command 'lss'; did you mean 'ls'?"
}

@test "pipc --version, pipc help, and an unknown command" {
	run pipc --version
	assert_success
	assert_output --regexp '^pipc [0-9]+\.[0-9]+\.[0-9]+$'
	run pipc help
	assert_success
	assert_line --index 0 "usage: pipc [--version] [help [COMMAND]] COMMAND [ARGS]"
	assert_line --partial "pipc ls [-bJnpr0] [-t TYPE]..."
	run pipc help ls
	assert_success
	assert_line --partial -- "--orphans"
	run --separate-stderr pipc lss
	assert_failure 2
	assert_output ""
	[ "$stderr" = "pipc: unknown command 'lss'; did you mean 'ls'?" ]
	run pipc
	assert_failure 2
	assert_output --partial "usage: pipc"
}

@test "ls: a queue directory that does not exist: how to make and mount it" {
	run --separate-stderr pipc ls --mqueue-dir "$BATS_TEST_TMPDIR/none"
	assert_success
	[ "$stderr" = "pipc: $BATS_TEST_TMPDIR/none does not exist: queues not listed (mkdir -p $BATS_TEST_TMPDIR/none && mount -t mqueue none $BATS_TEST_TMPDIR/none, or give --mqueue-dir)" ]
}

@test "ls, gc: a shm: pattern beginning with sem. is a usage error, as in create and rm" {
	head -c 32 /dev/zero > /dev/shm/sem.cfg
	for cmd in ls "gc -n"; do
		run pipc $cmd 'shm:sem.*'
		assert_failure 2
		assert_output --partial 'a shared memory name cannot begin with "sem."'
	done
	run pipc ls -n -o TYPE,NAME 'sem.*' 'sem:cfg'
	assert_failure 1
	assert_line 'sem /cfg'
}
