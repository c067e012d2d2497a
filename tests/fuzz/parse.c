/*
 * Fuzz the number parsers users reach: sizes, modes, seconds (parse.c) and
 * durations (duration.c). Whatever they accept must be in range and match
 * an independent reading of the same text.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"

int	LLVMFuzzerTestOneInput(const unsigned char *, size_t);

/* Accepted or not, the answer is 0, or -1 with EINVAL or ERANGE. */
static int
verdict(int rv)
{
	if (rv == -1 && errno != EINVAL && errno != ERANGE)
		abort();
	return rv;
}

static void
size(const char *s)
{
	uint64_t n = 0, scale = 1;
	size_t digits = strspn(s, "0123456789");
	const char *units = "kmgtpe", *u;

	errno = 0;
	if (verdict(pipc_parse_size(s, &n)) == -1)
		return;
	if (digits == 0 || n > INT64_MAX)
		abort();
	if (s[digits] != '\0') {
		if ((u = strchr(units, s[digits] | 0x20)) == NULL ||
		    s[digits + 1] != '\0')
			abort();
		scale = 1ULL << (10 * (u - units + 1));
	}
	if (strtoull(s, NULL, 10) > INT64_MAX / scale ||
	    n != strtoull(s, NULL, 10) * scale)
		abort();
}

static void
mode(const char *s)
{
	mode_t m = 0;

	errno = 0;
	if (verdict(pipc_parse_mode(s, &m)) == -1)
		return;
	if (m > 07777 || *s == '\0' || s[strspn(s, "01234567")] != '\0' ||
	    m != (mode_t)strtoul(s, NULL, 8))
		abort();
}

static void
seconds(const char *s)
{
	struct timespec ts;

	errno = 0;
	if (verdict(pipc_parse_seconds(s, &ts)) == -1)
		return;
	if (ts.tv_sec < 0 || ts.tv_sec > (time_t)PIPC_SECONDS_MAX ||
	    ts.tv_nsec < 0 || ts.tv_nsec > 999999999 ||
	    s[strspn(s, "0123456789.")] != '\0')
		abort();
}

static void
duration(const char *s)
{
	time_t t;

	errno = 0;
	if (verdict(pipc_parse_duration(s, &t)) == -1)
		return;
	if (t < 0 || t > 10LL * 366 * 86400 || *s < '0' || *s > '9' ||
	    s[strspn(s, "0123456789smhd")] != '\0')
		abort();
	/* A bare number is seconds. */
	if (s[strspn(s, "0123456789")] == '\0' && t != strtoll(s, NULL, 10))
		abort();
}

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size_)
{
	char *s;

	if ((s = malloc(size_ + 1)) == NULL)
		return 0;
	memcpy(s, data, size_);
	s[size_] = '\0';
	size(s);
	mode(s);
	seconds(s);
	duration(s);
	free(s);
	return 0;
}
