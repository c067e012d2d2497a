#!/usr/bin/env bats
# The systemd units as `make install` puts them: where they go, that
# systemd-analyze verifies them, and that pipc-gc.service's command line,
# run as the unit gives it, does what the unit says.
load helpers

setup() {
	ipc_setup
	ROOT=$BATS_TEST_TMPDIR/root
	UNITS=$ROOT/usr/lib/systemd/system
}

inst() {
	make -s -C "$TOP" "$@" DESTDIR="$ROOT" PREFIX=/usr
}

# The last KEY= of a unit file, as systemd takes it.
unit_key() {
	sed -n "s/^$2=//p" "$1" | tail -n 1
}

# The host's own units (the targets ours name), copied into the staged root
# so that verify --root finds them; a copy, never a bind mount that a
# cleanup of the test's folder could reach through. Ours are left out, in
# case the host has pipc installed.
host_units() {
	local sys
	sys=$(pkg-config --variable=systemdsystemunitdir systemd 2>/dev/null)
	[ -d "$sys" ] || sys=/lib/systemd/system
	[ -d "$sys" ] || sys=/usr/lib/systemd/system
	mkdir -p "$ROOT/lib/systemd"
	cp -a "$sys" "$ROOT/lib/systemd/system"
	rm -f "$ROOT"/lib/systemd/system/pipc-*
}

# libfaketime, which moves the clock of the program it is preloaded into.
faketime_lib() {
	local f
	for f in /usr/lib/*/faketime/libfaketime.so.1 \
	    /usr/lib/faketime/libfaketime.so.1; do
		[ -f "$f" ] && { echo "$f"; return 0; }
	done
	echo "no libfaketime: install faketime (scripts/deps)" >&2
	return 1
}

@test "units: installed beside PREFIX, naming the installed binary" {
	run inst install
	assert_success
	for u in pipc-gc.service pipc-gc.timer pipc-metrics.service \
	    pipc-metrics.timer; do
		[ "$(stat -c %a "$UNITS/$u")" = 644 ] || fail "$u: not 0644"
		run grep -nF @BINDIR@ "$UNITS/$u"
		assert_failure
	done
	run unit_key "$UNITS/pipc-gc.service" ExecStart
	assert_output "/usr/bin/pipc gc --all-users --min-age 1d"
	run unit_key "$UNITS/pipc-metrics.service" ExecStart
	assert_output --regexp '^/usr/bin/pipc metrics --textfile /'
	# Another PREFIX, BINDIR or unit directory: the units follow.
	other=$BATS_TEST_TMPDIR/other
	make -s -C "$TOP" install DESTDIR="$other" PREFIX=/usr/local
	run unit_key "$other/usr/local/lib/systemd/system/pipc-gc.service" \
	    ExecStart
	assert_output "/usr/local/bin/pipc gc --all-users --min-age 1d"
	make -s -C "$TOP" install DESTDIR="$other" PREFIX=/usr/local \
	    BINDIR=/opt/pipc/bin SYSTEMDUNITDIR=/etc/systemd/system
	run unit_key "$other/etc/systemd/system/pipc-metrics.service" ExecStart
	assert_output --regexp '^/opt/pipc/bin/pipc metrics --textfile /'
	make -s -C "$TOP" uninstall DESTDIR="$other" PREFIX=/usr/local \
	    BINDIR=/opt/pipc/bin SYSTEMDUNITDIR=/etc/systemd/system
	run ls "$other/etc/systemd/system"
	assert_output ""
	run inst uninstall
	assert_success
	run ls "$UNITS"
	assert_output ""
}

@test "units: systemd-analyze verify finds nothing to say" {
	command -v systemd-analyze >/dev/null ||
	    skip "no systemd-analyze (the systemd package)"
	inst install
	host_units
	# Documentation= pages are looked up by man, among the installed ones.
	export MANPATH=$ROOT/usr/share/man
	run systemd-analyze verify --root="$ROOT" "$UNITS/pipc-gc.service" \
	    "$UNITS/pipc-gc.timer"
	assert_success
	assert_output ""
	# pipc-metrics(1) comes with the command; until then, not looked up.
	man=no
	if "$PIPC" __complete commands | grep -qx metrics; then man=yes; fi
	run systemd-analyze verify --man="$man" --root="$ROOT" \
	    "$UNITS/pipc-metrics.service" "$UNITS/pipc-metrics.timer"
	assert_success
	assert_output ""
	# verify checks that the binary exists under the root: it does notice.
	rm "$ROOT/usr/bin/pipc"
	run systemd-analyze verify --man=no --root="$ROOT" \
	    "$UNITS/pipc-gc.service"
	assert_output --partial "/usr/bin/pipc is not executable"
}

@test "units: hardened, with an exposure systemd-analyze calls OK" {
	command -v systemd-analyze >/dev/null ||
	    skip "no systemd-analyze (the systemd package)"
	inst install
	host_units
	for u in pipc-gc.service pipc-metrics.service; do
		run systemd-analyze security --offline=yes --threshold=20 \
		    --root="$ROOT" "$UNITS/$u"
		assert_success
		assert_line --regexp "exposure level for $u: 1\.[0-9] OK"
		# Each of these would blind pipc (see the units' comments).
		for k in ProtectProc ProcSubset PrivateIPC PrivateUsers; do
			run unit_key "$UNITS/$u" "$k"
			assert_output ""
		done
		run unit_key "$UNITS/$u" NoNewPrivileges
		assert_output yes
		run unit_key "$UNITS/$u" ProtectSystem
		assert_output strict
	done
	run unit_key "$UNITS/pipc-gc.service" ReadWritePaths
	assert_output "/dev/shm -/dev/mqueue"
	run unit_key "$UNITS/pipc-metrics.service" ReadWritePaths
	assert_output /var/lib/prometheus/node-exporter
	run unit_key "$UNITS/pipc-metrics.service" ExecStart
	assert_output --regexp " metrics --textfile /var/lib/prometheus/node-exporter$"
}

@test "units: pipc-gc.service's command as the unit gives it: old orphans go, held objects stay" {
	ft=$(faketime_lib)
	inst install
	unit=$UNITS/pipc-gc.service
	read -r -a cmd <<<"$(unit_key "$unit" ExecStart)"
	[ "${cmd[0]}" = /usr/bin/pipc ]
	cmd[0]=$ROOT${cmd[0]}
	# Within the unit's bounding set and without new privileges, as root.
	# setpriv refuses a capability name it does not know: a typo fails here.
	bset=-all
	for c in $(unit_key "$unit" CapabilityBoundingSet); do
		c=${c#CAP_}
		bset+=",+${c,,}"
	done
	[ "$bset" != -all ]
	sandbox=(setpriv --no-new-privs --bounding-set "$bset" --inh-caps -all --)
	# libfaketime leaves objects of its own in /dev/shm: the test's objects
	# live in a store of their own, as PIPC_SHM_DIR lets them.
	shm=/mnt/shm
	public_mqueue
	mkdir "$shm"
	mount -t tmpfs -o mode=1777 pipc-units "$shm"
	export PIPC_SHM_DIR=$shm
	# Orphans of root and of another user, of every kind.
	head -c 100 /dev/zero > "$shm/orphan"
	nobody sh -c 'head -c 100 /dev/zero > "$1/theirs"' sh "$shm"
	nobody "$PIPC" create sem /stale -v 0 -m 600 > /dev/null 2>&1
	nobody "$PIPC" create mq /queue -m 600 > /dev/null 2>&1
	# Held ones: a mapping of root's, an open fd of another user's.
	start_until ready "$HELP/ls_hold" -c -m -s 4096 -P "$shm/mapped" \
	    shm mapped
	start_until ready nobody "$HELP/ls_hold" -c -f -s 4096 \
	    -P "$shm/fdonly" shm fdonly
	snap() {
		(cd "$shm" && find . -printf '%p %y %s %m %i\n' | sort
		 cd "$MQ" && find . -printf '%p %y %s %m %i\n' | sort)
	}
	before=$(snap)
	# Now, and 23 hours on, everything is younger than the unit's day.
	for offset in +0 +23h; do
		run env FAKETIME="$offset" NO_FAKE_STAT=1 \
		    FAKETIME_DONT_FAKE_MONOTONIC=1 LD_PRELOAD="$ft" \
		    "${sandbox[@]}" "${cmd[@]}"
		assert_success
		assert_output 'gc: removed 0 objects (0), kept 6 (2 held, 4 young)'
		[ "$(snap)" = "$before" ]
	done
	# Two days on, the orphans go, whoever's they are; held objects stay.
	run env FAKETIME=+2d NO_FAKE_STAT=1 FAKETIME_DONT_FAKE_MONOTONIC=1 \
	    LD_PRELOAD="$ft" "${sandbox[@]}" "${cmd[@]}"
	assert_success
	assert_line --regexp '^shm /orphan +100 orphan +removed$'
	assert_line --regexp '^shm /theirs +100 orphan +removed$'
	assert_line --regexp '^sem /stale +32 stale-lock +removed$'
	assert_line --regexp '^mq +/queue .* orphan +removed$'
	assert_line --regexp '^gc: removed 4 objects .*, kept 2 \(2 held\)$'
	run pipc ls -n -o type,name,holders,state
	assert_success
	assert_line --index 0 --regexp '^shm +/fdonly +1 in-use$'
	assert_line --index 1 --regexp '^shm +/mapped +1 in-use$'
	assert_equal "${#lines[@]}" 2
	umount -l "$shm"
}

@test "docs: README's example alert rules load in promtool" {
	command -v promtool >/dev/null ||
	    skip "no promtool (the prometheus package)"
	rules=$BATS_TEST_TMPDIR/rules.yml
	awk '/^```yaml$/ { f = 1; next } /^```$/ { f = 0 } f' \
	    "$TOP/README.md" > "$rules"
	run promtool check rules "$rules"
	assert_success
	assert_line --partial "SUCCESS: 4 rules found"
	# Every pipc metric they name is one pipc metrics writes.
	pipc metrics > "$BATS_TEST_TMPDIR/m.prom"
	for m in $(grep -o 'pipc_[a-z_]*' "$rules" | sort -u); do
		grep -q "^$m[{ ]" "$BATS_TEST_TMPDIR/m.prom" ||
		    fail "README names $m, which pipc metrics does not write"
	done
}
