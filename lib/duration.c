/* Durations as people write them: "0", "90", "30s", "10m", "2h", "1d2h". */
#include <errno.h>

#include "internal.h"

/* Ten years: long enough for any age or timeout, far from overflowing. */
#define DURATION_MAX	(10LL * 366 * 86400)

/*
 * One or more NUMBER[UNIT] parts, UNIT one of s, m, h, d (a bare number is
 * seconds), summed: "1h30m" is 5400. No sign, blank or fraction. Returns
 * -1 with EINVAL (syntax) or ERANGE (above ten years).
 */
int
pipc_parse_duration(const char *s, time_t *out)
{
	long long total = 0, n, unit;

	if (*s == '\0') {
		errno = EINVAL;
		return -1;
	}
	while (*s != '\0') {
		if (*s < '0' || *s > '9') {
			errno = EINVAL;
			return -1;
		}
		for (n = 0; *s >= '0' && *s <= '9'; s++) {
			n = n * 10 + (*s - '0');
			if (n > DURATION_MAX) {
				errno = ERANGE;
				return -1;
			}
		}
		switch (*s) {
		case '\0': unit = 1; break;
		case 's': unit = 1; s++; break;
		case 'm': unit = 60; s++; break;
		case 'h': unit = 3600; s++; break;
		case 'd': unit = 86400; s++; break;
		default:
			errno = EINVAL;
			return -1;
		}
		if (n > (DURATION_MAX - total) / unit) {
			errno = ERANGE;
			return -1;
		}
		total += n * unit;
	}
	*out = (time_t)total;
	return 0;
}
