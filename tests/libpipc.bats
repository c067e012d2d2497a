load helpers
load lock_helpers
bats_require_minimum_version 1.5.0

# libpipc as a program uses it: installed into a private root, programs in C
# and C++ built through pkg-config. In the sanitizer pass (PIPC_BIN is
# build/san/pipc) the same programs are built with the sanitizers and
# linked with build/san/libpipc.a, the library built with them: a report
# lands in build/san/log and fails the pass, as one of pipc's does.
setup_file() {
	ROOT="$BATS_FILE_TMPDIR/root"
	make -s -C "$TOP" install DESTDIR="$ROOT" PREFIX=/usr >/dev/null
	export ROOT PKG_CONFIG_PATH="$ROOT/usr/lib/pkgconfig"
	export PKG_CONFIG_SYSROOT_DIR="$ROOT"
	export DEMO="$BATS_FILE_TMPDIR/lockdemo" CXXDEMO="$BATS_FILE_TMPDIR/counter"
	case "${PIPC_BIN-}" in
	*/build/san/*)
		make -s -C "$TOP" build/san/libpipc.a >/dev/null
		san=(-fsanitize=address,undefined -fno-sanitize-recover=all
		    -fno-omit-frame-pointer -O1 -g)
		# shellcheck disable=SC2046
		libs=("$TOP/build/san/libpipc.a" $(pkg-config --libs --static \
		    libpipc | sed 's/-L[^ ]*//g; s/-lpipc//'))
		clang -std=c11 -Wall -Wextra -Werror -D_GNU_SOURCE "${san[@]}" \
		    $(pkg-config --cflags libpipc) -o "$DEMO" \
		    "$TOP/tests/lib/lockdemo.c" "${libs[@]}"
		clang++ -std=c++17 -Wall -Wextra -Werror "${san[@]}" \
		    $(pkg-config --cflags libpipc) -o "$CXXDEMO" \
		    "$TOP/tests/lib/counter.cpp" "${libs[@]}"
		;;
	*)
		cc -std=c11 -Wall -Wextra -Werror -D_GNU_SOURCE -o "$DEMO" \
		    "$TOP/tests/lib/lockdemo.c" $(pkg-config --cflags --libs \
		    libpipc) -Wl,-rpath,"$ROOT/usr/lib" -lpthread
		g++ -std=c++17 -Wall -Wextra -Werror -o "$CXXDEMO" \
		    "$TOP/tests/lib/counter.cpp" $(pkg-config --cflags --libs \
		    libpipc) -Wl,-rpath,"$ROOT/usr/lib" -lpthread
		;;
	esac
}

setup() {
	ipc_setup
	C="$BATS_TEST_TMPDIR/counter"
	echo 0 > "$C"
}

# The processes started in the background, each one's exit status and
# "recovered N" summed into RECOVERED; fails if any failed.
wait_all() {
	local p out rc=0
	RECOVERED=0
	for p in "$@"; do
		wait "$p" || rc=1
	done
	for out in "$BATS_TEST_TMPDIR"/out.*; do
		[ -f "$out" ] || continue
		RECOVERED=$((RECOVERED + $(sed -n 's/^recovered //p' "$out")))
	done
	return $rc
}

# Every function the public header declares (and its comments name).
api() {
	grep -o 'pipc_[a-z_]*(' "$TOP/lib/libpipc.h" | tr -d '(' | sort -u
}

@test "libpipc: installed with a soname, its header, pkg-config file and pages" {
	lib="$ROOT/usr/lib"
	[ -f "$lib/libpipc.a" ]
	[ "$(readlink "$lib/libpipc.so")" = libpipc.so.1 ]
	[ -f "$lib/$(readlink "$lib/libpipc.so.1")" ]
	run readelf -d "$lib/libpipc.so.1"
	assert_success
	assert_output --partial "Library soname: [libpipc.so.1]"
	[ -f "$ROOT/usr/include/pipc/pipc.h" ]
	run pkg-config --modversion libpipc
	assert_success
	assert_output "$("$PIPC" --version | cut -d' ' -f2)"
	for f in $(api); do
		grep -rqw "$f" "$ROOT/usr/share/man/man3" ||
		    fail "no man page names $f"
	done
	run mandoc -T lint -W warning "$ROOT"/usr/share/man/man3/*.3
	assert_success
	# The C program links the shared library; in the sanitizer pass, the
	# library built with the sanitizers, statically.
	case "${PIPC_BIN-}" in */build/san/*)
		nm "$DEMO" | grep -q ' __asan_init$' || fail "no ASan in $DEMO"
		nm "$DEMO" | grep -q ' pipc_lock_recover$' ||
		    fail "$DEMO lacks build/san/libpipc.a"
		return ;;
	esac
	run readelf -d "$DEMO"
	assert_output --partial "Shared library: [libpipc.so.1]"
}

@test "libpipc: the shared library exports the public API and nothing else" {
	api=$(api)
	[ "$(echo "$api" | wc -l)" -ge 20 ]
	run sh -c 'nm -D --defined-only "$1" | awk "{ print \$3 }" | sort' \
	    sh "$ROOT/usr/lib/libpipc.so.1"
	assert_success
	# Every function versioned LIBPIPC_1, and the version node itself.
	assert_output "$(printf 'LIBPIPC_1\n%s' "$(echo "$api" |
	    sed 's/$/@@LIBPIPC_1/')" | sort)"
}

@test "libpipc: libpipc.a links statically, its only globals the API's" {
	run sh -c 'nm --defined-only -g "$1" | awk "NF == 3 { print \$3 }" |
	    sort' sh "$ROOT/usr/lib/libpipc.a"
	assert_success
	assert_output "$(sed -n 's/^[[:space:]]*\(pipc_[a-z_]*\);$/\1/p' \
	    "$TOP/lib/libpipc.map" | sort)"
	# A program of its own pipc_lock_open and pipc_scan (internal names
	# of lib/) links with it and still gets the library's lock.
	prog="$BATS_TEST_TMPDIR/mine"
	cat > "$prog.c" <<-'EOF'
	#include <errno.h>
	#include <stdio.h>
	#include <pipc/pipc.h>
	int pipc_lock_open(void);
	int pipc_scan(void);
	int pipc_lock_open(void) { return 7; }
	int pipc_scan(void) { return 8; }
	int
	main(void)
	{
		pipc_mutex *m;
		int r = pipc_mutex_open(&m, "/static", PIPC_MUTEX_CREATE, 0600);
		if (r == 0)
			r = pipc_mutex_acquire(m);
		printf("%d %d %d\n", r, pipc_lock_open(), pipc_scan());
		return pipc_mutex_close(m);
	}
	EOF
	run sh -c 'cc -std=c11 -Wall -Werror -o "$1" "$1.c" \
	    $(pkg-config --cflags libpipc) "$2" \
	    $(pkg-config --static --libs libpipc | sed "s/-lpipc//")' \
	    sh "$prog" "$ROOT/usr/lib/libpipc.a"
	assert_success
	run "$prog"
	assert_success
	assert_output "0 7 8"
	run pipc ls -n -o NAME,VALUE sem:static
	assert_output --regexp '^/static +1$'
}

@test "libpipc: the ABI is the one recorded in lib/libpipc.abi" {
	command -v abidiff >/dev/null || skip "no abidiff (abigail-tools)"
	run make -s -C "$TOP" abi-check
	assert_success
}

@test "libpipc: the example program of libpipc(3) builds and runs" {
	prog="$BATS_TEST_TMPDIR/nightly"
	# The page's first code block after EXAMPLES, its \\ as C's \.
	awk '/^# EXAMPLES/ { e = 1 } e && /^```$/ { n++; next } e && n == 1' \
	    "$TOP/man/libpipc.3.scd" | sed 's/\\\\/\\/g' > "$prog.c"
	grep -q '^main(void)$' "$prog.c"
	run cc -std=c11 -Wall -Wextra -Werror -o "$prog" "$prog.c" \
	    $(pkg-config --cflags --libs libpipc) -Wl,-rpath,"$ROOT/usr/lib"
	assert_success
	run "$prog"
	assert_success
	assert_output "$(printf 'working under /nightly\n/nightly orphan')"
	# Its lock left by a holder that died: recovered, then listed.
	start_until locked "$DEMO" hold /nightly
	crash "$BG_PID"
	run "$prog"
	assert_success
	assert_output "$(printf 'recovered from a dead holder\nworking under /nightly\n/nightly orphan')"
}

@test "libpipc: lock counter, C: 4 processes of 2 threads, one handle each" {
	pids=()
	for i in 1 2 3 4; do
		"$DEMO" count /ctr "$C" 250 2 > "$BATS_TEST_TMPDIR/out.$i" &
		pids+=($!)
	done
	wait_all "${pids[@]}"
	[ "$(cat "$C")" = 2000 ]
	[ "$RECOVERED" = 0 ]
	# Released: at 1, no record left, nobody holds it.
	[ "$(value ctr)" = 1 ]
	run record ctr
	assert_failure 1
	run pipc ls -n -o NAME,STATE sem:ctr
	assert_output --regexp '^/ctr +orphan$'
}

@test "libpipc: lock counter, C++: 3 processes of 3 threads, a handle each" {
	pids=()
	for i in 1 2 3; do
		"$CXXDEMO" /ctr "$C" 200 3 &
		pids+=($!)
	done
	wait_all "${pids[@]}"
	[ "$(cat "$C")" = 1800 ]
}

@test "libpipc: a holder SIGKILLed inside; one acquire recovers, never two inside" {
	start_until locked "$DEMO" hold /crash "$C"
	holder=$BG_PID
	# Inside: the marker is there; the CLI sees the library's owner.
	[ -f "$C.inside" ]
	run pipc ls -n -o NAME,STATE,VALUE,LOCKOWNER sem:crash
	assert_output --regexp "^/crash +in-use +0 +$holder\(lockdemo\)\$"
	crash "$holder"
	run pipc ls -n -o NAME,STATE,VALUE sem:crash
	assert_output --regexp '^/crash +stale-lock +0$'
	# Four racing to take it: one takes it over (and removes the dead
	# one's marker), the others wait their turn; none finds another in.
	pids=()
	for i in 1 2 3 4; do
		"$DEMO" count /crash "$C" 100 > "$BATS_TEST_TMPDIR/out.$i" &
		pids+=($!)
	done
	wait_all "${pids[@]}"
	[ "$RECOVERED" = 1 ]
	[ "$(cat "$C")" = 400 ]
	[ "$(value crash)" = 1 ]
}

@test "libpipc: a dead owner not yet reaped (a zombie) is waited for" {
	# Its parent may be about to release the lock for it, as pipc lock
	# -- CMD does for its command: not a crash, so no takeover.
	go="$BATS_TEST_TMPDIR/go"
	mkfifo "$go"
	start_until locked sh -c '"$1" hold /z & read x < "$2"; wait' sh \
	    "$DEMO" "$go"
	parent=$BG_PID
	holder=$(pgrep -P "$parent")
	kill -9 "$holder"
	for i in $(seq 1000); do
		[ "$(sed 's/.*) //' "/proc/$holder/stat" | cut -c1)" != Z ] ||
		    break
		sleep 0.01
	done
	[ "$(sed 's/.*) //' "/proc/$holder/stat" | cut -c1)" = Z ]
	run -3 "$DEMO" try /z
	assert_output busy
	# Reaped, it is dead: the next acquire takes the lock over.
	echo > "$go"
	wait "$parent"
	run "$DEMO" try /z
	assert_success
	assert_output recovered
}

@test "libpipc: try and timed acquire are busy while the owner lives" {
	start_until locked "$DEMO" hold /busy
	run -3 "$DEMO" try /busy
	assert_output busy
	run -3 "$DEMO" timed /busy 50
	assert_output "timed out"
	crash "$BG_PID"
	run "$DEMO" timed /busy 5000
	assert_success
	assert_output recovered
	# Then a plain try: free, nothing to recover.
	run "$DEMO" try /busy
	assert_success
	assert_output acquired
	run "$DEMO" try /nosuch
	assert_failure 1
	assert_output --partial "No such file"
}

@test "libpipc: with pipc lock -- CMD on one name: exact total" {
	bump='for i in $(seq 20); do
	    [ ! -e "$1.inside" ] || { echo two inside; exit 3; }
	    : > "$1.inside"; v=$(cat "$1"); echo $((v + 1)) > "$1"
	    rm "$1.inside"; done'
	pids=()
	for i in 1 2 3; do
		"$DEMO" count /mix "$C" 200 > "$BATS_TEST_TMPDIR/out.$i" &
		pids+=($!)
	done
	for i in $(seq 10); do
		"$PIPC" lock /mix -- sh -c "$bump" sh "$C" &
		pids+=($!)
	done
	wait_all "${pids[@]}"
	[ "$(cat "$C")" = 800 ]
	[ "$RECOVERED" = 0 ]
}

@test "libpipc: pipc lock, unlock and --recover on the library's locks, and back" {
	# The library's live lock: pipc lock -n is busy and names it.
	start_until locked "$DEMO" hold /cli
	holder=$BG_PID
	run -3 pipc lock -n /cli -- true
	assert_output --partial "is held by PID $holder (lockdemo)"
	# Dead: pipc lock --recover takes it over.
	crash "$holder"
	run pipc lock --recover -n /cli -- true
	assert_success
	assert_output --partial "took over the lock of PID $holder"
	[ "$(value cli)" = 1 ]
	# pipc lock's lock whose owner died (the sh): the library recovers it.
	run sh -c '"$0" lock /cli' "$PIPC"
	assert_success
	run "$DEMO" try /cli
	assert_success
	assert_output recovered
	# pipc lock without CMD held by a live owner, then pipc unlock.
	run pipc lock --owner $$ /cli
	assert_success
	run -3 "$DEMO" try /cli
	assert_output busy
	run pipc unlock -f /cli
	assert_success
	run "$DEMO" try /cli
	assert_success
	assert_output acquired
}

@test "libpipc: with a plain sem_open user of the semaphore: exact total" {
	pids=()
	for i in 1 2; do
		"$DEMO" count /plain "$C" 300 > "$BATS_TEST_TMPDIR/out.$i" &
		pids+=($!)
		"$DEMO" semcount /plain "$C" 300 &
		pids+=($!)
	done
	wait_all "${pids[@]}"
	[ "$(cat "$C")" = 1200 ]
	[ "$RECOVERED" = 0 ]
}

@test "libpipc: the listing agrees with pipc ls" {
	printf 'hello' > /dev/shm/seg
	chmod 640 /dev/shm/seg
	start_until ready "$HELP/ls_hold" -c -s 4096 shm held
	holder=$BG_PID
	"$HELP/ls_hold" -c -x -v 1 sem free
	"$HELP/ls_hold" -c -x -M 4 -S 64 mq q
	start_until locked "$DEMO" hold /lk
	locker=$BG_PID
	mkdir /dev/shm/adir
	run "$DEMO" ls
	assert_success
	ls_out=$output
	run pipc ls -rnb -o TYPE,NAME,SIZE,MODE,STATE
	assert_success
	# pipc's modes are octal without a leading 0 where it has none.
	[ "$ls_out" = "$(echo "$output" | awk '{ printf "%s %s %s %04d %s\n",
	    $1, $2, $3, $4, $5 }' | sed 's/ $//')" ] ||
	    fail "$(printf 'lockdemo ls:\n%s\npipc ls:\n%s' "$ls_out" "$output")"
	run "$DEMO" lsx
	assert_line "shm /held 4096 0644 in-use owner=0 holders=1 $holder:ls_hold"
	assert_line "sem /lk 32 0600 in-use owner=$locker holders=1 $locker:lockdemo"
	assert_line "sem /free 32 0644 orphan owner=0 holders=0"
}

@test "libpipc: pipc_held says yes, no, and no such object" {
	start_until ready "$HELP/ls_hold" -c shm held
	"$HELP/ls_hold" -c -x sem free
	for sigio in "" 1; do
		run env LOCKDEMO_SIGIO=$sigio "$DEMO" held shm /held
		assert_success
		assert_output yes
		run env LOCKDEMO_SIGIO=$sigio "$DEMO" held sem free
		assert_success
		assert_output no
	done
	run "$DEMO" held shm /nosuch
	assert_failure 1
	assert_output --partial "No such file"
	# A lock whose owner lives holds it, though nothing else maps it.
	run sh -c '"$0" lock --owner "$1" /lk' "$PIPC" $$
	run "$DEMO" held sem /lk
	assert_output yes
}

@test "libpipc: a child inherits the handle, not the lock; its own lock is its" {
	run "$DEMO" fork /fk
	assert_success
	assert_line --index 0 --regexp '^child [0-9]+$'
	assert_line --index 1 recovered
}

@test "libpipc: the library changes no signal's disposition" {
	run "$DEMO" sigcheck /sig
	assert_failure 1
	run pipc lock /sig -- true
	run "$DEMO" sigcheck /sig
	assert_success
	assert_output unchanged
}
