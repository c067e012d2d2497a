/*
 * Fuzz the escaping of names: text for a terminal must hold no control byte
 * and be valid UTF-8; JSON must be a valid JSON string body that reads back
 * (through lib/json.c) to the very bytes given; a short buffer gets a
 * NUL-terminated prefix and the same returned length.
 */
#include <stdlib.h>
#include <string.h>

#include "pipc.h"

int	LLVMFuzzerTestOneInput(const unsigned char *, size_t);

/* Valid UTF-8 with no C0, DEL or C1 control: safe on any terminal. */
static void
check_text(const char *out, size_t len, int flags)
{
	const unsigned char *s = (const unsigned char *)out;
	size_t i, n;

	if (strlen(out) != len)
		abort();
	for (i = 0; i < len; i += n) {
		if ((n = pipc_utf8_len(s + i)) == 0 || s[i] < 0x20 ||
		    s[i] == 0x7f || (s[i] == 0xc2 && s[i + 1] < 0xa0))
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
		if (s[i] < 0x20 || s[i] == '"' || (n = pipc_utf8_len(s + i)) == 0)
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
