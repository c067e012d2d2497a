/* Which atomic widths are lock-free, asked apart from pipc, for atomics.bats. */
#include <stdalign.h>
#include <stdio.h>

/* pipc asks of an object at a 64-byte boundary; so does this. */
static alignas(64) unsigned char buf[64];

#define TF(b)	((b) ? "true" : "false")
#define SHOW(n)	printf("%d %s %s\n", (n), TF(__atomic_always_lock_free((n), 0)), \
		    TF(__atomic_is_lock_free((n), buf)))

/* One line per width: WIDTH ALWAYS_LOCK_FREE LOCK_FREE. */
int
main(void)
{
	SHOW(1);
	SHOW(2);
	SHOW(4);
	SHOW(8);
	SHOW(16);
	SHOW(32);
	return fflush(stdout) == 0 ? 0 : 1;
}
