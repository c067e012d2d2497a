/* Escaping of object names for terminals and for JSON. */
#include <stdio.h>
#include <string.h>

#include "internal.h"

/*
 * Length of the valid UTF-8 sequence at s, or 0 where s holds a byte that
 * does not start one (overlong forms, surrogates, past U+10FFFF).
 */
size_t
pipc_utf8_len(const unsigned char *s)
{
	size_t n, i;
	unsigned lo = 0x80, hi = 0xbf;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		if (s[0] == 0xe0)
			lo = 0xa0;
		else if (s[0] == 0xed)
			hi = 0x9f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		if (s[0] == 0xf0)
			lo = 0x90;
		else if (s[0] == 0xf4)
			hi = 0x8f;
	} else
		return 0;
	for (i = 1; i < n; i++) {
		if (s[i] < lo || s[i] > hi)
			return 0;
		lo = 0x80;
		hi = 0xbf;
	}
	return n;
}

/* The code point of the valid UTF-8 sequence of n bytes at s. */
static unsigned long
code_point(const unsigned char *s, size_t n)
{
	unsigned long c;
	size_t i;

	c = n == 1 ? s[0] : s[0] & (0x7f >> n);
	for (i = 1; i < n; i++)
		c = c << 6 | (s[i] & 0x3f);
	return c;
}

/*
 * Characters a terminal shows as nothing, or that reorder what follows:
 * Unicode's default-ignorable code points (soft hyphen, zero-width and
 * bidirectional controls, fillers, tags) but the variation selectors that
 * emoji need, and the line and paragraph separators. Printed raw, they let
 * one name pass for another ("abc\u202egpj.exe" shows as "abcexe.jpg").
 */
static int
invisible(unsigned long c)
{
	return c == 0xad || c == 0x34f || c == 0x61c ||
	    (c >= 0x115f && c <= 0x1160) || (c >= 0x17b4 && c <= 0x17b5) ||
	    (c >= 0x180b && c <= 0x180f) || (c >= 0x200b && c <= 0x200f) ||
	    (c >= 0x2028 && c <= 0x202e) || (c >= 0x2060 && c <= 0x206f) ||
	    c == 0x3164 || c == 0xfeff || c == 0xffa0 ||
	    (c >= 0xfff0 && c <= 0xfffb) || (c >= 0x1bca0 && c <= 0x1bca3) ||
	    (c >= 0x1d173 && c <= 0x1d17a) || (c >= 0xe0000 && c <= 0xe00ff) ||
	    (c >= 0xe01f0 && c <= 0xe0fff);
}

static size_t
put(char *out, size_t size, size_t len, const char *s, size_t n)
{
	if (len < size)
		memcpy(out + len, s, len + n < size ? n : size - len);
	return len + n;
}

static size_t
terminate(char *out, size_t size, size_t len)
{
	if (size > 0)
		out[len < size ? len : size - 1] = '\0';
	return len;
}

/*
 * For a terminal: control bytes (C0, DEL and the C1 range, which terminals
 * also obey), backslash, invalid UTF-8 and the bytes of an invisible
 * character become \xHH, so no escape sequence ever reaches the screen, no
 * name hides or reorders text, and the text still tells every byte apart.
 */
size_t
pipc_escape_text(char *out, size_t size, const char *in, int flags)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t len = 0, n, i;
	char hex[5];

	while (*s != '\0') {
		/* Most names are plain ASCII: copy such a run in one go. */
		for (n = 0; s[n] > 0x20 && s[n] < 0x7f && s[n] != '\\'; n++)
			continue;
		if (n > 0) {
			len = put(out, size, len, (const char *)s, n);
			s += n;
			continue;
		}
		n = pipc_utf8_len(s);
		if (*s == ' ' && !(flags & PIPC_ESC_SPACE)) {
			len = put(out, size, len, (const char *)s, 1);
		} else if (n > 1 && !(s[0] == 0xc2 && s[1] < 0xa0) &&
		    !invisible(code_point(s, n))) {
			len = put(out, size, len, (const char *)s, n);
		} else {
			if (n == 0)
				n = 1;
			for (i = 0; i < n; i++) {
				snprintf(hex, sizeof(hex), "\\x%02x", s[i]);
				len = put(out, size, len, hex, 4);
			}
		}
		s += n;
	}
	return terminate(out, size, len);
}

/*
 * For JSON: the usual escapes; a byte that is not valid UTF-8 becomes the
 * lone surrogate \udcHH (as Python's surrogateescape does), so the text stays
 * valid JSON and the original bytes can still be recovered. An invisible
 * character is \uXXXX (a surrogate pair past U+FFFF): the same string, but
 * one that shows what it holds to whoever reads the JSON itself.
 */
size_t
pipc_escape_json(char *out, size_t size, const char *in)
{
	return pipc_escape_json_mem(out, size, in, strlen(in));
}

/* The same for inlen bytes that may hold NULs (a message): NUL is \u0000. */
size_t
pipc_escape_json_mem(char *out, size_t size, const char *in, size_t inlen)
{
	const unsigned char *s = (const unsigned char *)in;
	const unsigned char *end = s + inlen;
	unsigned char seq[5] = { 0 };
	unsigned long c;
	size_t len = 0, n;
	char buf[16];

	while (s < end) {
		/* A sequence cut by the end must not be read past it. */
		n = (size_t)(end - s) < 4 ? (size_t)(end - s) : 4;
		memcpy(seq, s, n);
		seq[n] = '\0';
		n = pipc_utf8_len(seq);
		if (n == 0) {
			snprintf(buf, sizeof(buf), "\\udc%02x", *s);
			len = put(out, size, len, buf, 6);
			n = 1;
		} else if (*s == '"' || *s == '\\') {
			buf[0] = '\\';
			buf[1] = (char)*s;
			len = put(out, size, len, buf, 2);
		} else if (*s == '\n') {
			len = put(out, size, len, "\\n", 2);
		} else if (*s == '\t') {
			len = put(out, size, len, "\\t", 2);
		} else if (*s < 0x20 || *s == 0x7f) {
			snprintf(buf, sizeof(buf), "\\u%04x", *s);
			len = put(out, size, len, buf, 6);
		} else if (n > 1 && invisible(c = code_point(s, n))) {
			/* Past U+FFFF, a surrogate pair; each half fits. */
			if (c < 0x10000)
				snprintf(buf, sizeof(buf), "\\u%04x",
				    (unsigned)c);
			else {
				c -= 0x10000;
				snprintf(buf, sizeof(buf), "\\u%04x\\u%04x",
				    0xd800 + (unsigned)(c >> 10 & 0x3ff),
				    0xdc00 + (unsigned)(c & 0x3ff));
			}
			len = put(out, size, len, buf, strlen(buf));
		} else
			len = put(out, size, len, (const char *)s, n);
		s += n;
	}
	return terminate(out, size, len);
}
