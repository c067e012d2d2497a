/*
 * A small strict JSON reader (RFC 8259): the caller walks the document with
 * callbacks and keeps what it wants; everything else is checked and skipped.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define MAX_DEPTH	64

int
pipc_json_fail(struct pipc_json *r, const char *why)
{
	if (r->why == NULL)
		r->why = why;
	return -1;
}

static void
blank(struct pipc_json *r)
{
	while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' ||
	    *r->p == '\n' || *r->p == '\r'))
		r->p++;
}

static int
expect(struct pipc_json *r, char c)
{
	blank(r);
	if (r->p < r->end && *r->p == (unsigned char)c) {
		r->p++;
		return 0;
	}
	if (r->p >= r->end)
		return pipc_json_fail(r, "unexpected end");
	switch (c) {
	case '{': return pipc_json_fail(r, "an object expected");
	case '[': return pipc_json_fail(r, "an array expected");
	case '"': return pipc_json_fail(r, "a string expected");
	case ':': return pipc_json_fail(r, "':' expected");
	case '}': return pipc_json_fail(r, "',' or '}' expected");
	default: return pipc_json_fail(r, "',' or ']' expected");
	}
}

static int
put(struct pipc_json *r, const void *s, size_t n)
{
	char *b;

	if (r->cap - r->len < n + 1) {
		r->cap = (r->cap + n + 1) * 2;
		if ((b = realloc(r->str, r->cap)) == NULL)
			return pipc_json_fail(r, "out of memory");
		r->str = b;
	}
	memcpy(r->str + r->len, s, n);
	r->len += n;
	r->str[r->len] = '\0';
	return 0;
}

static long
hex4(struct pipc_json *r)
{
	long v = 0;
	int i, c;

	if (r->end - r->p < 4)
		return pipc_json_fail(r, "short \\u escape");
	for (i = 0; i < 4; i++) {
		c = *r->p++;
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			v |= (c | 0x20) - 'a' + 10;
		else
			return pipc_json_fail(r, "bad \\u escape");
	}
	return v;
}

/* \uXXXX, after the 'u': a code point as UTF-8, or a \udcXX raw byte. */
static int
unicode(struct pipc_json *r)
{
	unsigned char b[4];
	long c, lo;

	if ((c = hex4(r)) == -1)
		return -1;
	if (c >= 0xdc80 && c <= 0xdcff) {
		/* What pipc_escape_json writes for a byte of invalid UTF-8. */
		b[0] = (unsigned char)(c & 0xff);
		return put(r, b, 1);
	}
	if (c >= 0xd800 && c <= 0xdbff) {
		if (r->end - r->p < 2 || r->p[0] != '\\' || r->p[1] != 'u')
			return pipc_json_fail(r, "lone surrogate in \\u escape");
		r->p += 2;
		if ((lo = hex4(r)) == -1)
			return -1;
		if (lo < 0xdc00 || lo > 0xdfff)
			return pipc_json_fail(r, "lone surrogate in \\u escape");
		c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
	} else if (c >= 0xdc00 && c <= 0xdfff)
		return pipc_json_fail(r, "lone surrogate in \\u escape");
	if (c == 0)
		return pipc_json_fail(r, "NUL in a string");
	if (c < 0x80)
		b[0] = (unsigned char)c;
	else if (c < 0x800) {
		b[0] = (unsigned char)(0xc0 | c >> 6);
		b[1] = (unsigned char)(0x80 | (c & 0x3f));
		return put(r, b, 2);
	} else if (c < 0x10000) {
		b[0] = (unsigned char)(0xe0 | c >> 12);
		b[1] = (unsigned char)(0x80 | (c >> 6 & 0x3f));
		b[2] = (unsigned char)(0x80 | (c & 0x3f));
		return put(r, b, 3);
	} else {
		b[0] = (unsigned char)(0xf0 | c >> 18);
		b[1] = (unsigned char)(0x80 | (c >> 12 & 0x3f));
		b[2] = (unsigned char)(0x80 | (c >> 6 & 0x3f));
		b[3] = (unsigned char)(0x80 | (c & 0x3f));
		return put(r, b, 4);
	}
	return put(r, b, 1);
}

/* A string into r->str; raw bytes must be valid UTF-8, as JSON says. */
int
pipc_json_string(struct pipc_json *r)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	unsigned char tmp[5] = { 0 };
	const char *e;
	size_t n;

	if (expect(r, '"') == -1)
		return -1;
	r->len = 0;
	if (put(r, "", 0) == -1)
		return -1;
	for (;;) {
		if (r->p >= r->end)
			return pipc_json_fail(r, "unterminated string");
		if (*r->p == '"') {
			r->p++;
			return 0;
		}
		if (*r->p < 0x20)
			return pipc_json_fail(r, "control character in a string");
		if (*r->p == '\\') {
			if (++r->p >= r->end)
				return pipc_json_fail(r, "unterminated string");
			if (*r->p == 'u') {
				r->p++;
				if (unicode(r) == -1)
					return -1;
				continue;
			}
			if ((e = strchr(from, *r->p)) == NULL || *r->p == '\0')
				return pipc_json_fail(r, "bad escape in a string");
			r->p++;
			if (put(r, &to[e - from], 1) == -1)
				return -1;
			continue;
		}
		/* pipc_utf8_len reads up to 4 bytes: never past the end. */
		n = (size_t)(r->end - r->p) < 4 ? (size_t)(r->end - r->p) : 4;
		memcpy(tmp, r->p, n);
		tmp[n] = '\0';
		if ((n = pipc_utf8_len(tmp)) == 0)
			return pipc_json_fail(r, "invalid UTF-8 in a string");
		if (put(r, r->p, n) == -1)
			return -1;
		r->p += n;
	}
}

/* A JSON number; *u gets its value when it is a plain unsigned integer. */
static int
number(struct pipc_json *r, unsigned long long *u, int *integer)
{
	const unsigned char *s = r->p;
	unsigned long long v = 0;
	int digits = 0, over = 0;

	if (r->p < r->end && *r->p == '-')
		r->p++;
	if (r->p < r->end && *r->p == '0')
		r->p++, digits = 1;
	else
		for (; r->p < r->end && *r->p >= '0' && *r->p <= '9'; r->p++) {
			/* Up to 2^64-1 exactly: the digit counts too. */
			if (v > ~0ULL / 10 || (v == ~0ULL / 10 &&
			    (unsigned)(*r->p - '0') > ~0ULL % 10))
				over = 1;
			v = v * 10 + (unsigned)(*r->p - '0');
			digits++;
		}
	if (digits == 0)
		return pipc_json_fail(r, "bad number");
	*integer = *s != '-' && !over;
	if (r->p < r->end && *r->p == '.') {
		*integer = 0;
		for (digits = 0, r->p++; r->p < r->end && *r->p >= '0' &&
		    *r->p <= '9'; r->p++)
			digits++;
		if (digits == 0)
			return pipc_json_fail(r, "bad number");
	}
	if (r->p < r->end && (*r->p == 'e' || *r->p == 'E')) {
		*integer = 0;
		r->p++;
		if (r->p < r->end && (*r->p == '+' || *r->p == '-'))
			r->p++;
		for (digits = 0; r->p < r->end && *r->p >= '0' && *r->p <= '9';
		    r->p++)
			digits++;
		if (digits == 0)
			return pipc_json_fail(r, "bad number");
	}
	*u = v;
	return 0;
}

/* An object: each(r, key, arg) reads or skips every member's value. */
int
pipc_json_object(struct pipc_json *r,
    int (*each)(struct pipc_json *, const char *, void *), void *arg)
{
	char *key;
	int rv;

	if (expect(r, '{') == -1)
		return -1;
	if (++r->depth > MAX_DEPTH)
		return pipc_json_fail(r, "nested too deeply");
	blank(r);
	if (r->p < r->end && *r->p == '}') {
		r->p++;
		r->depth--;
		return 0;
	}
	do {
		if (pipc_json_string(r) == -1 || (key = strdup(r->str)) == NULL)
			return pipc_json_fail(r, "out of memory");
		rv = expect(r, ':') == -1 ? -1 : each(r, key, arg);
		free(key);
		if (rv == -1)
			return -1;
		blank(r);
	} while (r->p < r->end && *r->p == ',' && r->p++);
	r->depth--;
	return expect(r, '}');
}

static int
skip_member(struct pipc_json *r, const char *key, void *arg)
{
	(void)key;
	(void)arg;
	return pipc_json_value(r);
}

static int
skip_element(struct pipc_json *r, void *arg)
{
	(void)arg;
	return pipc_json_value(r);
}

/* An array: each(r, arg) reads or skips every element. */
int
pipc_json_array(struct pipc_json *r, int (*each)(struct pipc_json *, void *),
    void *arg)
{
	if (expect(r, '[') == -1)
		return -1;
	if (++r->depth > MAX_DEPTH)
		return pipc_json_fail(r, "nested too deeply");
	blank(r);
	if (r->p < r->end && *r->p == ']') {
		r->p++;
		r->depth--;
		return 0;
	}
	do {
		if (each(r, arg) == -1)
			return -1;
		blank(r);
	} while (r->p < r->end && *r->p == ',' && r->p++);
	r->depth--;
	return expect(r, ']');
}

/* A number that must be a non-negative integer fitting 64 bits. */
int
pipc_json_uint(struct pipc_json *r, unsigned long long *u)
{
	int integer;

	blank(r);
	if (number(r, u, &integer) == -1)
		return -1;
	return integer ? 0 : pipc_json_fail(r, "not an unsigned integer");
}

/* Any value, checked and skipped. */
int
pipc_json_value(struct pipc_json *r)
{
	static const char *const words[] = { "true", "false", "null" };
	unsigned long long u;
	size_t i, n;
	int integer;

	blank(r);
	if (r->p >= r->end)
		return pipc_json_fail(r, "unexpected end");
	if (*r->p == '{')
		return pipc_json_object(r, skip_member, NULL);
	if (*r->p == '[')
		return pipc_json_array(r, skip_element, NULL);
	if (*r->p == '"')
		return pipc_json_string(r);
	if (*r->p == '-' || (*r->p >= '0' && *r->p <= '9'))
		return number(r, &u, &integer);
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		n = strlen(words[i]);
		if ((size_t)(r->end - r->p) >= n &&
		    memcmp(r->p, words[i], n) == 0) {
			r->p += n;
			return 0;
		}
	}
	return pipc_json_fail(r, "unexpected character");
}

void
pipc_json_init(struct pipc_json *r, const char *buf, size_t len)
{
	memset(r, 0, sizeof(*r));
	r->p = r->start = (const unsigned char *)buf;
	r->end = r->p + len;
}

/* After the document only blanks may follow; frees what the reader kept. */
int
pipc_json_finish(struct pipc_json *r, int rv)
{
	blank(r);
	if (rv == 0 && r->p != r->end)
		rv = pipc_json_fail(r, "text after the document");
	free(r->str);
	r->str = NULL;
	return rv;
}
