#!/usr/bin/env bats
# pipc gc: what it collects, what it never touches, its output and exits.
load helpers

# Start ls_hold ARGS in the background; return once it holds its object.
hold() {
	local fifo="$BATS_TEST_TMPDIR/ready.$RANDOM" line=
	mkfifo "$fifo"
	"$HELP/ls_hold" "$@" > "$fifo" 3>&- &
	HOLD_PID=$!
	read -r -t 10 line < "$fifo" || true
	rm -f "$fifo"
	[ "$line" = ready ]
}

crash() {
	{ kill -9 "$1" && wait "$1"; } 2>/dev/null || true
}

# Objects as files, no holder: NAME SIZE.
mkobj() {
	head -c "$2" /dev/zero > "/dev/shm/$1"
}

@test "usage errors change nothing and exit 2" {
	mkobj old 10
	before=$(ipc_snapshot)
	for args in "--min-age 10x" "--min-age -1" "--min-age 1.5h" \
	    "--min-age ''" "--min-age 99999999d" "-t pipe" "--bogus" \
	    "--user no_such_user_here" "--user x --all-users" \
	    "--all-users --user root"; do
		eval "run pipc gc --min-age 0 $args"
		assert_failure 2
	done
	run pipc gc --min-age 10x
	assert_output --partial "not a duration such as 30s, 10m, 2h, 1d"
	bad=$BATS_TEST_TMPDIR/bad.json
	echo '{"objects":[{"type":"shm","name":"/x"}]}' > "$bad"
	run pipc gc --min-age 0 --since "$bad"
	assert_failure 2
	assert_output --partial 'lacks "type", "name" or "inode"'
	run pipc gc --since /nonexistent/snap.json
	assert_failure 1
	[ "$(ipc_snapshot)" = "$before" ]
}

@test "--since: inodes up to 2^64-1 are read, 2^64 is refused" {
	snap=$BATS_TEST_TMPDIR/snap.json
	for ino in 18446744073709551609 18446744073709551615; do
		printf '{"objects":[{"type":"shm","name":"/x","inode":%s}]}' \
		    "$ino" > "$snap"
		run pipc gc -n --since "$snap"
		assert_success
	done
	printf '{"objects":[{"type":"shm","name":"/x","inode":%s}]}' \
	    18446744073709551616 > "$snap"
	run pipc gc -n --since "$snap"
	assert_failure 2
}

@test "durations: 0, 30s, 10m, 2h, 1d, 1h30m and bare seconds" {
	mkobj fresh 10
	for d in 0 30 30s 10m 2h 1d 1h30m; do
		run pipc gc -n --min-age "$d"
		assert_success
	done
	run pipc gc -n --min-age 1h -v
	assert_line --regexp '^shm /fresh +10 orphan +kept: young$'
	run pipc gc -n --min-age 0
	assert_line --regexp '^shm /fresh +10 orphan +would remove$'
}

@test "holders killed while mapping, locking, holding a queue: collected" {
	hold -c -m -s 4096 shm mapped
	p1=$HOLD_PID
	hold -c -v 1 -l sem my.lock
	p2=$HOLD_PID
	hold -c mq queue
	p3=$HOLD_PID
	crash "$p1"; crash "$p2"; crash "$p3"
	run pipc gc --min-age 0
	assert_success
	assert_line --regexp '^shm /mapped +4\.0K orphan +removed$'
	assert_line --regexp '^sem /my.lock +32 stale-lock +removed$'
	assert_line --regexp '^mq +/queue +[0-9.]+K? +orphan +removed$'
	assert_line --regexp '^gc: removed 3 objects'
	run pipc ls -n
	assert_output ""
}

@test "live holders of every kind are never collected, at any age" {
	hold -c -m -s 4096 shm mapped
	hold -c -f -s 4096 shm fdonly
	hold -c -v 1 -l sem my.lock
	hold -c -v 1 sem open
	hold -c mq queue
	before=$(ipc_snapshot)
	for extra in "" --force --all-users; do
		run pipc gc --min-age 0 -v $extra
		assert_success
		assert_line --regexp '^shm /mapped .* kept: held$'
		assert_line --regexp '^shm /fdonly .* kept: held$'
		assert_line --regexp '^sem /my.lock .* kept: held$'
		assert_line --regexp '^sem /open .* kept: held$'
		assert_line --regexp '^mq +/queue .* kept: held$'
		assert_line 'gc: removed 0 objects (0), kept 5 (5 held)'
	done
	[ "$(ipc_snapshot)" = "$before" ]
}

@test "a lock held by a live script (pipc lock, no CMD) is never collected" {
	# The script lives on with the lock; nothing maps the semaphore.
	bash -c '"$1" lock scripted && echo locked && exec sleep 300' _ "$PIPC" \
	    > "$BATS_TEST_TMPDIR/out" &
	until grep -q locked "$BATS_TEST_TMPDIR/out"; do sleep 0.05; done
	run pipc ls -o name,holders,state sem:scripted
	assert_output --partial "/scripted       0 in-use"
	before=$(ipc_snapshot)
	run pipc gc --min-age 0 -v
	assert_success
	assert_line --regexp '^sem /scripted .* in-use +kept: held$'
	[ "$(ipc_snapshot)" = "$before" ]
}

@test "corrupt semaphores and glibc temp files, with their reasons" {
	mkobj sem.short 10
	mkobj sem.Ab3xYz 32
	hold -c -f -s 10 shm held
	run pipc gc --min-age 0
	assert_success
	assert_line --regexp '^sem /short +10 corrupt +removed$'
	assert_line --regexp '^sem /Ab3xYz +32 temp +removed$'
	assert_line 'gc: removed 2 objects (42), kept 1 (1 held)'
	[ -e /dev/shm/held ]
}

@test "a held corrupt sem file is kept" {
	hold -c -f -s 10 -P /dev/shm/sem.odd shm odd
	run pipc gc --min-age 0 -v
	assert_success
	assert_line --regexp '^sem /odd +10 corrupt +kept: held$'
	[ -e /dev/shm/sem.odd ]
}

@test "-n and --check remove nothing; --check exits 4 only with work" {
	mkobj a 100
	mkobj sem.b 32
	before=$(ipc_snapshot)
	run pipc gc -n --min-age 0
	assert_success
	assert_line --regexp '^shm /a +100 orphan +would remove$'
	assert_line 'gc: would remove 2 objects (132), kept 0'
	run pipc gc --check --min-age 0
	assert_failure 4
	[ "$(ipc_snapshot)" = "$before" ]
	run pipc gc --check
	assert_success
	assert_output 'gc: would remove 0 objects (0), kept 2 (2 young)'
	run pipc gc --min-age 0
	assert_success
	run pipc gc --check --min-age 0
	assert_success
}

@test "--since: only what is not in the snapshot, by kind, name, inode" {
	cd "$BATS_TEST_TMPDIR"
	mkobj old 10
	mkobj sem.oldsem 32
	mkobj renewed 10
	mkobj $'bad\xff\nname\x01' 10
	pipc ls -J > before.json
	mkobj new 20
	rm /dev/shm/renewed
	mkobj renewed 30
	mkobj sem.old 32	# a sem named like the old shm: value 0
	run pipc gc --check --since before.json
	assert_failure 4
	assert_line --regexp '^shm /new +20 orphan +would remove$'
	assert_line --regexp '^shm /renewed +30 orphan +would remove$'
	assert_line --regexp '^sem /old +32 stale-lock +would remove$'
	assert_line --regexp '^gc: would remove 3 objects'
	# The same snapshot on one line, after another member, reads the same
	# (jq would turn the \udcff of the invalid byte into U+FFFD).
	{ printf '{ "extra" : [1, {"a": null}, "\\u00e9\\ud83d\\ude00"],'
	  tail -c +2 before.json | tr -d '\n'; } > one.json
	jq -e . one.json > /dev/null
	run pipc gc --check --since one.json
	assert_failure 4
	assert_line --regexp '^gc: would remove 3 objects'
	run pipc gc --since before.json
	assert_success
	[ -e /dev/shm/old ] && [ -e /dev/shm/sem.oldsem ]
	[ -e /dev/shm/$'bad\xff\nname\x01' ]
	[ ! -e /dev/shm/new ] && [ ! -e /dev/shm/sem.old ]
	run pipc gc --check --since before.json
	assert_success
}

@test "another user's objects are kept unless --user or --all-users" {
	mkobj mine 10
	mkobj theirs 10
	chown 65534:65534 /dev/shm/theirs
	run pipc gc --min-age 0 -v -n
	assert_line --regexp '^shm /theirs +10 orphan +kept: other user$'
	assert_line --regexp '^shm /mine +10 orphan +would remove$'
	run pipc gc --min-age 0 --user 65534
	assert_success
	assert_line --regexp '^shm /theirs +10 orphan +removed$'
	[ -e /dev/shm/mine ]
	mkobj theirs 10
	chown 65534 /dev/shm/theirs
	run pipc gc --min-age 0 --all-users
	assert_line --regexp '^gc: removed 2 objects'
}

@test "a link planted by an unprivileged user: target untouched" {
	echo precious > "$BATS_TEST_TMPDIR/target"
	chmod 666 "$BATS_TEST_TMPDIR/target"
	for n in x sem.x; do
		setpriv --reuid=65534 --regid=65534 --clear-groups \
		    ln -s "$BATS_TEST_TMPDIR/target" "/dev/shm/$n"
	done
	setpriv --reuid=65534 --regid=65534 --clear-groups mkdir /dev/shm/sem.d
	run pipc gc --min-age 0 --all-users --force
	assert_success
	assert_line --regexp '^shm /x +[0-9]+ foreign +skipped: foreign$'
	assert_line --regexp '^sem /x +[0-9]+ foreign +skipped: foreign$'
	assert_line --regexp '^sem /d +[0-9]+ foreign +skipped: foreign$'
	[ -L /dev/shm/x ] && [ -L /dev/shm/sem.x ] && [ -d /dev/shm/sem.d ]
	[ "$(cat "$BATS_TEST_TMPDIR/target")" = precious ]
	[ "$(stat -c %a "$BATS_TEST_TMPDIR/target")" = 666 ]
}

@test "a quarantine left by an interrupted gc: ls shows it, gc ends it" {
	mkobj gone 10
	mkobj sem.lk 32
	mkobj anon 10
	mkobj back 10
	mkobj taken 10
	q1=$("$HELP/gc_plant" /dev/shm gone)
	q2=$("$HELP/gc_plant" /dev/shm sem.lk)
	q3=$("$HELP/gc_plant" /dev/shm anon norecord)
	q4=$("$HELP/gc_plant" /dev/shm back xattr)
	q5=$("$HELP/gc_plant" /dev/shm taken)
	hold -f -P "/dev/shm/$q4" shm q4
	hold -f -P "/dev/shm/$q5" shm q5
	mkobj taken 3
	run pipc ls -o NAME,STATE
	assert_line --regexp "^/$q1\(/gone\) +orphan$"
	assert_line --regexp "^/${q2#sem.}\(/lk\) +stale-lock$"
	assert_line --regexp "^/$q3\(\?\) +orphan$"
	run pipc ls -J
	[ "$(jq -r ".objects[] | select(.name == \"/$q1\") | .quarantine" \
	    <<< "$output")" = /gone ]
	[ "$(jq -r ".objects[] | select(.name == \"/$q3\") | .quarantine" \
	    <<< "$output")" = null ]
	# Young by ctime (the rename), yet ended: the gc that began it judged.
	run pipc gc
	assert_success
	assert_line --regexp "^shm /$q1\(/gone\) +10 quarantine +removed$"
	assert_line --regexp "^sem /${q2#sem.}\(/lk\) +32 quarantine +removed$"
	assert_line --regexp "^shm /$q3\(\?\) +10 quarantine +removed$"
	assert_line --regexp "^shm /$q4\(/back\) +10 quarantine +restored$"
	assert_line --regexp \
	    "^shm /$q5\(/taken\) +10 quarantine +kept: held, left in quarantine$"
	[ -e /dev/shm/back ] && [ -e "/dev/shm/$q5" ]
	[ "$(stat -c %s /dev/shm/taken)" = 3 ]
	run pipc ls -n -o NAME
	assert_output "/$q5(/taken)
/back
/taken"
}

@test "a name too long to carry: recorded in user.pipc.gc" {
	long=$(printf 'n%.0s' $(seq 250))
	mkobj "$long" 10
	mkobj "x$long" 10
	q=$("$HELP/gc_plant" /dev/shm "x$long" xattr)
	run pipc ls -n -o NAME
	assert_line "/$q(/x$long)"
	assert_line "/$long"
	run pipc gc --min-age 0
	assert_success
	assert_line --regexp "^shm /$long +10 orphan +removed$"
	assert_line --regexp "^shm /$q\\(/x$long\\) +10 quarantine +removed$"
	run pipc ls -n
	assert_output ""
}

@test "an object merely named like a quarantine is an ordinary one" {
	mkobj .pipc-gc.ffffff 10
	run pipc ls -n -o NAME
	assert_output "/.pipc-gc.ffffff"
	run pipc gc -n --min-age 0
	assert_line --regexp '^shm /\.pipc-gc\.ffffff +10 orphan +would remove$'
}

@test "patterns and -t choose what is considered" {
	mkobj test.a 10
	mkobj test.b 10
	mkobj other 10
	mkobj sem.test.c 32
	run pipc gc --min-age 0 -n 'test.*'
	assert_line 'gc: would remove 3 objects (52), kept 0'
	run pipc gc --min-age 0 -n 'sem:test.*'
	assert_line 'gc: would remove 1 object (32), kept 0'
	run pipc gc --min-age 0 -t shm 'test.*'
	assert_success
	assert_line 'gc: removed 2 objects (20), kept 0'
	[ -e /dev/shm/other ] && [ -e /dev/shm/sem.test.c ]
}

@test "-J: one object per line and a summary, valid JSON" {
	mkobj a 100
	hold -c -m -s 4096 shm held
	mkobj $'we\xffird\n' 5
	run pipc gc -J -v --min-age 0
	assert_success
	jq -e . <<< "$output" > /dev/null
	[ "$(jq -r '.objects[] | select(.name == "/a") | .action' <<< "$output")" = removed ]
	[ "$(jq -r '.objects[] | select(.name == "/held") | .action' <<< "$output")" = "kept: held" ]
	[ "$(jq -r '.summary.removed, .summary.bytes, .summary.held' <<< "$output" | tr '\n' ' ')" = "2 105 1 " ]
	assert_line --partial '"name":"/we\udcffird\n"'
}

@test "holders that cannot be seen: kept unless --force" {
	mkobj mine 10
	chmod 644 /dev/shm/mine
	run setpriv --reuid=65534 --regid=65534 --clear-groups \
	    "$PIPC" gc --min-age 0 -v --all-users -t shm
	assert_success
	assert_line --regexp '^shm /mine +10 unknown +kept: unknown$'
	assert_output --partial 'could not be read'
	[ -e /dev/shm/mine ]
}

@test "a queue left at mode 01000 by a killed gc: removed, or kept if held" {
	hold -c mq free
	crash "$HOLD_PID"
	hold -c mq busy
	chmod 1000 "$MQ/free" "$MQ/busy"
	run pipc ls -n -o NAME -t mq
	assert_output "/busy(/busy)
/free(/free)"
	run pipc gc
	assert_success
	assert_line --regexp '^mq +/busy\(/busy\) .* quarantine +kept: held, left in quarantine$'
	assert_line --regexp '^mq +/free\(/free\) .* quarantine +removed$'
	[ -e "$MQ/busy" ] && [ ! -e "$MQ/free" ]
}

@test "a queue keeps its mode after gc, and gc leaves no mode 01000" {
	hold -c mq busy
	chmod 640 "$MQ/busy"
	hold -c mq gone
	crash "$HOLD_PID"
	run pipc gc --min-age 0 -v
	assert_success
	assert_line --regexp '^mq +/busy .* kept: held$'
	[ "$(stat -c %a "$MQ/busy")" = 640 ]
	[ ! -e "$MQ/gone" ]
}

@test "three gc runs at once: none fails, and together they collect everything" {
	for r in 1 2 3 4 5; do
		for i in $(seq 1 100); do
			: > "/dev/shm/o$i"
			head -c 32 /dev/zero > "/dev/shm/sem.s$i"
		done
		pids=()
		for g in 1 2 3; do
			pipc gc --min-age 0 > "$BATS_TEST_TMPDIR/gc.$g" 2>&1 &
			pids+=($!)
		done
		for p in "${pids[@]}"; do
			wait "$p" || { cat "$BATS_TEST_TMPDIR"/gc.*; false; }
		done
		run pipc ls -n
		assert_output ""
	done
}
