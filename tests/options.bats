load helpers

# Reads only the binary's text and the man sources: no namespace needed.
setup() { :; }
teardown() { :; }

# Each prints a command's option spellings (-x, --long), one a line, sorted.

# man/pipc-CMD.1.scd, section OPTIONS: the term lines (those not indented),
# e.g. "*-w*, *--wait*, *--timeout* _SECS_".
man_options() {
	awk '/^# / { on = $0 == "# OPTIONS"; next }
	    on && /^\*-/' "$TOP/man/pipc-$1.1.scd" |
	    grep -o -- '\*--*[^*]*\*' | tr -d '*' | LC_ALL=C sort -u
}

# pipc CMD -h: lines "  -t, --type TYPE   help" and "      --long ARG   help";
# the words before the help that begin with a dash.
help_options() {
	pipc "$1" -h | grep -E '^ {2,6}-' | sed 's/^ *//; s/  .*//' |
	    tr ', ' '\n\n' | grep -- '^-' | LC_ALL=C sort -u
}

# pipc __complete options CMD: a spelling per line, maybe a TAB and more.
complete_options() {
	pipc __complete options "$1" | cut -f1 | LC_ALL=C sort -u
}

# diff_sets CMD A B: "CMD: in A, not in B: -x --y" for each side that has more.
diff_sets() {
	local only
	only=$(LC_ALL=C comm -23 "$T/$1.$2" "$T/$1.$3" | tr '\n' ' ')
	[ -z "$only" ] || echo "$1: in $2, not in $3: ${only% }"
	only=$(LC_ALL=C comm -13 "$T/$1.$2" "$T/$1.$3" | tr '\n' ' ')
	[ -z "$only" ] || echo "$1: in $3, not in $2: ${only% }"
}

@test "options: man page OPTIONS, -h and __complete agree for every command" {
	local c cmds diffs=
	T=$BATS_TEST_TMPDIR
	cmds=$(pipc __complete commands)
	[ -n "$cmds" ]
	for c in $cmds; do
		[ -f "$TOP/man/pipc-$c.1.scd" ] || {
			diffs="$diffs$c: no man/pipc-$c.1.scd
"
			continue
		}
		pipc "$c" -h > /dev/null ||
			diffs="$diffs$c: -h exits $?
"
		pipc __complete options "$c" > /dev/null ||
			diffs="$diffs$c: __complete options exits $?
"
		man_options "$c" > "$T/$c.man"
		help_options "$c" > "$T/$c.-h"
		complete_options "$c" > "$T/$c.__complete"
		# Each source must give something: an empty set is a broken parse.
		for s in man -h __complete; do
			[ -s "$T/$c.$s" ] || diffs="$diffs$c: no options read from $s
"
		done
		diffs="$diffs$(diff_sets "$c" man -h)
$(diff_sets "$c" man __complete)
$(diff_sets "$c" -h __complete)
"
	done
	diffs=$(printf '%s' "$diffs" | grep -v '^$' || true)
	if [ -n "$diffs" ]; then
		echo "option spellings that differ:"
		echo "$diffs"
		return 1
	fi
}

@test "options: each reader finds what its source holds" {
	# Three spellings on one term line; an argument in brackets.
	run man_options lock
	assert_success
	assert_line -- "-w"
	assert_line -- "--wait"
	assert_line -- "--timeout"
	refute_line -- "SECS"
	run man_options ls
	assert_line -- "--output"
	assert_line -- "-0"
	# Short and long; long alone; a help text two spaces after its option;
	# an option whose help starts on the next line.
	run help_options ls
	assert_success
	assert_line -- "-0"
	assert_line -- "--null"
	assert_line -- "--mqueue-dir"
	refute_line -- "LIST"
	run help_options lock
	assert_line -- "--stale-after"
	run complete_options ls
	assert_success
	assert_line -- "--json"
	assert_line -- "-J"
}

# "--long ARG" (or "--long" alone) for each long option: from the man page's
# term lines, where an argument follows the last spelling it belongs to...
man_args() {
	awk '/^# / { on = $0 == "# OPTIONS"; next }
	    on && /^\*-/' "$TOP/man/pipc-$1.1.scd" | sed 's/\[+\]//g; s/\\//g' |
	    awk '{ n = 0; arg = ""
		for (i = NF; i >= 1; i--) {
			w = $i; gsub(/,$/, "", w)
			if (w ~ /^_.*_$/) { arg = " " substr(w, 2, length(w) - 2); continue }
			if (w ~ /^\*--/) print substr(w, 2, length(w) - 2) arg
		} }' | LC_ALL=C sort -u
}

# ...and from -h.
help_args() {
	pipc "$1" -h | grep -E '^ {2,6}-' | sed 's/\[+\]//g; s/^ *//; s/  .*//' |
	    grep -oE -- '--[a-z-]+( [A-Z][A-Z_]*)?' | LC_ALL=C sort -u
}

@test "options: each argument is named alike in the man page and -h" {
	local c diffs=
	for c in $(pipc __complete commands); do
		diffs="$diffs$(diff <(man_args "$c") <(help_args "$c") |
		    sed -n "s/^\([<>]\)/$c: \1/p")
"
	done
	diffs=$(printf '%s' "$diffs" | grep -v '^$' || true)
	[ -z "$diffs" ] || { echo "< man, > -h:"; echo "$diffs"; return 1; }
}
