/* pipc atomics: which atomics are lock-free, and are they address-free. */
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include <err.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <signal.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#if defined(__x86_64__)
#include <cpuid.h>
#elif defined(__aarch64__)
#include <sys/auxv.h>
#endif

#include "cmd.h"

#ifdef __clang__
/* The wide types are meant to go through libatomic: that is what we measure. */
#pragma clang diagnostic ignored "-Watomic-alignment"
#endif

enum { OPT_VERIFY = 0x100 };
#define DEFAULT_ITERS	1000000
#define MAX_ITERS	1000000000

struct u128 { uint64_t w[2]; };
struct u256 { uint64_t w[4]; };

_Static_assert(sizeof(unsigned short) == 2 && sizeof(unsigned int) == 4 &&
    sizeof(unsigned long long) == 8, "the widths name these types");
_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "the start line must be lock-free");

/* What both processes map; one segment per width, one member of v used. */
struct seg {
	_Atomic unsigned	 ready;		/* start line: both count in */
	uint64_t		 carries[2];	/* wraps of a narrow counter */
	uint64_t		 fails[2];	/* CASes lost to the other */
	uintptr_t		 addr[2];	/* where each side mapped it */
	alignas(64) union {
		_Atomic unsigned char		u8;
		_Atomic unsigned short		u16;
		_Atomic unsigned int		u32;
		_Atomic unsigned long long	u64;
		_Atomic struct u128		s16;
		_Atomic struct u256		s32;
	} v;
};

struct result {
	int		 always, lock_free, has_feature;
	const char	*feature;	/* NULL: no CPU feature decides it */
	uint64_t	 expected, observed, fails;
	uintptr_t	 addr[2];
};

/*
 * What is done to each width, written once for all of them:
 * - the compiler's answer for the type at its usual alignment, and the
 *   run-time one asked of the object in shared memory;
 * - increments by strong CAS, so that a failure means the other process
 *   wrote in between: the proof that the two overlapped;
 * - the total: a narrow counter wraps, so each side counts the carries it
 *   made (from 8 bytes up there are none, and the shift is 0).
 */
#define WIDTH_OPS(m, T, NEXT, WRAPPED, COUNT)				\
static void								\
m##_answers(struct seg *s, struct result *r)				\
{									\
	r->always = __atomic_always_lock_free(sizeof(T), 0);		\
	r->lock_free = atomic_is_lock_free(&s->v.m);			\
}									\
static void								\
m##_increment(struct seg *s, uint64_t n, int side)			\
{									\
	T o, d;								\
	uint64_t i;							\
									\
	for (i = 0; i < n; i++) {					\
		o = atomic_load(&s->v.m);				\
		for (NEXT(d, o); !atomic_compare_exchange_strong(&s->v.m, \
		    &o, d); NEXT(d, o))					\
			s->fails[side]++;				\
		s->carries[side] += WRAPPED(d);				\
	}								\
}									\
static uint64_t								\
m##_total(struct seg *s)						\
{									\
	T v = atomic_load(&s->v.m);					\
									\
	return COUNT(v) +						\
	    ((s->carries[0] + s->carries[1]) << (8 * sizeof(T) % 64));	\
}

#define INT_NEXT(d, o)	((d) = (o) + 1)
#define INT_WRAPPED(d)	((d) == 0)
#define INT_COUNT(v)	((uint64_t)(v))
/* Every word holds the count, so a CAS that is not atomic can tear it. */
#define WIDE_NEXT(d, o)	((d).w[0] = (o).w[0] + 1, fill((d).w, sizeof((d).w)))
#define WIDE_WRAPPED(d)	0
#define WIDE_COUNT(v)	((v).w[0])

static void
fill(uint64_t *w, size_t size)
{
	size_t i;

	for (i = 1; i < size / sizeof(*w); i++)
		w[i] = w[0];
}

WIDTH_OPS(u8, unsigned char, INT_NEXT, INT_WRAPPED, INT_COUNT)
WIDTH_OPS(u16, unsigned short, INT_NEXT, INT_WRAPPED, INT_COUNT)
WIDTH_OPS(u32, unsigned int, INT_NEXT, INT_WRAPPED, INT_COUNT)
WIDTH_OPS(u64, unsigned long long, INT_NEXT, INT_WRAPPED, INT_COUNT)
WIDTH_OPS(s16, struct u128, WIDE_NEXT, WIDE_WRAPPED, WIDE_COUNT)
WIDTH_OPS(s32, struct u256, WIDE_NEXT, WIDE_WRAPPED, WIDE_COUNT)

#define OPS(m)	m##_answers, m##_increment, m##_total
static const struct width {
	size_t		 size;
	const char	*type;
	const char	*macro;		/* NULL: C has no macro for it */
	int		 macro_value;
	void		(*answers)(struct seg *, struct result *);
	void		(*increment)(struct seg *, uint64_t, int);
	uint64_t	(*total)(struct seg *);
} widths[] = {
	{ 1, "unsigned char", "ATOMIC_CHAR_LOCK_FREE", ATOMIC_CHAR_LOCK_FREE,
	  OPS(u8) },
	{ 2, "unsigned short", "ATOMIC_SHORT_LOCK_FREE",
	  ATOMIC_SHORT_LOCK_FREE, OPS(u16) },
	{ 4, "unsigned int", "ATOMIC_INT_LOCK_FREE", ATOMIC_INT_LOCK_FREE,
	  OPS(u32) },
	{ 8, "unsigned long long", "ATOMIC_LLONG_LOCK_FREE",
	  ATOMIC_LLONG_LOCK_FREE, OPS(u64) },
	{ 16, "struct{uint64_t[2]}", NULL, 0, OPS(s16) },
	{ 32, "struct{uint64_t[4]}", NULL, 0, OPS(s32) },
};
#define NWIDTHS	(sizeof(widths) / sizeof(widths[0]))

/* The CPU feature that decides the one width where one does, from the CPU. */
static void
cpu_feature(size_t size, struct result *r)
{
#if defined(__x86_64__)
	unsigned int a, b, c, d;

	r->feature = size == 16 ? "cmpxchg16b" : NULL;
	r->has_feature = __get_cpuid(1, &a, &b, &c, &d) && (c & bit_CMPXCHG16B);
#elif defined(__aarch64__)
	/* LSE2 (which implies LSE) makes 16-byte loads single-copy atomic. */
	r->feature = size == 16 ? "lse2" : NULL;
	r->has_feature = (getauxval(AT_HWCAP) & HWCAP_USCAT) != 0;
#else
	(void)size;
	(void)r;
#endif
}

/* Two CPUs to race on: on one, the sides would take turns, not overlap.
 * The parent stays on its own after a race; the next one wants it there. */
static int cpus[2] = { -1, -1 };

/*
 * Wait at the start line for the other side, then increment. The parent
 * names its child as peer: a child that died before the line (it reaped
 * here) makes this return -1 rather than wait for ever.
 */
static int
race(struct seg *s, const struct width *w, uint64_t iters, int side,
    pid_t peer)
{
	cpu_set_t set;
	int status;

	if (cpus[side] != -1) {
		CPU_ZERO(&set);
		CPU_SET(cpus[side], &set);
		(void)sched_setaffinity(0, sizeof(set), &set);
	}
	s->addr[side] = (uintptr_t)s;
	atomic_fetch_add(&s->ready, 1);
	while (atomic_load(&s->ready) < 2) {
		if (peer > 0 && waitpid(peer, &status, WNOHANG) == peer)
			return -1;
		sched_yield();
	}
	w->increment(s, iters, side);
	return 0;
}

static int
verify(struct seg *s, int fd, const struct width *w, uint64_t iters,
    struct result *r)
{
	struct seg *c;
	pid_t pid, parent = getpid();
	int status;

	if ((pid = fork()) == -1) {
		warn("fork");
		return -1;
	}
	if (pid == 0) {
		/* The inherited mapping still holds the parent's address, so
		 * the kernel must put this one elsewhere; then drop it. */
		c = mmap(NULL, sizeof(*c), PROT_READ | PROT_WRITE, MAP_SHARED,
		    fd, 0);
		if (c == MAP_FAILED || munmap(s, sizeof(*s)) == -1)
			_exit(1);
		/* An orphan would spin at the start line for ever. */
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1 ||
		    getppid() != parent)
			_exit(1);
		race(c, w, iters, 1, 0);
		_exit(0);
	}
	if (race(s, w, iters, 0, pid) == -1 ||
	    waitpid(pid, &status, 0) == -1 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		warnx("%zu bytes: the second process failed", w->size);
		return -1;
	}
	r->expected = 2 * iters;
	r->observed = w->total(s);
	r->fails = s->fails[0] + s->fails[1];
	r->addr[0] = s->addr[0];
	r->addr[1] = s->addr[1];
	return 0;
}

static int
probe(const struct width *w, int check, uint64_t iters, struct result *r)
{
	char name[64];
	struct seg *s;
	int fd, rv = 0;

	snprintf(name, sizeof(name), "/pipc-atomics.%ld.%zu", (long)getpid(),
	    w->size);
	if ((fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600)) == -1) {
		warn("shm_open %s", name);
		return -1;
	}
	/* The fd is all either process needs: unlinked now, a crash or a
	 * kill leaves nothing behind in /dev/shm. */
	if (shm_unlink(name) == -1)
		warn("shm_unlink %s", name);
	if (ftruncate(fd, sizeof(*s)) == -1 || (s = mmap(NULL, sizeof(*s),
	    PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)) == MAP_FAILED) {
		warn("%s", name);
		close(fd);
		return -1;
	}
	w->answers(s, r);
	cpu_feature(w->size, r);
	if (check)
		rv = verify(s, fd, w, iters, r);
	munmap(s, sizeof(*s));
	close(fd);
	return rv;
}

/* Lost updates prove a type is not address-free; none prove little unless
 * the two sides were seen to overlap. */
enum verdict { V_NOT_FREE, V_NO_OVERLAP, V_FREE };
static const char *const verdict_text[] = {
	"no (measured)", "unknown (no overlap)", "yes (measured)"
};

static enum verdict
verdict(const struct result *r)
{
	if (r->observed != r->expected)
		return V_NOT_FREE;
	if (r->fails == 0)
		return V_NO_OVERLAP;
	return V_FREE;
}

#define YN(b)	((b) ? "yes" : "no")

/* Each width on a line, keys and values spaced as a person writes them. */
static void
print_json(struct json *j, const struct width *w, const struct result *r,
    int check)
{
	char addr[32];
	int i;

	json_object(j, NULL);
	json_uint(j, "width", w->size);
	json_str(j, "type", w->type);
	json_str(j, "macro", w->macro);
	if (w->macro != NULL)
		json_int(j, "macro_value", w->macro_value);
	else
		json_null(j, "macro_value");
	json_bool(j, "always_lock_free", r->always);
	json_bool(j, "lock_free", r->lock_free);
	json_str(j, "cpu_feature", r->feature);
	if (r->feature != NULL)
		json_bool(j, "cpu_has_feature", r->has_feature);
	else
		json_null(j, "cpu_has_feature");
	if (check) {
		json_uint(j, "iterations", r->expected / 2);
		json_uint(j, "expected", r->expected);
		json_uint(j, "observed", r->observed);
		json_int(j, "lost", (int64_t)(r->expected - r->observed));
		json_uint(j, "cas_failures", r->fails);
		if (verdict(r) == V_NO_OVERLAP)
			json_null(j, "address_free");
		else
			json_bool(j, "address_free", verdict(r) == V_FREE);
		json_array(j, "addresses", 0);
		for (i = 0; i < 2; i++) {
			snprintf(addr, sizeof(addr), "%#" PRIxPTR, r->addr[i]);
			json_str(j, NULL, addr);
		}
		json_end(j);
	}
	json_end(j);
}

static void
print_row(const struct width *w, const struct result *r, int check)
{
	char feat[32] = "-", macro[8] = "-";

	if (r->feature != NULL)
		snprintf(feat, sizeof(feat), "%s=%s", r->feature,
		    YN(r->has_feature));
	if (w->macro != NULL)
		snprintf(macro, sizeof(macro), "%d", w->macro_value);
	printf("%5zu %-19s %5s %-6s %-7s %-*s", w->size, w->type, macro,
	    YN(r->always), YN(r->lock_free), check ? 14 : 0, feat);
	if (check)
		printf(" %10" PRIu64 " %10" PRIu64 " %10" PRId64
		    " address-free: %s", r->expected, r->observed,
		    (int64_t)(r->expected - r->observed), verdict_text[verdict(r)]);
	printf("\n");
}

static int
atomics_main(int argc, char **argv)
{
	struct result r;
	struct json j;
	cpu_set_t mask;
	const char *errstr;
	uint64_t iters = DEFAULT_ITERS;
	size_t i;
	int ch, cpu, check = 0, json = 0, status = 0, n = 0;

	while ((ch = getopt_cmd(&cmd_atomics, argc, argv)) != -1) {
		switch (ch) {
		case OPT_VERIFY:
			check = 1;
			break;
		case 'J':
			json = 1;
			break;
		case 'n':
			iters = strtonum(optarg, 1, MAX_ITERS, &errstr);
			if (errstr != NULL) {
				warnx("-n %s: ITERS is %s (1 to %d)",
				    shown(optarg), errstr, MAX_ITERS);
				usage(&cmd_atomics);
			}
			break;
		case 'h':
			help(&cmd_atomics);
		default:
			usage(&cmd_atomics);
		}
	}
	if (optind != argc) {
		warnx("unexpected argument '%s'", shown(argv[optind]));
		usage(&cmd_atomics);
	}
	if (check && sched_getaffinity(0, sizeof(mask), &mask) == 0)
		for (cpu = 0; cpu < CPU_SETSIZE && n < 2; cpu++)
			if (CPU_ISSET(cpu, &mask))
				cpus[n++] = cpu;
	if (check && n < 2) {
		cpus[0] = -1;
		warnx("one CPU: the two processes take turns, so a race may "
		    "show nothing");
	}

	if (json) {
		json_begin(&j, JSON_SPACED);
		json_object(&j, NULL);
		json_array(&j, "atomics", 1);
	} else
		printf("WIDTH TYPE                MACRO ALWAYS RUNTIME CPU%s\n",
		    check ? "               EXPECTED   OBSERVED       LOST "
		    "VERDICT" : "");
	for (i = 0; i < NWIDTHS; i++) {
		r = (struct result){ 0 };
		if (probe(&widths[i], check, iters, &r) == -1)
			return 1;
		if (json)
			print_json(&j, &widths[i], &r, check);
		else
			print_row(&widths[i], &r, check);
		/* Expected of a type that takes a lock; a bug in one that
		 * claims to need none. */
		if (check && r.lock_free && r.observed != r.expected) {
			warnx("%zu bytes: lock-free, yet updates were lost "
			    "between processes", widths[i].size);
			status = 1;
		}
	}
	if (json) {
		json_end(&j);
		json_end(&j);
	}
	return status;
}

static const struct opt opts[] = {
	{ OPT_VERIFY, "verify", NULL,
	    "race two processes per width, count lost updates", 0 },
	{ 'J', "json", NULL, "JSON output", 0 },
	{ 'n', "iterations", "ITERS",
	    "CAS increments per process and width (1000000)", 0 },
	HELP_OPT,
	END_OPTS
};

const struct cmd cmd_atomics = {
	"atomics", atomics_main, opts,
	"",
	OPND_NONE, 0
};
