/*
 * A --since snapshot read into what lib/snapshot.c keeps (kind, inode,
 * name; sorted), by one of three readers chosen when this file is built:
 * -DREADER_PIPC (lib/json.c through pipc_snapshot_parse), -DREADER_JANSSON
 * or -DREADER_JSONC. One reader per program: jansson and json-c both
 * export json_object_get(), with different meanings.
 *
 *   jsonparse FILE        read it, print the number of objects kept
 *   jsonparse -r FILE     only read the file (the floor of the above)
 *   jsonparse -d FILE     print what was kept: "kind inode name-in-hex"
 *   jsonparse -n N FILE   read it N times in one process; print the
 *                         fastest and the median CPU time of one read
 *   jsonparse -s          one column of the strictness table: for each
 *                         case below, what this reader makes of it
 *   jsonparse -c ...      (json-c) its defaults, not strict mode
 *
 * The libraries are held to what snapshot.c checks: "objects" is an array
 * of objects whose "type" is shm, sem or mq, "name" a string "/NAME" with
 * no NUL, "inode" an integer from 1 to 2^64 - 1; nothing may follow the
 * document. jansson runs with JSON_REJECT_DUPLICATES; json-c with
 * JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8 and depth 64 (ours).
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct obj {
	int			 type;
	unsigned long long	 ino;
	char			*name;		/* without the '/' */
};

struct snap {
	struct obj	*v;
	size_t		 n;
};

static int	jsonc_defaults;

static void
snap_free(struct snap *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->v[i].name);
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

#if defined(READER_PIPC)
#include "internal.h"

#define READER	"ours"

static int
parse(const char *buf, size_t len, struct snap *out, const char **why)
{
	struct pipc_snapshot s;
	size_t i, off;

	if (pipc_snapshot_parse(&s, buf, len, why, &off) == -1)
		return -1;
	/* Moved, not copied: the names stay where snapshot.c put them. */
	if ((out->v = calloc(s.n ? s.n : 1, sizeof(*out->v))) == NULL)
		err(1, NULL);
	for (i = 0; i < s.n; i++) {
		out->v[i].type = (int)s.v[i].type;
		out->v[i].ino = (unsigned long long)s.v[i].ino;
		out->v[i].name = s.v[i].name;
	}
	out->n = s.n;
	free(s.v);
	return 0;
}

#else
static const char *const kinds[] = { "shm", "sem", "mq" };

static int
cmp_obj(const void *a, const void *b)
{
	const struct obj *x = a, *y = b;

	if (x->type != y->type)
		return x->type - y->type;
	if (x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* One member of an object, as snapshot.c would take it; -1 with *why. */
static int
keep(struct snap *s, size_t cap, const char *type, const char *name,
    size_t namelen, int inode_ok, unsigned long long ino, const char **why)
{
	struct obj *o = &s->v[s->n];
	int k;

	if (s->n >= cap)
		return (*why = "internal: too many objects"), -1;
	for (k = 0; k < 3; k++)
		if (type != NULL && strcmp(type, kinds[k]) == 0)
			break;
	if (k == 3)
		return (*why = "\"type\" missing or not shm, sem or mq"), -1;
	if (name == NULL || name[0] != '/' || namelen < 2 ||
	    strlen(name) != namelen)
		return (*why = "\"name\" missing or not \"/NAME\""), -1;
	if (!inode_ok || ino == 0)
		return (*why = "\"inode\" missing or not an integer > 0"), -1;
	o->type = k;
	o->ino = ino;
	if ((o->name = strdup(name + 1)) == NULL)
		err(1, NULL);
	s->n++;
	return 0;
}

/* Sorted as snapshot.c sorts, for its binary search. */
static int
done(struct snap *s, int rv)
{
	if (rv == -1)
		snap_free(s);
	else if (s->n > 1)
		qsort(s->v, s->n, sizeof(*s->v), cmp_obj);
	return rv;
}

#if defined(READER_JANSSON)
#include <jansson.h>

#define READER	"jansson"

static int
parse(const char *buf, size_t len, struct snap *s, const char **why)
{
	static char msg[200];
	json_error_t e;
	json_t *root, *a, *o, *t, *nm, *in;
	size_t i, n;
	int rv = 0;

	if ((root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &e)) == NULL) {
		snprintf(msg, sizeof(msg), "%s", e.text);
		*why = msg;
		return -1;
	}
	a = json_object_get(root, "objects");
	if (!json_is_array(a)) {
		json_decref(root);
		return (*why = "no \"objects\" array"), -1;
	}
	n = json_array_size(a);
	if ((s->v = calloc(n ? n : 1, sizeof(*s->v))) == NULL)
		err(1, NULL);
	for (i = 0; i < n && rv == 0; i++) {
		o = json_array_get(a, i);
		if (!json_is_object(o)) {
			*why = "an element is not an object";
			rv = -1;
			break;
		}
		t = json_object_get(o, "type");
		nm = json_object_get(o, "name");
		in = json_object_get(o, "inode");
		/* json_int_t is signed 64 bits: 2^63 and over fail to load. */
		rv = keep(s, n, json_string_value(t), json_string_value(nm),
		    json_string_length(nm), json_is_integer(in) &&
		    json_integer_value(in) > 0,
		    (unsigned long long)json_integer_value(in), why);
	}
	json_decref(root);
	return done(s, rv);
}

#elif defined(READER_JSONC)
#include <json-c/json.h>

#define READER	"json-c"

static int
parse(const char *buf, size_t len, struct snap *s, const char **why)
{
	struct json_tokener *tok;
	struct json_object *root, *a, *o, *t, *nm, *in;
	size_t i, n, end;
	int rv = 0, isint;

	tok = json_tokener_new_ex(jsonc_defaults ? JSON_TOKENER_DEFAULT_DEPTH :
	    64);
	if (tok == NULL)
		err(1, NULL);
	if (!jsonc_defaults)
		json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
		    JSON_TOKENER_VALIDATE_UTF8);
	root = json_tokener_parse_ex(tok, buf, (int)len);
	if (root == NULL) {
		*why = json_tokener_error_desc(json_tokener_get_error(tok));
		json_tokener_free(tok);
		return -1;
	}
	/* It stops after the first value: the rest must be blank. */
	for (end = json_tokener_get_parse_end(tok); end < len &&
	    strchr(" \t\r\n", buf[end]) != NULL && buf[end] != '\0'; end++)
		continue;
	json_tokener_free(tok);
	if (end != len) {
		json_object_put(root);
		return (*why = "text after the document"), -1;
	}
	if (!json_object_object_get_ex(root, "objects", &a) ||
	    !json_object_is_type(a, json_type_array)) {
		json_object_put(root);
		return (*why = "no \"objects\" array"), -1;
	}
	n = json_object_array_length(a);
	if ((s->v = calloc(n ? n : 1, sizeof(*s->v))) == NULL)
		err(1, NULL);
	for (i = 0; i < n && rv == 0; i++) {
		o = json_object_array_get_idx(a, i);
		if (!json_object_is_type(o, json_type_object)) {
			*why = "an element is not an object";
			rv = -1;
			break;
		}
		t = nm = in = NULL;
		json_object_object_get_ex(o, "type", &t);
		json_object_object_get_ex(o, "name", &nm);
		json_object_object_get_ex(o, "inode", &in);
		if (!json_object_is_type(t, json_type_string))
			t = NULL;
		if (!json_object_is_type(nm, json_type_string))
			nm = NULL;
		isint = json_object_is_type(in, json_type_int);
		/* get_uint64 gives 0 for a negative integer: kept out below. */
		errno = 0;
		rv = keep(s, n, t ? json_object_get_string(t) : NULL,
		    nm ? json_object_get_string(nm) : NULL,
		    nm ? (size_t)json_object_get_string_len(nm) : 0,
		    isint && errno == 0, isint ? json_object_get_uint64(in) : 0,
		    why);
	}
	json_object_put(root);
	return done(s, rv);
}
#else
#error "build with -DREADER_PIPC, -DREADER_JANSSON or -DREADER_JSONC"
#endif

#endif

static char *
slurp(const char *path, size_t *len)
{
	struct stat st;
	char *buf;
	ssize_t r;
	size_t n = 0;
	int fd;

	if ((fd = open(path, O_RDONLY)) == -1 || fstat(fd, &st) == -1)
		err(1, "%s", path);
	/* Exact size, like gc --since: a reader must not look past len. */
	if ((buf = malloc(st.st_size ? (size_t)st.st_size : 1)) == NULL)
		err(1, NULL);
	while (n < (size_t)st.st_size &&
	    (r = read(fd, buf + n, (size_t)st.st_size - n)) > 0)
		n += (size_t)r;
	close(fd);
	*len = n;
	return buf;
}

static void
shown(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] > 0x20 && s[i] < 0x7f && s[i] != '\\' && s[i] != '`')
			putchar(s[i]);
		else
			printf("\\x%02x", (unsigned char)s[i]);
}

#define DOC(name, inode, extra) "{\"objects\":[{\"type\":\"shm\"," \
	"\"name\":\"/" name "\",\"inode\":" inode extra "}]}"
#define DEEP40	"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
#define END40	"]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"
#define X(s)	s, sizeof(s) - 1

/* Each case: what it is, the document, the name it should give (or NULL). */
static const struct kase {
	const char	*what;
	const char	*doc;
	size_t		 len;
	const char	*want;
} cases[] = {
	{ "plain name", X(DOC("a", "1", "")), "a" },
	{ "raw UTF-8 `é`", X(DOC("caf\xc3\xa9", "1", "")), "caf\xc3\xa9" },
	{ "`\\u00e9`", X(DOC("caf\\u00e9", "1", "")), "caf\xc3\xa9" },
	{ "pair `\\ud83d\\ude00`", X(DOC("\\ud83d\\ude00", "1", "")),
	    "\xf0\x9f\x98\x80" },
	{ "`\\udcff`: pipc's escape of byte 0xff", X(DOC("a\\udcff", "1", "")),
	    "a\xff" },
	{ "`\\udce9`: byte 0xe9 (Latin-1 `é`)", X(DOC("caf\\udce9", "1", "")),
	    "caf\xe9" },
	{ "lone high surrogate `\\ud800`", X(DOC("a\\ud800b", "1", "")), NULL },
	{ "lone low surrogate `\\udc00`", X(DOC("a\\udc00", "1", "")), NULL },
	{ "raw byte 0xff", X(DOC("a\xff", "1", "")), NULL },
	{ "raw overlong `c0 af`", X(DOC("a\xc0\xaf", "1", "")), NULL },
	{ "raw surrogate `ed a0 80`", X(DOC("a\xed\xa0\x80", "1", "")), NULL },
	{ "`\\u0000` in a name", X(DOC("a\\u0000b", "1", "")), NULL },
	{ "raw control byte 0x01", X(DOC("a\x01", "1", "")), NULL },
	{ "duplicate `name` key", X(DOC("a\",\"name\":\"/b", "1", "")), NULL },
	{ "duplicate `objects` key", X("{\"objects\":[],\"objects\":"
	    "[{\"type\":\"shm\",\"name\":\"/a\",\"inode\":1}]}"), NULL },
	{ "40 levels of `[` in an ignored member",
	    X(DOC("a", "1", ",\"x\":" DEEP40 END40)), "a" },
	{ "80 levels", X(DOC("a", "1", ",\"x\":" DEEP40 DEEP40 END40 END40)),
	    "a" },
	{ "inode 2^63", X(DOC("a", "9223372036854775808", "")), "a" },
	{ "inode 2^64 - 1", X(DOC("a", "18446744073709551615", "")), "a" },
	{ "inode 2^64", X(DOC("a", "18446744073709551616", "")), NULL },
	{ "inode `-1`", X(DOC("a", "-1", "")), NULL },
	{ "inode `1.0`", X(DOC("a", "1.0", "")), NULL },
	{ "inode `01`", X(DOC("a", "01", "")), NULL },
	{ "`NaN` in an ignored member", X(DOC("a", "1", ",\"x\":NaN")), NULL },
	{ "trailing comma", X("{\"objects\":[{\"type\":\"shm\",\"name\":\"/a\","
	    "\"inode\":1},]}"), NULL },
	{ "a `/* comment */`", X(DOC("a", "1", "/* c */")), NULL },
	{ "single quotes", X(DOC("a", "1", ",'x':1")), NULL },
	{ "text after the document", X(DOC("a", "1", "") " x"), NULL },
	{ "UTF-8 BOM first", X("\xef\xbb\xbf" DOC("a", "1", "")), NULL },
};

/*
 * One line per case: "rejects", "accepts" (the name wanted), "accepts as
 * NAME" (other bytes than written), or "accepts (NAME)" (where a strict
 * reader of a snapshot should refuse).
 */
static void
strictness(void)
{
	struct snap s = { NULL, 0 };
	const char *why;
	size_t i, n;
	char *buf;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		printf("%zu\t%s\t", i, cases[i].what);
		if ((buf = malloc(cases[i].len)) == NULL)
			err(1, NULL);
		memcpy(buf, cases[i].doc, cases[i].len);
		why = NULL;
		if (parse(buf, cases[i].len, &s, &why) == -1)
			printf("rejects\n");
		else {
			n = strlen(s.v[0].name);
			if (cases[i].want == NULL) {
				printf("accepts (`/");
				shown(s.v[0].name, n);
				printf("`)\n");
			} else if (strcmp(s.v[0].name, cases[i].want) == 0)
				printf("accepts\n");
			else {
				printf("accepts as `/");
				shown(s.v[0].name, n);
				printf("`\n");
			}
			snap_free(&s);
		}
		free(buf);
	}
}

static double
cpu_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int
cmp_double(const void *a, const void *b)
{
	const double *x = a, *y = b;

	return *x < *y ? -1 : *x > *y;
}

/*
 * CPU time, not wall time: on a shared machine a read that waits for the
 * processor is not slower. The file is read once, outside the timing.
 */
static void
repeat(const char *buf, size_t len, long n)
{
	struct snap s = { NULL, 0 };
	const char *why = NULL;
	double *t, t0;
	long i;

	if ((t = calloc((size_t)n, sizeof(*t))) == NULL)
		err(1, NULL);
	for (i = 0; i < n; i++) {
		t0 = cpu_ms();
		if (parse(buf, len, &s, &why) == -1)
			errx(1, "%s", why);
		snap_free(&s);
		t[i] = cpu_ms() - t0;
	}
	qsort(t, (size_t)n, sizeof(*t), cmp_double);
	printf("%.1f %.1f\n", t[0], t[n / 2]);
	free(t);
}

int
main(int argc, char **argv)
{
	struct snap s = { NULL, 0 };
	const char *why = NULL;
	size_t len, i;
	char *buf;
	long times = 0;
	int ch, dump = 0, readonly = 0;

	while ((ch = getopt(argc, argv, "cdn:rs")) != -1)
		switch (ch) {
		case 'c':
			jsonc_defaults = 1;
			break;
		case 'd':
			dump = 1;
			break;
		case 'n':
			if ((times = atol(optarg)) < 1)
				goto usage;
			break;
		case 'r':
			readonly = 1;
			break;
		case 's':
			strictness();
			return 0;
		default:
			goto usage;
		}
	if (argc - optind != 1)
		goto usage;
	buf = slurp(argv[optind], &len);
	if (times > 0) {
		repeat(buf, len, times);
		free(buf);
		return 0;
	}
	if (readonly) {
		printf("%zu bytes\n", len);
		free(buf);
		return 0;
	}
	if (parse(buf, len, &s, &why) == -1)
		errx(1, "%s: %s", argv[optind], why);
	free(buf);
	if (dump)
		for (i = 0; i < s.n; i++) {
			printf("%d %llu ", s.v[i].type, s.v[i].ino);
			shown(s.v[i].name, strlen(s.v[i].name));
			printf("\n");
		}
	else
		printf("%s: %zu objects\n", READER, s.n);
	snap_free(&s);
	return 0;
usage:
	fprintf(stderr, "usage: jsonparse [-c] [-d | -r | -n N] FILE\n"
	    "       jsonparse [-c] -s\n");
	return 2;
}
