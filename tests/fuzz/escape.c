/*
 * Fuzz the escaping of names: text for a terminal must hold no control byte
 * and no invisible or bidirectional character, be valid UTF-8, and read back
 * (\xHH by \xHH) to the very bytes given; JSON must be a valid JSON string
 * body with no such character raw that reads back (through lib/json.c) to
 * the very bytes given; a short buffer gets a NUL-terminated prefix and the
 * same returned length.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int	LLVMFuzzerTestOneInput(const unsigned char *, size_t);

/*
 * The characters that must never get out raw, written out again here
 * rather than shared with lib/escape.c: bidirectional controls, zero-width
 * and other invisible format characters, fillers and tags.
 */
static const unsigned long hidden[][2] = {
	{ 0xad, 0xad }, { 0x34f, 0x34f }, { 0x61c, 0x61c },
	{ 0x115f, 0x1160 }, { 0x17b4, 0x17b5 }, { 0x180b, 0x180f },
	{ 0x200b, 0x200f }, { 0x2028, 0x2029 }, { 0x202a, 0x202e },
	{ 0x2060, 0x2064 }, { 0x2065, 0x2065 }, { 0x2066, 0x2069 },
	{ 0x206a, 0x206f }, { 0x3164, 0x3164 }, { 0xfeff, 0xfeff },
	{ 0xffa0, 0xffa0 }, { 0xfff0, 0xfffb }, { 0x1bca0, 0x1bca3 },
	{ 0x1d173, 0x1d17a }, { 0xe0000, 0xe00ff }, { 0xe01f0, 0xe0fff },
};

/* Whether the n bytes of valid UTF-8 at s are one of those. */
static int
is_hidden(const unsigned char *s, size_t n)
{
	unsigned long c;
	size_t i;

	if (n < 2)
		return 0;
	c = s[0] & (n == 2 ? 0x1f : n == 3 ? 0x0f : 0x07);
	for (i = 1; i < n; i++)
		c = c << 6 | (s[i] & 0x3f);
	for (i = 0; i < sizeof(hidden) / sizeof(hidden[0]); i++)
		if (c >= hidden[i][0] && c <= hidden[i][1])
			return 1;
	return 0;
}

/* Valid UTF-8 with no C0, DEL or C1 control, nothing hidden: safe to show. */
static void
check_text(const char *out, size_t len, int flags)
{
	const unsigned char *s = (const unsigned char *)out;
	size_t i, n;

	if (strlen(out) != len)
		abort();
	for (i = 0; i < len; i += n) {
		if ((n = pipc_utf8_len(s + i)) == 0 || s[i] < 0x20 ||
		    s[i] == 0x7f || (s[i] == 0xc2 && s[i + 1] < 0xa0) ||
		    is_hidden(s + i, n))
			abort();
		if ((flags & PIPC_ESC_SPACE) && s[i] == ' ')
			abort();
	}
}

/* The grammar of a JSON string body: no raw control, escapes well formed. */
static void
check_json(const char *out, size_t len)
{
	const unsigned char *s = (const unsigned char *)out;
	size_t i, n, k;

	for (i = 0; i < len; i += n) {
		n = 1;
		if (s[i] < 0x20 || s[i] == '"' ||
		    (n = pipc_utf8_len(s + i)) == 0 || is_hidden(s + i, n))
			abort();
		if (s[i] != '\\')
			continue;
		if (s[i + 1] != '\0' && strchr("\"\\/bfnrt", s[i + 1]) != NULL) {
			n = 2;
			continue;
		}
		if (s[i + 1] != 'u')
			abort();
		for (k = 2; k < 6; k++)
			if (s[i + k] == '\0' ||
			    strchr("0123456789abcdefABCDEF", s[i + k]) == NULL)
				abort();
		n = 6;
	}
}

/* Undo the text escapes: every backslash starts \xHH, the input again. */
static void
untext(const char *out, size_t len, const char *in, size_t inlen)
{
	const char *hex = "0123456789abcdef", *h, *l;
	size_t i, k = 0;
	int c;

	for (i = 0; i < len; i++, k++) {
		c = (unsigned char)out[i];
		if (c == '\\') {
			/* check_text saw no NUL before len. */
			if (len - i < 4 || out[i + 1] != 'x' ||
			    (h = strchr(hex, out[i + 2])) == NULL ||
			    (l = strchr(hex, out[i + 3])) == NULL)
				abort();
			c = (int)((h - hex) << 4 | (l - hex));
			i += 3;
		}
		if (k >= inlen || (unsigned char)in[k] != c)
			abort();
	}
	if (k != inlen)
		abort();
}

/* Read "out" back with the project's JSON reader: the input bytes again. */
static void
roundtrip(const char *out, size_t len, const char *in, size_t inlen)
{
	struct pipc_json r;
	char *doc;

	if ((doc = malloc(len + 2)) == NULL)
		return;
	doc[0] = '"';
	memcpy(doc + 1, out, len);
	doc[len + 1] = '"';
	pipc_json_init(&r, doc, len + 2);
	if (pipc_json_string(&r) == -1 || r.len != inlen ||
	    memcmp(r.str, in, inlen) != 0)
		abort();
	if (pipc_json_finish(&r, 0) == -1)
		abort();
	free(doc);
}

/* Escape into a buffer of every size up to the full one: same answers. */
static void
prefixes(size_t (*esc)(char *, size_t, const char *, size_t, int),
    const char *in, size_t inlen, int flags, const char *full, size_t len)
{
	char *buf;
	size_t size;

	if ((buf = malloc(len + 1)) == NULL)
		return;
	for (size = 0; size <= len && size < 64; size++) {
		if (esc(buf, size, in, inlen, flags) != len)
			abort();
		if (size > 0 && (memcmp(buf, full, size - 1) != 0 ||
		    buf[size - 1] != '\0'))
			abort();
	}
	free(buf);
}

static size_t
text(char *out, size_t size, const char *in, size_t inlen, int flags)
{
	(void)inlen;
	return pipc_escape_text(out, size, in, flags);
}

static size_t
json(char *out, size_t size, const char *in, size_t inlen, int flags)
{
	(void)flags;
	return pipc_escape_json_mem(out, size, in, inlen);
}

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char *in, *out;
	size_t len, need, cap;
	int flags;

	if (size < 1)
		return 0;
	flags = data[0] & 1 ? PIPC_ESC_SPACE : 0;
	data++, size--;
	if ((in = malloc(size + 1)) == NULL)
		return 0;
	memcpy(in, data, size);
	in[size] = '\0';
	len = strlen(in);
	/* At most \xHH (4) or \udcHH (6) for every byte. */
	cap = size * 6 + 1;
	if ((out = malloc(cap)) == NULL)
		return 0;

	if ((need = pipc_escape_text(out, cap, in, flags)) >= cap)
		abort();
	check_text(out, need, flags);
	untext(out, need, in, len);
	prefixes(text, in, len, flags, out, need);

	if ((need = pipc_escape_json(out, cap, in)) >= cap)
		abort();
	check_json(out, need);
	roundtrip(out, need, in, len);

	/* The whole input, NULs included, as a message would be. */
	if ((need = pipc_escape_json_mem(out, cap, in, size)) >= cap)
		abort();
	check_json(out, need);
	if (memchr(in, '\0', size) == NULL)
		roundtrip(out, need, in, size);
	prefixes(json, in, size, 0, out, need);
	free(out);
	free(in);
	return 0;
}
