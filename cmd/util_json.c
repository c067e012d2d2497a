/* The JSON writer behind every -J: separators, escapes, layout. */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

/* Nesting is a bit per level in an unsigned; pipc's documents nest 3 deep. */
#define JSON_DEPTH_MAX	31

void
json_begin(struct json *j, int style)
{
	memset(j, 0, sizeof(*j));
	j->spaced = style == JSON_SPACED;
}

static void
flush(struct json *j)
{
	fwrite(j->out, 1, j->len, stdout);
	j->len = 0;
}

/*
 * Into j->out, which goes to stdout whenever an object or array opens or
 * closes: one fwrite per few dozen bytes rather than per key and comma
 * (a listing writes half a million), and each open or closed container
 * reaches stdio at once, as it would by printf.
 */
static void
put(struct json *j, const char *s, size_t n)
{
	if (n > sizeof(j->out) - j->len)
		flush(j);
	if (n > sizeof(j->out)) {
		fwrite(s, 1, n, stdout);
		return;
	}
	memcpy(j->out + j->len, s, n);
	j->len += n;
}

static void
put_str(struct json *j, const char *s)
{
	put(j, s, strlen(s));
}

/* Escaped in place where it fits: names do; messages may not. */
static void
put_escaped(struct json *j, const char *s, size_t n)
{
	size_t need;
	char *p;

	need = pipc_escape_json_mem(j->out + j->len, sizeof(j->out) - j->len,
	    s, n);
	if (need < sizeof(j->out) - j->len) {
		j->len += need;
		return;
	}
	flush(j);
	if (need < sizeof(j->out)) {
		j->len = pipc_escape_json_mem(j->out, sizeof(j->out), s, n);
		return;
	}
	if ((p = malloc(need + 1)) == NULL)
		err(1, NULL);
	pipc_escape_json_mem(p, need + 1, s, n);
	fwrite(p, 1, need, stdout);
	free(p);
}

/*
 * What goes before any value: the comma after the one before, an
 * element's own line in a lines array, and its key inside an object.
 * Documents at the top level follow one another, each on its own line.
 */
static void
next(struct json *j, const char *key)
{
	unsigned bit = 1u << j->depth;

	if (j->depth > 0 && (j->more & bit)) {
		if (j->lines & bit)
			put(j, ",\n", 2);
		else if (j->spaced)
			put(j, ", ", 2);
		else
			put(j, ",", 1);
	}
	if ((j->lines & bit) && j->spaced)
		put(j, "  ", 2);
	j->more |= bit;
	if (key != NULL) {
		put(j, "\"", 1);
		put_str(j, key);
		if (j->spaced)
			put(j, "\": ", 3);
		else
			put(j, "\":", 2);
	}
}

static void
nest(struct json *j, const char *key, int array, int lines)
{
	unsigned bit;

	next(j, key);
	put(j, array ? "[" : "{", 1);
	if (++j->depth > JSON_DEPTH_MAX)
		errx(1, "JSON nested too deep");
	bit = 1u << j->depth;
	j->more &= ~bit;
	j->array = array ? j->array | bit : j->array & ~bit;
	/* The first line break comes at once: a reader sees the document
	 * begin even if the first element is long in coming. */
	if (lines) {
		j->lines |= bit;
		put(j, "\n", 1);
	} else
		j->lines &= ~bit;
	flush(j);
}

void
json_object(struct json *j, const char *key)
{
	nest(j, key, 0, 0);
}

/* An array; with lines, each element on a line of its own. */
void
json_array(struct json *j, const char *key, int lines)
{
	nest(j, key, 1, lines);
}

/* Close the innermost object or array; closing the document ends its line. */
void
json_end(struct json *j)
{
	unsigned bit = 1u << j->depth;

	if ((j->lines & bit) && (j->more & bit))
		put(j, "\n", 1);
	put(j, j->array & bit ? "]" : "}", 1);
	if (--j->depth == 0)
		put(j, "\n", 1);
	flush(j);
}

void
json_null(struct json *j, const char *key)
{
	next(j, key);
	put(j, "null", 4);
}

void
json_bool(struct json *j, const char *key, int b)
{
	next(j, key);
	if (b)
		put(j, "true", 4);
	else
		put(j, "false", 5);
}

void
json_int(struct json *j, const char *key, long long v)
{
	char buf[DECIMAL_MAX];

	next(j, key);
	put_str(j, decimal(buf, v));
}

/* For unsigned 64-bit values (inode numbers, counters) past LLONG_MAX. */
void
json_uint(struct json *j, const char *key, unsigned long long v)
{
	char buf[DECIMAL_MAX], *p = buf + sizeof(buf);

	next(j, key);
	do
		*--p = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	put(j, p, (size_t)(buf + sizeof(buf) - p));
}

/* n bytes that may hold NULs (a message) as one string. */
void
json_mem(struct json *j, const char *key, const char *s, size_t n)
{
	next(j, key);
	put(j, "\"", 1);
	put_escaped(j, s, n);
	put(j, "\"", 1);
}

/*
 * pre then s as one string, each escaped: the same as escaping them joined
 * wherever pre ends in ASCII ("/" of a name, the directory of a path).
 * NULL s is null.
 */
void
json_str_pre(struct json *j, const char *key, const char *pre, const char *s)
{
	if (s == NULL) {
		json_null(j, key);
		return;
	}
	next(j, key);
	put(j, "\"", 1);
	if (pre != NULL)
		put_escaped(j, pre, strlen(pre));
	put_escaped(j, s, strlen(s));
	put(j, "\"", 1);
}

/* A string, or null for NULL. */
void
json_str(struct json *j, const char *key, const char *s)
{
	json_str_pre(j, key, NULL, s);
}
