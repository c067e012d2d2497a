load helpers

# Drive the bash completion as bash does: the words of the line, the index
# of the word under the cursor; print what it offers, one a line.
comp() {
	local COMP_WORDS=("$@") COMP_CWORD=$(($# - 1))
	local COMP_LINE="$*" COMP_POINT=${#COMP_LINE}
	COMPREPLY=()
	_pipc
	if [ ${#COMPREPLY[@]} -gt 0 ]; then printf '%s\n' "${COMPREPLY[@]}"; fi
}

# Objects of every kind, made by writing their files (no helper needed).
objects() {
	printf x > /dev/shm/seg
	head -c 32 /dev/zero > /dev/shm/sem.lk
	touch "$MQ/q"
}

# The file asks the pipc on PATH for the link names it registers.
PATH="$(dirname "$PIPC"):$PATH" source "$TOP/completions/pipc.bash"

@test "completion: commands, and help COMMAND" {
	run comp "$PIPC" ""
	assert_success
	assert_output "$(echo help; "$PIPC" __complete commands)"
	run comp "$PIPC" l
	assert_output "$(printf 'lock\nls')"
	run comp "$PIPC" help un
	assert_output "unlock"
	run comp "$PIPC" --v
	assert_output "--version"
}

@test "completion: options of ls come from its getopt table" {
	run comp "$PIPC" ls --js
	assert_success
	assert_output "--json"
	run comp "$PIPC" ls --
	assert_line "--orphans"
	assert_line "--list-columns"
	assert_line "--shm-dir"
	run comp "$PIPC" ls -
	assert_line "-J"
	assert_line "-0"
	refute_line "-:"
	run comp "$PIPC" ls -t sem --no
	assert_output "--noheadings"
}

@test "completion: column names after -o, in comma lists" {
	run comp "$PIPC" ls -o ""
	assert_success
	assert_output "$("$PIPC" __complete columns)"
	run comp "$PIPC" ls -o TYPE,NA
	assert_output "TYPE,NAME"
	run comp "$PIPC" ls --output +msg
	assert_output "$(printf '+msgs\n+msgsize')"
	run comp "$PIPC" ls --output=STA
	assert_output "--output=STATE"
	run comp "$PIPC" ls --output = WAI
	assert_output "WAITERS"
}

@test "completion: types after -t, --type and create" {
	run comp "$PIPC" ls -t ""
	assert_output "$(printf 'shm\nsem\nmq')"
	run comp "$PIPC" rm --type s
	assert_output "$(printf 'shm\nsem')"
	run comp "$PIPC" gc --type=m
	assert_output "--type=mq"
	run comp "$PIPC" create ""
	assert_output "$(printf 'shm\nsem\nmq')"
}

@test "completion: objects of the command's kind" {
	objects
	run comp "$PIPC" map ""
	assert_success
	assert_output "seg"
	run comp "$PIPC" lock ""
	assert_output "lk"
	run comp "$PIPC" unlock /l
	assert_output "/lk"
	run comp "$PIPC" send ""
	assert_output "q"
	run comp "$PIPC" recv -n ""
	assert_output "q"
	# Only the first operand names an object.
	run comp "$PIPC" send q ""
	assert_output ""
	run comp "$PIPC" create sem ""
	assert_output ""
}

@test "completion: objects of every kind for rm, ls and gc, or of -t" {
	objects
	for c in rm ls gc; do
		run comp "$PIPC" "$c" ""
		assert_output "$(printf 'seg\nlk\nq')"
	done
	run comp "$PIPC" rm seg ""
	assert_output "$(printf 'seg\nlk\nq')"
	run comp "$PIPC" rm -t sem ""
	assert_output "lk"
	run comp "$PIPC" ls --type=mq ""
	assert_output "q"
	run comp "$PIPC" rm sem:
	assert_output "sem:lk"
	# Where ':' breaks words, only the part after it is replaced.
	run comp "$PIPC" rm mq : ""
	assert_output "q"
	run comp "$PIPC" ls -o name ""
	assert_output "$(printf 'seg\nlk\nq')"
}

@test "completion: objects from --shm-dir, --mqueue-dir and PIPC_SHM_DIR" {
	mkdir "$BATS_TEST_TMPDIR/alt"
	printf x > "$BATS_TEST_TMPDIR/alt/other"
	run comp "$PIPC" rm --shm-dir "$BATS_TEST_TMPDIR/alt" -t shm ""
	assert_output "other"
	run comp "$PIPC" rm --shm-dir="$BATS_TEST_TMPDIR/alt" o
	assert_output "other"
	PIPC_SHM_DIR="$BATS_TEST_TMPDIR/alt" run comp "$PIPC" map ""
	assert_output "other"
	run comp "$PIPC" rm --mqueue-dir "$BATS_TEST_TMPDIR/alt" -t mq ""
	assert_output ""
}

@test "completion: names are quoted for the shell" {
	printf x > "/dev/shm/it's"
	run comp "$PIPC" map it
	assert_output "it\\'s"
}

@test "completion: pipc-NAME links complete as that command" {
	ln -s "$PIPC" "$BATS_TEST_TMPDIR/pipc"
	ln -s pipc "$BATS_TEST_TMPDIR/pipc-ls"
	ln -s pipc "$BATS_TEST_TMPDIR/pipc-map"
	run comp "$BATS_TEST_TMPDIR/pipc-ls" --js
	assert_output "--json"
	run comp "$BATS_TEST_TMPDIR/pipc-ls" -o MS
	assert_output "$(printf 'MSGS\nMSGSIZE')"
}

@test "completion: pipc-map link completes objects names of its kind" {
	objects
	ln -s "$PIPC" "$BATS_TEST_TMPDIR/pipc"
	ln -s pipc "$BATS_TEST_TMPDIR/pipc-map"
	run comp "$BATS_TEST_TMPDIR/pipc-map" ""
	assert_output "seg"
}

@test "completion: every pipc-NAME link is registered" {
	complete -p pipc | grep -q -- '-F _pipc'
	for c in $("$PIPC" __complete commands); do
		complete -p "pipc-$c" >/dev/null
	done
}

@test "completion: no file lists commands, options or kinds of its own" {
	local f line c o
	for f in pipc.bash _pipc pipc.fish; do
		# Code only: comments may name what they talk about.
		grep -v '^[[:space:]]*#' "$TOP/completions/$f" > "$BATS_TEST_TMPDIR/code"
		for c in $("$PIPC" __complete kinds) \
		    $("$PIPC" __complete commands); do
			! grep -nw -- "$c" "$BATS_TEST_TMPDIR/code" || fail "$f names '$c'"
		done
		for c in "" $("$PIPC" __complete commands); do
			for o in $("$PIPC" __complete options $c | cut -f1 |
			    grep -- '^--'); do
				! grep -nw -- "$o" "$BATS_TEST_TMPDIR/code" || fail "$f names $o"
			done
		done
	done
}

@test "completion: zsh loads _pipc for pipc and pipc-NAME" {
	command -v zsh >/dev/null || skip "zsh is not installed"
	run zsh -n "$TOP/completions/_pipc"
	assert_success
	run zsh -fc 'fpath=("$1" $fpath); autoload -Uz compinit;
	    compinit -u -d "$2/zcomp"; print -r -- $_comps[pipc] $_patcomps[pipc-*]' \
	    zsh "$TOP/completions" "$BATS_TEST_TMPDIR"
	assert_success
	assert_output "_pipc _pipc"
}

# Type a line and TAB into an interactive zsh on a pseudo-terminal and
# print what the line became: the real completion system at work.
ztab() {
	cat > "$BATS_TEST_TMPDIR/ztab.zsh" <<'EOF'
zmodload zsh/zpty
zpty z zsh -f -i
zpty -w z "PS1='%% '; fpath=($1 \$fpath); autoload -Uz compinit;
    compinit -u -d $2/zcomp; PATH=$2:\$PATH"
zpty -w -n z "$3"$'\t'
out=
for i in {1..400}; do
	zpty -r -t z chunk && out+=$chunk
	[[ $out == *"$4"* ]] && break
	sleep 0.05
done
zpty -d z
print -r -- "${${out//$'\r'/}##*$'\n'}"
EOF
	zsh -f "$BATS_TEST_TMPDIR/ztab.zsh" "$TOP/completions" \
	    "$BATS_TEST_TMPDIR" "$1" "$2"
}

@test "completion: zsh completes commands, options, columns and objects" {
	command -v zsh >/dev/null || skip "zsh is not installed"
	objects
	ln -s "$PIPC" "$BATS_TEST_TMPDIR/pipc"
	while IFS='|' read -r line want; do
		run ztab "$line" "$want"
		assert_output --partial "$want"
	done <<'EOF'
pipc unl|pipc unlock
pipc ls --js|pipc ls --json
pipc ls -o TYPE,NA|pipc ls -o TYPE,NAME
pipc create m|pipc create mq
pipc lock |pipc lock lk
pipc map |pipc map seg
pipc recv |pipc recv q
pipc rm sem:|pipc rm sem:lk
pipc ls -t mq |pipc ls -t mq q
EOF
}

@test "completion: fish completes commands, options and columns" {
	command -v fish >/dev/null || skip "fish is not installed"
	run fish -n "$TOP/completions/pipc.fish"
	assert_success
	ln -s "$PIPC" "$BATS_TEST_TMPDIR/pipc"
	f() {
		PATH="$BATS_TEST_TMPDIR:$PATH" HOME="$BATS_TEST_TMPDIR" fish \
		    --no-config -c "source '$TOP/completions/pipc.fish'
		    complete -C '$1'" | cut -f1
	}
	run f "pipc l"
	assert_output "$(printf 'lock\nls')"
	run f "pipc ls --js"
	assert_output "--json"
	run f "pipc ls -o TYPE,NA"
	assert_output "TYPE,NAME"
	run f "pipc create "
	assert_output "$(printf 'mq\nsem\nshm')"
}

@test "completion: fish completes objects of the command's kind" {
	objects
	command -v fish >/dev/null || skip "fish is not installed"
	ln -s "$PIPC" "$BATS_TEST_TMPDIR/pipc"
	f() {
		PATH="$BATS_TEST_TMPDIR:$PATH" HOME="$BATS_TEST_TMPDIR" fish \
		    --no-config -c "source '$TOP/completions/pipc.fish'
		    complete -C '$1'" | cut -f1
	}
	run f "pipc lock "
	assert_output "lk"
	run f "pipc rm "
	assert_output "$(printf 'lk\nq\nseg')"
	run f "pipc ls -t mq "
	assert_output "q"
}
