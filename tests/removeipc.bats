#!/usr/bin/env bats
# logind's RemoveIPC=: ls warns, once and on stderr, of objects in use that
# belong to regular users; metrics count them. logind's configuration and
# login.defs are read under PIPC_LOGIND_ROOT, never the host's.
load helpers
bats_require_minimum_version 1.5.0

setup() {
	ipc_setup
	ROOT="$BATS_TEST_TMPDIR/root"
	mkdir -p "$ROOT/run/systemd/seats" "$ROOT/etc/systemd"
	export PIPC_LOGIND_ROOT="$ROOT"
}

logind_conf() {
	printf '[Login]\nRemoveIPC=%s\n' "$2" > "$ROOT/$1"
}

dropin() {
	mkdir -p "$(dirname "$ROOT/$1")"
	logind_conf "$1" "$2"
}

# An object of UID $2 named $1, held by a process (as root: the owner is
# what counts, not the holder).
held_by_uid() {
	start_until ready "$HELP/ls_hold" -c -s 4096 shm "$1"
	chown "$2" "/dev/shm/$1"
}

WARNED="pipc: 1 object in use belongs to regular users (UID 1000)"

@test "removeipc: RemoveIPC=yes warns of an in-use object of UID 1000, stdout as without it" {
	logind_conf etc/systemd/logind.conf yes
	start_until ready setpriv --reuid=1000 --regid=1000 --clear-groups \
	    "$HELP/ls_hold" -c -s 4096 shm app
	run --separate-stderr pipc ls
	assert_success
	assert_equal "$stderr" "$WARNED: logind removes a user's objects when the user's last session ends (RemoveIPC=yes in $ROOT/etc/systemd/logind.conf); run such services as system users, or set RemoveIPC=no"
	local out=$output
	run --separate-stderr pipc ls --ignore-removeipc
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$output" "$out"
	run --separate-stderr pipc ls -J
	assert_success
	assert_equal "$(grep -c RemoveIPC <<<"$stderr")" 1
}

@test "removeipc: no logind.conf: logind's default (yes) applies" {
	held_by_uid app 1000
	run --separate-stderr pipc ls
	assert_success
	assert_equal "$stderr" "$WARNED: logind removes a user's objects when the user's last session ends (RemoveIPC=yes by default: no logind.conf sets it); run such services as system users, or set RemoveIPC=no"
}

@test "removeipc: RemoveIPC=no, or logind not running: no warning" {
	held_by_uid app 1000
	logind_conf etc/systemd/logind.conf no
	run --separate-stderr pipc ls
	assert_success
	assert_equal "$stderr" ""
	logind_conf etc/systemd/logind.conf yes
	rmdir "$ROOT/run/systemd/seats"
	run --separate-stderr pipc ls
	assert_success
	assert_equal "$stderr" ""
}

@test "removeipc: drop-ins override the main file, in lexical order, /etc's hiding /usr/lib's" {
	held_by_uid app 1000
	logind_conf etc/systemd/logind.conf yes
	dropin etc/systemd/logind.conf.d/50-keep.conf no
	run --separate-stderr pipc ls
	assert_success
	assert_equal "$stderr" ""
	# A later name wins, whichever directory it is in ...
	dropin usr/lib/systemd/logind.conf.d/90-vendor.conf yes
	run --separate-stderr pipc ls
	assert_success
	assert_output --partial app
	[[ $stderr == *"RemoveIPC=yes in $ROOT/usr/lib/systemd/logind.conf.d/90-vendor.conf"* ]]
	# ... unless /etc has a file of the same name.
	dropin etc/systemd/logind.conf.d/90-vendor.conf no
	run --separate-stderr pipc ls
	assert_success
	assert_equal "$stderr" ""
	# Other sections, comments and bad values change nothing.
	printf '[Seat]\nRemoveIPC=yes\n[Login]\n#RemoveIPC=yes\nRemoveIPC=maybe\n' \
	    > "$ROOT/etc/systemd/logind.conf.d/99-noise.conf"
	run --separate-stderr pipc ls
	assert_success
	assert_equal "$stderr" ""
}

@test "removeipc: orphans, root's, system users' and nobody's objects: no warning" {
	pipc create shm orphan1000 -s 1 >/dev/null
	chown 1000 /dev/shm/orphan1000
	start_until ready "$HELP/ls_hold" -c -s 4096 shm rootapp
	held_by_uid sysapp 999
	held_by_uid nobodyapp 65534
	run --separate-stderr pipc ls
	assert_success
	assert_equal "$stderr" ""
	assert_output --partial orphan1000
}

@test "removeipc: SYS_UID_MAX of login.defs moves the boundary" {
	held_by_uid app 1000
	held_by_uid other 2000
	printf '# comment\nSYS_UID_MAX\t\t1500\n' > "$ROOT/etc/login.defs"
	run --separate-stderr pipc ls
	assert_success
	[[ $stderr == "pipc: 1 object in use belongs to regular users (UID 2000)"* ]]
	rm "$ROOT/etc/login.defs"
	run --separate-stderr pipc ls
	assert_success
	[[ $stderr == "pipc: 2 objects in use belong to regular users (UID 1000, 2000)"* ]]
}

@test "removeipc: without the holders' scan (-o NAME, -0) ls does not guess" {
	held_by_uid app 1000
	run --separate-stderr pipc ls -o NAME
	assert_success
	assert_equal "$stderr" ""
	run --separate-stderr pipc ls -0
	assert_success
	assert_equal "$stderr" ""
	# Only the objects listed count.
	pipc create shm other -s 1 >/dev/null
	run --separate-stderr pipc ls other
	assert_success
	assert_equal "$stderr" ""
}

@test "removeipc: metrics count exposed objects by kind, and pass promtool" {
	command -v promtool >/dev/null || skip "promtool is not installed"
	held_by_uid app 1000
	held_by_uid sysapp 999
	run --separate-stderr pipc metrics
	assert_success
	assert_line 'pipc_removeipc_enabled 1'
	assert_line 'pipc_removeipc_exposed_objects{kind="shm"} 1'
	assert_line 'pipc_removeipc_exposed_objects{kind="sem"} 0'
	promtool check metrics <<<"$output"
	logind_conf etc/systemd/logind.conf off
	run --separate-stderr pipc metrics
	assert_success
	assert_line 'pipc_removeipc_enabled 0'
	assert_line 'pipc_removeipc_exposed_objects{kind="shm"} 0'
}
