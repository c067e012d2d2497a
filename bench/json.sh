#!/bin/sh
# Our JSON reader (lib/json.c, behind lib/snapshot.c) against jansson and
# json-c: reading a `pipc ls -J` snapshot of JSON_N objects (20000) into
# what snapshot.c keeps, time and peak memory; what each accepts and
# rejects; code and package sizes. Run through bench/run (bench/run json),
# which gives it a private /dev/shm and mqueue mount; writes the Markdown
# section named by $1. Needs libjansson-dev and libjson-c-dev: without
# them it says so and leaves the section it wrote before, if any.
set -eu
if [ "${PIPC_BENCH_NS-}" != 1 ] || [ $# -ne 1 ]; then
	echo "bench/json.sh: run it through bench/run json" >&2
	exit 2
fi
out=$1
n=${JSON_N:-20000}
runs=${JSON_RUNS:-30}
if ! pkg-config --exists jansson json-c; then
	echo "bench/json.sh: skipped: needs jansson and json-c" \
	    "(apt-get install libjansson-dev libjson-c-dev)" >&2
	[ -f "$out" ] || printf '%s\n\n%s\n' \
	    "## json: our JSON reader against jansson and json-c" \
	    "Not run: libjansson-dev and libjson-c-dev were not installed." \
	    > "$out"
	exit 0
fi
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. bench/stats.inc
machine=$(bench/machine)	# now, for the load average at the start
pipc=$top/pipc
shm=/dev/shm
mq=$PIPC_MQUEUE_DIR
tmp=$(mktemp -d)
holder=
trap 'kill $holder 2>/dev/null || true; rm -rf "$tmp"' EXIT

# Our reader is built as pipc is (-O2, the library as an archive so that
# only what it needs is linked); each library reader links its .so.
cflags="-O2 -std=c11 -D_GNU_SOURCE"
bsd_c=$(pkg-config --cflags libbsd-overlay)
bsd_l=$(pkg-config --libs libbsd-overlay)
mkdir "$tmp/lib"
for f in lib/*.c; do
	o=${f#lib/}
	cc $cflags -Ilib $bsd_c -c -o "$tmp/lib/${o%.c}.o" "$f"
done
ar rcs "$tmp/libpipc.a" "$tmp"/lib/*.o
cc $cflags -DREADER_PIPC -Ilib $bsd_c -o "$tmp/ours" bench/jsonparse.c \
    "$tmp/libpipc.a" $bsd_l -lrt -lpthread -latomic
cc $cflags -DREADER_JANSSON $(pkg-config --cflags jansson) \
    -o "$tmp/jansson" bench/jsonparse.c $(pkg-config --libs jansson)
cc $cflags -DREADER_JSONC $(pkg-config --cflags json-c) \
    -o "$tmp/json-c" bench/jsonparse.c $(pkg-config --libs json-c)
# The same readers with the library linked in, for what that would weigh.
cc $cflags -DREADER_JANSSON $(pkg-config --cflags jansson) \
    -o "$tmp/jansson.static" bench/jsonparse.c \
    -Wl,-Bstatic $(pkg-config --libs jansson) -Wl,-Bdynamic
cc $cflags -DREADER_JSONC $(pkg-config --cflags json-c) \
    -o "$tmp/json-c.static" bench/jsonparse.c \
    -Wl,-Bstatic $(pkg-config --libs --static json-c) -Wl,-Bdynamic
cc $cflags $bsd_c -o "$tmp/jsonobjs" bench/jsonobjs.c $bsd_l -lrt

# snapshot FILE [utf8]: N fresh objects, 500 of them held, as pipc ls -J.
snapshot() {
	find "$shm" "$mq" -mindepth 1 -delete
	"$tmp/jsonobjs" create "$shm" "$mq" "$n" ${2-}
	holder=$("$tmp/jsonobjs" hold "$shm" 500)
	PIPC_MQUEUE_DIR=$mq "$pipc" ls -J > "$1"
	kill "$holder"
	holder=
}
echo "bench/json.sh: $n objects, with bytes that are not UTF-8" >&2
snapshot "$tmp/mixed.json"
echo "bench/json.sh: $n objects, UTF-8 names only" >&2
snapshot "$tmp/utf8.json" utf8
find "$shm" "$mq" -mindepth 1 -delete

# What each reader kept, and whether it is what ours kept.
# read_as READER FILE: "N objects", "same as ours" or what went wrong.
read_as() {
	if ! "$tmp/$1" -d "$2" > "$tmp/$1.${2##*/}.dump" 2> "$tmp/err"; then
		echo "**refuses the file**: \`$(sed 's/^[^:]*: [^:]*: //' \
		    "$tmp/err")\`"
		return
	fi
	if [ "$1" = ours ]; then
		echo "$(wc -l < "$tmp/ours.${2##*/}.dump") objects"
		return
	fi
	d=$(diff "$tmp/ours.${2##*/}.dump" "$tmp/$1.${2##*/}.dump" |
	    grep -c '^>' || true)
	if [ "$d" -eq 0 ]; then
		echo "the same objects as ours"
	else
		echo "**$d names differ from ours**, e.g. \`$(diff \
		    "$tmp/ours.${2##*/}.dump" "$tmp/$1.${2##*/}.dump" |
		    sed -n 's/^> [0-9]* [0-9]* //p' | head -n 1)\` for" \
		    "\`$(diff "$tmp/ours.${2##*/}.dump" \
		    "$tmp/$1.${2##*/}.dump" | sed -n 's/^< [0-9]* [0-9]* //p' |
		    head -n 1)\`"
	fi
}
for f in mixed utf8; do
	for r in ours jansson json-c; do
		read_as $r "$tmp/$f.json" > "$tmp/verdict.$r.$f"
	done
done

echo "bench/json.sh: timing" >&2
hyperfine -N --style basic --warmup 3 --runs "$runs" \
    --export-json "$tmp/utf8.hf.json" \
    -n "read the file only" "$tmp/ours -r $tmp/utf8.json" \
    -n "ours" "$tmp/ours $tmp/utf8.json" \
    -n "jansson" "$tmp/jansson $tmp/utf8.json" \
    -n "json-c" "$tmp/json-c $tmp/utf8.json" >&2
hyperfine -N --style basic --warmup 3 --runs "$runs" \
    --export-json "$tmp/mixed.hf.json" \
    -n "ours, mixed" "$tmp/ours $tmp/mixed.json" \
    -n "json-c, mixed" "$tmp/json-c $tmp/mixed.json" >&2
for r in ours jansson json-c; do
	"$tmp/$r" -n 20 "$tmp/utf8.json" > "$tmp/cpu.$r"
done
"$tmp/ours" -n 20 "$tmp/mixed.json" > "$tmp/cpu.ours.mixed"
for r in ours jansson json-c; do
	/usr/bin/time -f %M "$tmp/$r" "$tmp/utf8.json" 2> "$tmp/rss.$r" \
	    >/dev/null
done
/usr/bin/time -f %M "$tmp/ours" -r "$tmp/utf8.json" 2> "$tmp/rss.read" \
    >/dev/null

for r in ours jansson json-c; do
	"$tmp/$r" -s > "$tmp/strict.$r"
done
"$tmp/json-c" -c -s > "$tmp/strict.json-c-defaults"

# Sizes. text FILE: the text (code) bytes of an object or program.
text() {
	size "$1" | awk 'NR == 2 { print $1 }'
}
cc $cflags -Ilib $bsd_c -c -o "$tmp/json.o" lib/json.c
solib() {
	ldd "$tmp/$1" | awk -v l="$2" '$1 ~ "^" l { print $3 }'
}
jso=$(readlink -f "$(solib jansson libjansson)")
cso=$(readlink -f "$(solib json-c libjson-c)")
soname() {
	objdump -p "$1" | awk '$1 == "SONAME" { print $2 }'
}
pkg() {
	dpkg -S "$1" 2>/dev/null | cut -d: -f1 | head -n 1
}
jpkg=$(pkg "$jso") cpkg=$(pkg "$cso")
isize() {
	dpkg-query -W -f '${Installed-Size}' "$1" 2>/dev/null || echo "?"
}
# rdeps PKG: reverse dependencies in the archive (apt's lists) and here.
rdeps() {
	all=$(apt-cache rdepends "$1" 2>/dev/null | tail -n +3 | sort -u |
	    wc -l)
	here=$(apt-cache rdepends --installed "$1" 2>/dev/null |
	    tail -n +3 | sort -u | wc -l)
	echo "$all in the archive, $here installed here"
}
ms() {
	awk -v s="$(mean "$1" "$2")" 'BEGIN { printf "%.1f", s * 1000 }'
}
over() {	# time of $1 less the bare read of the file, in ms
	awk -v a="$(mean "$1" "$tmp/utf8.hf.json")" \
	    -v b="$(mean "read the file only" "$tmp/utf8.hf.json")" \
	    'BEGIN { printf "%.1f", (a - b) * 1000 }'
}
gain() {	# text bytes the library adds to a reader linked with it statically
	echo $(($(text "$tmp/$1.static") - $(text "$tmp/$1")))
}
kib() {
	awk -v b="$1" 'BEGIN { printf "%.0f", b / 1024 }'
}

{
	cat <<EOF
## json: our JSON reader against jansson and json-c

\`bench/json.sh\`, run by \`make bench\` or \`bench/run json\`. In a
private namespace, \`bench/jsonobjs.c\` makes $n objects (100 queues, the
rest shared memory and semaphore files by turns) with names of twenty
patterns: plain ones and ones pipc escapes in JSON (space, newline, quote,
backslash, tab, ESC, U+200B and U+E0001 as \`\\uXXXX\`, CJK and an emoji
raw); one process holds 500 of them. \`pipc ls -J\` of them is the
snapshot. In the _mixed_ one, two patterns in twenty hold bytes that are
not UTF-8 (\`bad\\xff\`, Latin-1 \`lat1-\\xe9t\\xe9\`), which pipc writes as
\`\\udcXX\`; the _utf8_ one has UTF-8 characters in their place.
\`bench/jsonparse.c\`, built once per reader, reads the file into what
\`lib/snapshot.c\` keeps (kind, inode, name; sorted for its binary search),
applying its checks, and frees it all:

- _ours_: \`pipc_snapshot_parse\` (lib/json.c and lib/snapshot.c);
- _jansson_ $(pkg-config --modversion jansson): \`json_loadb\` with
  \`JSON_REJECT_DUPLICATES\`, then the tree walked;
- _json-c_ $(pkg-config --modversion json-c): \`json_tokener_parse_ex\`
  with \`JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8\`, depth 64 as
  ours, then the tree walked.

$machine
- snapshots: mixed $(kib "$(wc -c < "$tmp/mixed.json")") KiB, utf8 $(kib "$(wc -c < "$tmp/utf8.json")") KiB
- tools: $(hyperfine --version)

### What each reads from the snapshots

| reader | mixed (\`\\udcXX\` in 10% of names) | utf8 |
|---|---|---|
EOF
	for r in ours jansson json-c; do
		echo "| $r | $(cat "$tmp/verdict.$r.mixed") |" \
		    "$(cat "$tmp/verdict.$r.utf8") |"
	done
	cat <<EOF

jansson refuses every lone surrogate, so it cannot read back a snapshot
that names any object whose name is not UTF-8. json-c reads it but turns
each \`\\udcXX\` into U+FFFD (\`\\xef\\xbf\\xbd\`): the name no longer
matches the object, so \`gc --since\` would take an object that was in the
snapshot for a new one and collect it, and names differing in one such
byte become the same.

### Time and memory

hyperfine -N, $runs runs after 3 warm-ups, output to /dev/null; one
process per read, as \`gc --since\` reads its file once. _read the file
only_ is the same program opening and reading the file without parsing.

$(table "$tmp/utf8.hf.json" "ours")

Parsing alone (mean less _read the file only_): ours $(over ours) ms,
jansson $(over jansson) ms, json-c $(over json-c) ms. The machine is shared,
so the means are noisy; the fastest run and the CPU time say the same.
jansson over ours: $(ratios jansson ours "$tmp/utf8.hf.json");
json-c over ours: $(ratios json-c ours "$tmp/utf8.hf.json").

CPU time of one read inside one process (\`jsonparse -n 20\`: the file
read once, then parsed, kept and freed 20 times; CPU time, so that waiting
for a processor on this shared machine does not count), in ms:

| reader | fastest | median | ratio to ours (fastest) |
|---|---|---|---|
EOF
	for r in ours jansson json-c; do
		set -- $(cat "$tmp/cpu.$r") $(cat "$tmp/cpu.ours")
		echo "| $r | $1 | $2 | $(ratio "$1" "$3") |"
	done
	set -- $(cat "$tmp/cpu.ours.mixed")
	cat <<EOF
| ours, mixed snapshot | $1 | $2 | |

On the mixed snapshot (json-c reading it wrongly, as above):

$(table "$tmp/mixed.hf.json" "ours, mixed")

Peak resident memory (\`/usr/bin/time -f %M\`, utf8 snapshot): ours
$(cat "$tmp/rss.ours") KiB, jansson $(cat "$tmp/rss.jansson") KiB, json-c
$(cat "$tmp/rss.json-c") KiB; reading the file only $(cat "$tmp/rss.read") KiB.
The libraries build the whole document as a tree before the walk keeps
three fields of each object; ours keeps them as it reads.

### Strictness

Each case is a one-object snapshot, read as above (\`bench/jsonparse -s\`);
_accepts as_ means other bytes than pipc wrote, _accepts (...)_ a
document a strict reader should refuse (or that is not what pipc
writes). The last column is json-c as \`json_tokener_parse\` sets it up
(no flags: not strict, no UTF-8 check; depth 32), the same walk and
checks after it (\`json_tokener_parse\` itself would also take text after
the document).

| case | ours | jansson | json-c strict | json-c defaults |
|---|---|---|---|---|
EOF
	paste "$tmp/strict.ours" "$tmp/strict.jansson" "$tmp/strict.json-c" \
	    "$tmp/strict.json-c-defaults" |
	    awk -F '\t' '{ printf "| %s | %s | %s | %s | %s |\n",
	    $2, $3, $6, $9, $12 }'
	cat <<EOF

### Size and packaging

| | ours | jansson | json-c |
|---|---|---|---|
| source | lib/json.c $(wc -l < lib/json.c) lines (lib/snapshot.c $(wc -l < lib/snapshot.c) stays either way) | package $jpkg | package $cpkg |
| code (\`size\`, text bytes) | json.o $(text "$tmp/json.o") | $(basename "$jso") $(text "$jso") | $(basename "$cso") $(text "$cso") |
| shared object file | none | $(stat -c %s "$jso") bytes | $(stat -c %s "$cso") bytes |
| what pipc's text ($(text "$pipc") bytes) holds or would gain | json.o, as above | $(gain jansson) bytes linked statically; dynamically only the calls, and the .so mapped at run time | $(gain json-c) bytes linked statically; dynamically as jansson |
| soname | none | $(soname "$jso") | $(soname "$cso") |
| Debian installed size | none | $(isize "$jpkg") KiB | $(isize "$cpkg") KiB |
| reverse dependencies | none | $(rdeps "$jpkg") | $(rdeps "$cpkg") |
EOF
} > "$out"
