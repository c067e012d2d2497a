/*
 * boost::interprocess objects in shared memory, as boost 1.74 lays them out
 * on x86-64 Linux (Debian 12's libboost-dev), recognised from their first
 * bytes. Each offset here was read from objects that real boost programs
 * made (tests/helpers/boost_ipc.cpp, which also prints boost's own offsetof
 * of the queue's header) and is checked by tests/inspect.bats. boost 1.78
 * changed the alignment of these headers; a layout is recognised only when
 * every check of its fingerprint holds, so another version's is not taken
 * for this one unless it is the same byte for byte.
 *
 * Every such object is a managed_open_or_create_impl segment: a 32-bit
 * state (0 uninitialised, 1 initialising, 2 initialised, 3 corrupted), and
 * the object from byte 16, the alignment of max_align_t. Only an
 * initialised one is read further: the others' bytes mean nothing yet.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

#define BOOST_LAYOUT	"boost 1.74, x86-64"
#define STATE_INITIALISED 2
#define USER		16	/* where the object begins */

/* message_queue: its header (mq_hdr_t), then the index, then the slots. */
#define MQ_INDEX	16	/* offset_ptr to the index: 192, past it */
#define MQ_MAX		24
#define MQ_MSGSIZE	32
#define MQ_MSGS		40
#define MQ_MUTEX	48
#define MQ_COND_RECV	88
#define MQ_COND_SEND	136
#define MQ_FIRST	184	/* the circular index's first slot */
#define MQ_SENDERS	192	/* blocked in send, in receive */
#define MQ_RECEIVERS	200
#define MQ_HEADER	192	/* sizeof(mq_hdr_t) */
#define MQ_SLOT		24	/* index pointer 8, message header 16 */

/* managed_shared_memory: rbtree_best_fit's header, then the segment
 * manager's: its recursive mutex and the named and unique indices. */
#define MSM_ALLOC_MUTEX	16
#define MSM_EXTRA	88	/* segment manager bytes past the allocator's */
#define MSM_ALLOCATED	96
#define MSM_SIZE	104	/* the segment's: the file's less 16 */
#define MSM_NAMED_MUTEX	112
#define MSM_NAMED	152	/* objects in the named index */
#define MSM_UNIQUE	184	/* and in the unique one */
#define MSM_EXTRA_BYTES	104
#define MSM_MIN		216

/* named_condition: a mutex and a condition, 104 bytes in all. */
#define NC_MUTEX	16
#define NC_COND		56
#define NC_SIZE		104

/* glibc's pthread_cond_t (2.25 and later): __wrefs, its bit 0 pshared. */
#define COND_WREFS	36

static uint64_t
u64(const unsigned char *b)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = v << 8 | b[i];
	return v;
}

static uint32_t
u32(const unsigned char *b)
{
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
	    (uint32_t)b[3] << 24;
}

static void
evidence(struct pipc_contents *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
evidence(struct pipc_contents *c, const char *fmt, ...)
{
	va_list ap;

	if (c->nevidence == PIPC_CONTENTS_EVIDENCE)
		return;
	va_start(ap, fmt);
	vsnprintf(c->evidence[c->nevidence++], sizeof(c->evidence[0]), fmt,
	    ap);
	va_end(ap);
}

static void
fact(struct pipc_contents *c, const char *key, unsigned long long v)
{
	if (c->nfacts < PIPC_CONTENTS_FACTS) {
		c->facts[c->nfacts].key = key;
		c->facts[c->nfacts++].value = v;
	}
}

/*
 * A process-shared mutex of the type wanted (PIPC_PMUTEX_RECURSIVE or 0)
 * at off, as boost makes them: never robust, never PI or PP.
 */
static int
boost_mutex(const unsigned char *b, uint64_t off, int type, const char *role,
    struct pipc_contents *c)
{
	struct pipc_pmutex *m = &c->mutex[c->nmutex];

	if (c->nmutex == PIPC_CONTENTS_LOCKS ||
	    pipc_pmutex_decode(b + off, off, m) == -1 ||
	    (m->kind & (PIPC_PMUTEX_ROBUST | PIPC_PMUTEX_PI | PIPC_PMUTEX_PP)) ||
	    (m->kind & 3) != type)
		return -1;
	m->role = role;
	c->nmutex++;
	return 0;
}

static int
boost_cond(const unsigned char *b, uint64_t off, const char *role,
    struct pipc_contents *c)
{
	uint32_t wrefs = u32(b + off + COND_WREFS);

	if (c->ncond == PIPC_CONTENTS_LOCKS || !(wrefs & 1))
		return -1;
	c->cond[c->ncond].role = role;
	c->cond[c->ncond].off = off;
	c->cond[c->ncond++].waiters = wrefs >> 3;
	return 0;
}

static int
initialised(const unsigned char *b, struct pipc_contents *c)
{
	if (u32(b) != STATE_INITIALISED)
		return 0;
	evidence(c, "state word 2 (initialised) at 0");
	return 1;
}

static int
message_queue(const unsigned char *b, size_t len, uint64_t size,
    struct pipc_contents *c)
{
	uint64_t max, msgsize, msgs, first, slot, want;

	if (len < MQ_RECEIVERS + 8 || !initialised(b, c) ||
	    u64(b + MQ_INDEX) != MQ_HEADER)
		return 0;
	evidence(c, "index pointer 192 at 16: the index follows the "
	    "192-byte queue header");
	max = u64(b + MQ_MAX);
	msgsize = u64(b + MQ_MSGSIZE);
	msgs = u64(b + MQ_MSGS);
	first = u64(b + MQ_FIRST);
	/* The size boost gives the file: header, then per message an index
	 * pointer, a 16-byte header and the text rounded up to 8. */
	if (msgsize > UINT64_MAX - 7 - MQ_SLOT || max == 0)
		return 0;
	slot = MQ_SLOT + ((msgsize + 7) & ~(uint64_t)7);
	if (max > (UINT64_MAX - USER - MQ_HEADER) / slot ||
	    (want = USER + MQ_HEADER + max * slot) != size)
		return 0;
	evidence(c, "file size %llu = 208 + %llu x %llu: %llu messages of up "
	    "to %llu bytes", (unsigned long long)size,
	    (unsigned long long)max, (unsigned long long)slot,
	    (unsigned long long)max, (unsigned long long)msgsize);
	if (msgs > max || first >= max)
		return 0;
	evidence(c, "%llu messages <= %llu, first slot %llu < %llu",
	    (unsigned long long)msgs, (unsigned long long)max,
	    (unsigned long long)first, (unsigned long long)max);
	if (boost_mutex(b, MQ_MUTEX, 0, "queue", c) == -1 ||
	    boost_cond(b, MQ_COND_RECV, "receive", c) == -1 ||
	    boost_cond(b, MQ_COND_SEND, "send", c) == -1)
		return 0;
	evidence(c, "process-shared mutex at 48, conditions at 88 and 136");
	fact(c, "max_msgs", max);
	fact(c, "max_msg_size", msgsize);
	fact(c, "msgs", msgs);
	fact(c, "blocked_senders", u64(b + MQ_SENDERS));
	fact(c, "blocked_receivers", u64(b + MQ_RECEIVERS));
	c->what = "boost::interprocess::message_queue";
	return 1;
}

static int
managed_segment(const unsigned char *b, size_t len, uint64_t size,
    struct pipc_contents *c)
{
	uint64_t allocated, named, unique;

	if (len < MSM_UNIQUE + 8 || size < MSM_MIN || !initialised(b, c) ||
	    u64(b + MSM_SIZE) != size - USER)
		return 0;
	evidence(c, "segment size %llu at 104: the file's less 16",
	    (unsigned long long)(size - USER));
	if (u64(b + MSM_EXTRA) != MSM_EXTRA_BYTES ||
	    (allocated = u64(b + MSM_ALLOCATED)) > size - USER)
		return 0;
	evidence(c, "segment manager header 104 bytes at 88, %llu bytes "
	    "allocated at 96", (unsigned long long)allocated);
	named = u64(b + MSM_NAMED);
	unique = u64(b + MSM_UNIQUE);
	/* Each object takes at least a block header of its own. */
	if (named > size / 16 || unique > size / 16)
		return 0;
	if (boost_mutex(b, MSM_ALLOC_MUTEX, 0, "allocator", c) == -1 ||
	    boost_mutex(b, MSM_NAMED_MUTEX, PIPC_PMUTEX_RECURSIVE,
	    "named objects", c) == -1)
		return 0;
	evidence(c, "process-shared mutex at 16, process-shared recursive "
	    "mutex at 112");
	fact(c, "segment_size", size - USER);
	fact(c, "allocated", allocated);
	fact(c, "named_objects", named);
	fact(c, "unique_objects", unique);
	c->what = "boost::interprocess::managed_shared_memory";
	return 1;
}

static int
named_condition(const unsigned char *b, size_t len, uint64_t size,
    struct pipc_contents *c)
{
	if (size != NC_SIZE || len < NC_SIZE || !initialised(b, c))
		return 0;
	evidence(c, "file size 104: state, mutex and condition");
	if (boost_mutex(b, NC_MUTEX, 0, "condition", c) == -1 ||
	    boost_cond(b, NC_COND, "condition", c) == -1)
		return 0;
	evidence(c, "process-shared mutex at 16, process-shared condition "
	    "at 56");
	c->what = "boost::interprocess::named_condition";
	return 1;
}

/*
 * Try each boost layout on the first len bytes of a file of size bytes:
 * 1 and c filled if one fits, else 0 and c empty.
 */
int
pipc_boost_recognise(const unsigned char *b, size_t len, uint64_t size,
    struct pipc_contents *c)
{
	static int (*const layouts[])(const unsigned char *, size_t, uint64_t,
	    struct pipc_contents *) = {
		message_queue, managed_segment, named_condition
	};
	size_t i;

	for (i = 0; i < sizeof(layouts) / sizeof(layouts[0]); i++) {
		memset(c, 0, sizeof(*c));
		if (layouts[i](b, len, size, c)) {
			c->layout = BOOST_LAYOUT;
			return 1;
		}
	}
	memset(c, 0, sizeof(*c));
	return 0;
}
