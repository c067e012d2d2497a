load helpers

# Beyond install.bats: each installed pipc-NAME link runs its own command,
# and each command has its installed page, rendering under man -l.

@test "install: every pipc-NAME link runs NAME and has its man page" {
	make -s -C "$TOP" install DESTDIR="$BATS_TEST_TMPDIR/root" PREFIX=/usr
	root="$BATS_TEST_TMPDIR/root/usr"
	for c in $("$PIPC" __complete commands); do
		run "$root/bin/pipc-$c" -h
		assert_success
		assert_line --index 0 --regexp "^usage: pipc $c( |$)"
		[ -f "$root/share/man/man1/pipc-$c.1" ] || fail "no pipc-$c.1"
		run sh -c 'MANWIDTH=80 man -l "$1" 2>/dev/null | sed "s/.\x08//g"' \
		    sh "$root/share/man/man1/pipc-$c.1"
		assert_success
		assert_line --regexp "^ +pipc-$c - "
	done
}
