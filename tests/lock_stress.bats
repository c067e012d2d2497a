load helpers
load lock_helpers
bats_require_minimum_version 1.5.0

@test "8 workers x 200 increments under pipc lock: the counter is 1600" {
	c=$BATS_TEST_TMPDIR/counter
	echo 0 > "$c"
	for w in 1 2 3 4 5 6 7 8; do
		(
			for i in $(seq 200); do
				"$PIPC" lock -w 60 count -- sh -c \
				    'read n < "$1"; sleep 0.001; echo $((n + 1)) > "$1"' \
				    sh "$c" || exit 1
			done
		) &
	done
	fails=0
	for w in 1 2 3 4 5 6 7 8; do
		wait -n || fails=$((fails + 1))
	done
	[ "$fails" = 0 ]
	[ "$(cat "$c")" = 1600 ]
	[ "$(value count)" = 1 ]
}

# The critical section: say we are in, fail if another live holder is.
# Markers of killed holders stay behind; a marker of a dead (or zombie)
# process is no one inside.
CRIT='
me=$$ d=$1
mkdir "$d/in.$me"
for m in "$d"/in.*; do
	p=${m##*/in.}
	[ "$p" = "$me" ] && continue
	s=$(cut -d" " -f3 "/proc/$p/stat" 2>/dev/null) || s=
	if [ -n "$s" ] && [ "$s" != Z ]; then
		echo "$me entered while $p was inside" >> "$d/violations"
	fi
done
n=$(cat "$d/count"); sleep 0.01; echo $((n + 1)) > "$d/count"
rmdir "$d/in.$me"
'

@test "workers SIGKILLed at random: never two inside, nobody waits forever" {
	d=$BATS_TEST_TMPDIR
	echo 0 > "$d/count"
	: > "$d/violations"
	# A child killed below may be LeakSanitizer's tracer (a sanitizer
	# build, at exit), which then waits for it for ever: no leak check for
	# these workers; the other tests check lock's leaks.
	export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
	for w in 1 2 3 4 5 6; do
		(
			for i in $(seq 40); do
				"$PIPC" lock --recover -w 20 k -- sh -c "$CRIT" sh \
				    "$d" 2>> "$d/stderr" &
				echo $! > "$d/cur.$w"
				rc=0
				wait $! || rc=$?
				echo "$rc" >> "$d/rc"
			done
		) &
	done
	# Kill a worker's pipc or the command it runs, 40 times.
	for k in $(seq 40); do
		sleep 0.0$((RANDOM % 9 + 1))
		w=$((RANDOM % 6 + 1))
		p=$(cat "$d/cur.$w" 2>/dev/null) || continue
		if [ $((RANDOM % 2)) = 0 ]; then
			p=$(cat "/proc/$p/task/$p/children" 2>/dev/null) || continue
		fi
		[ -n "$p" ] && kill -9 $p 2>/dev/null || true
	done
	for w in 1 2 3 4 5 6; do
		wait -n
	done
	cat "$d/violations"
	[ ! -s "$d/violations" ]
	# Every attempt ended: done (0), killed (137: pipc or its command).
	sort "$d/rc" | uniq -c
	[ "$(wc -l < "$d/rc")" = 240 ]
	! grep -qvx -e 0 -e 137 "$d/rc"
	# Dead owners were taken over, and the lock is free in the end.
	grep -c "took over the lock of PID" "$d/stderr"
	run pipc lock --recover -w 20 k -- true
	assert_success
}

@test "workers whose main thread exits, pipc SIGKILLed, a planted semaphore: never two inside" {
	d=$BATS_TEST_TMPDIR
	echo 0 > "$d/count"
	: > "$d/violations"
	export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
	# Another user's semaphore at 5 under the name some workers use.
	setpriv --reuid=65534 --regid=65534 --clear-groups \
	    "$PIPC" create sem /planted -v 5 -m 666
	# CMD is zwork: its main thread exits at once, so its leader shows
	# 'Z' while the thread that runs the critical section goes on.
	for w in 1 2 3 4; do
		(
			for i in $(seq 25); do
				"$PIPC" lock --recover -w 20 k -- "$HELP/zwork" -- \
				    sh -c "$CRIT" sh "$d" 2>> "$d/stderr" &
				echo $! > "$d/cur.$w"
				rc=0
				wait $! || rc=$?
				echo "$rc" >> "$d/rc"
			done
		) &
	done
	for w in 5 6; do
		(
			for i in $(seq 25); do
				rc=0
				"$PIPC" lock -n planted -- sh -c "$CRIT" sh "$d" \
				    2>> "$d/planted.err" || rc=$?
				echo "$rc" >> "$d/planted.rc"
			done
		) &
	done
	# Kill a worker's pipc (never its command, which then holds on), 20 times.
	for k in $(seq 20); do
		sleep 0.0$((RANDOM % 9 + 1))
		p=$(cat "$d/cur.$((RANDOM % 4 + 1))" 2>/dev/null) || continue
		[ -n "$p" ] && kill -9 "$p" 2>/dev/null || true
	done
	for w in 1 2 3 4 5 6; do
		wait -n
	done
	cat "$d/violations"
	grep -c "took over the lock of PID" "$d/stderr" || true
	[ ! -s "$d/violations" ]
	sort "$d/rc" | uniq -c
	[ "$(wc -l < "$d/rc")" = 100 ]
	! grep -qvx -e 0 -e 137 "$d/rc"
	# The planted semaphore was refused every time, and kept its value.
	[ "$(wc -l < "$d/planted.rc")" = 50 ]
	! grep -qvx 1 "$d/planted.rc"
	[ "$(grep -c "is not a mutex" "$d/planted.err")" = 50 ]
	[ "$(value planted)" = 5 ]
	# Commands whose pipc was killed ran on; the lock is free in the end.
	run pipc lock --recover -w 20 k -- true
	assert_success
}
