load helpers

# make install/uninstall from the top of the tree into a private root.
inst() {
	make -s -C "$TOP" "$@" DESTDIR="$BATS_TEST_TMPDIR/root" PREFIX=/usr
}

# Render a man page as a reader would; print only what went wrong.
render() {
	if command -v man >/dev/null; then
		MANWIDTH=80 man -l "$1" 2>&1 >/dev/null
	else
		mandoc -T utf8 "$1" 2>&1 >/dev/null
	fi
}

# A man page as plain text, without the overstrike of bold and underline.
text() {
	mandoc -T utf8 "$1" | sed 's/.\x08//g'
}

@test "install: the binary and a pipc-NAME link for every command" {
	run inst install
	assert_success
	bin="$BATS_TEST_TMPDIR/root/usr/bin"
	[ -x "$bin/pipc" ]
	for c in $("$PIPC" __complete commands); do
		[ "$(readlink "$bin/pipc-$c")" = pipc ] || fail "no link pipc-$c"
	done
	# ... and no link for what is not a command.
	run sh -c 'cd "$1" && ls pipc-* | sed s/^pipc-//' sh "$bin"
	assert_output "$("$PIPC" __complete commands | sort)"
	run "$bin/pipc" --version
	assert_success
	assert_output --regexp '^pipc [0-9]+\.[0-9]+\.[0-9]+$'
	printf x > /dev/shm/seg
	run "$bin/pipc-ls" -n -o type,name
	assert_success
	assert_output "shm /seg"
}

@test "install: every man page, rendering and linting clean" {
	run inst install
	assert_success
	man1="$BATS_TEST_TMPDIR/root/usr/share/man/man1"
	n=0
	for src in "$TOP"/man/*.scd; do
		page=$(basename "$src" .scd)
		# Each in its section's directory: man1, man3 (libpipc).
		page="${man1%1}${page##*.}/$page"
		[ -f "$page" ] || fail "$page is not installed"
		run render "$page"
		assert_success
		assert_output ""
		run mandoc -T lint -W warning "$page"
		assert_success
		n=$((n + 1))
	done
	[ "$n" -ge 2 ]
	run text "$man1/pipc.1"
	assert_line --partial "pipc - list, create, use and clean up POSIX IPC"
	# The overview's synopsis names every command of the binary.
	for c in $("$PIPC" __complete commands); do
		assert_line --regexp "^ +pipc $c( |$)"
	done
	run text "$man1/pipc-ls.1"
	assert_line --partial "pipc-ls - list POSIX IPC objects"
}

@test "install: completions for bash, zsh and fish" {
	run inst install
	assert_success
	share="$BATS_TEST_TMPDIR/root/usr/share"
	cmp "$TOP/completions/pipc.bash" "$share/bash-completion/completions/pipc"
	cmp "$TOP/completions/_pipc" "$share/zsh/vendor-completions/_pipc"
	cmp "$TOP/completions/pipc.fish" \
	    "$share/fish/vendor_completions.d/pipc.fish"
	# The installed bash completion works against the installed binary.
	run bash -c 'source "$1"; COMP_WORDS=("$2" ls --js) COMP_CWORD=2
	    _pipc; echo "${COMPREPLY[@]}"' sh \
	    "$share/bash-completion/completions/pipc" \
	    "$BATS_TEST_TMPDIR/root/usr/bin/pipc"
	assert_success
	assert_output "--json"
}

@test "install: uninstall leaves no file or link behind" {
	run inst install
	assert_success
	run inst uninstall
	assert_success
	run find "$BATS_TEST_TMPDIR/root" -type f -o -type l
	assert_success
	assert_output ""
}

@test "install: uninstall keeps a pipc-NAME that is not our link" {
	run inst install
	assert_success
	bin="$BATS_TEST_TMPDIR/root/usr/bin"
	printf '#!/bin/sh\n' > "$bin/pipc-mine"
	ln -s /bin/true "$bin/pipc-other"
	run inst uninstall
	assert_success
	run sh -c 'cd "$1" && ls' sh "$bin"
	assert_output "$(printf 'pipc-mine\npipc-other')"
}

@test "docs: pipc(1) and each command's page say what 'pipc help' says" {
	run "$PIPC" help
	assert_success
	while read -r word cmd rest; do
		[ "$word" = pipc ] && [ "$cmd" != "[--version]" ] || continue
		grep -qxF "*pipc $cmd* $rest" "$TOP/man/pipc.1.scd" ||
		    fail "pipc.1 SYNOPSIS differs from 'pipc help' for $cmd"
		grep -qxF "*pipc $cmd* $rest" "$TOP/man/pipc-$cmd.1.scd" ||
		    fail "pipc-$cmd.1 SYNOPSIS differs from 'pipc help'"
	done <<<"$output"
}
