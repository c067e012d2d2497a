/* Strict reading of the numbers users give: sizes, modes and seconds. */
#include <errno.h>
#include <libutil.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/*
 * A size: decimal digits and at most one K, M, G, T, P or E suffix (powers
 * of 1024), through libbsd's expand_number. That function alone would take
 * "-1" (wrapping to 2^64-1), "0x10", "010" as octal, leading blanks and
 * silently saturate 20 digits, so the syntax is checked first. Returns -1
 * with EINVAL (syntax) or ERANGE (above INT64_MAX).
 */
int
pipc_parse_size(const char *s, uint64_t *out)
{
	size_t digits = strspn(s, "0123456789");
	uint64_t n;

	if (digits == 0 || (s[digits] != '\0' && (s[digits + 1] != '\0' ||
	    strchr("kKmMgGtTpPeE", s[digits]) == NULL))) {
		errno = EINVAL;
		return -1;
	}
	/* 20 digits would saturate in expand_number without an error. */
	errno = 0;
	if (strtoull(s, NULL, 10) == ULLONG_MAX && errno == ERANGE)
		return -1;
	/* Leading zeros would make expand_number read octal. */
	while (s[0] == '0' && s[1] >= '0' && s[1] <= '9')
		s++;
	if (expand_number(s, &n) == -1)
		return -1;
	if (n > INT64_MAX) {
		errno = ERANGE;
		return -1;
	}
	*out = n;
	return 0;
}

/* A mode: octal digits only, no sign, at most 07777. */
int
pipc_parse_mode(const char *s, mode_t *out)
{
	long v;

	if (*s == '\0' || s[strspn(s, "01234567")] != '\0') {
		errno = EINVAL;
		return -1;
	}
	errno = 0;
	v = strtol(s, NULL, 8);
	if (errno == ERANGE || v > 07777) {
		errno = ERANGE;
		return -1;
	}
	*out = (mode_t)v;
	return 0;
}

/*
 * Seconds: "5", "0.25", ".5", "2." and nothing else (no sign, exponent,
 * blanks, inf or nan), at most PIPC_SECONDS_MAX.
 */
int
pipc_parse_seconds(const char *s, struct timespec *out)
{
	size_t whole = strspn(s, "0123456789"), frac = 0;
	double d;

	if (s[whole] == '.')
		frac = strspn(s + whole + 1, "0123456789") + 1;
	if (whole + frac == 0 || (whole == 0 && frac == 1) ||
	    s[whole + frac] != '\0') {
		errno = EINVAL;
		return -1;
	}
	d = strtod(s, NULL);
	if (!(d <= PIPC_SECONDS_MAX)) {
		errno = ERANGE;
		return -1;
	}
	out->tv_sec = (time_t)d;
	out->tv_nsec = (long)((d - (double)out->tv_sec) * 1e9);
	if (out->tv_nsec > 999999999)
		out->tv_nsec = 999999999;
	return 0;
}
