/*
 * What only the library and its fuzz harnesses use: the pieces behind
 * pipc.h's functions. Commands include pipc.h alone.
 */
#ifndef PIPC_INTERNAL_H
#define PIPC_INTERNAL_H

#include "pipc.h"

/* Kinds (kind.c): which kind a directory entry is, which live where. */
/* gc cannot rename it: its mode keeps openers out instead (gc.c) */
#define PIPC_KIND_NORENAME	0x1
/* an opener waits for a lease with the directory locked (mq_open) */
#define PIPC_KIND_DIRLOCK	0x2
int		 pipc_kind_claim(size_t, const char *);
unsigned	 pipc_kinds_at(size_t);

/* Files and directories (dirs.c, object.c, readtext.c). */
int		 pipc_is_mqueue_dir(const char *);
int		 pipc_file_name(char *, size_t, enum pipc_type, const char *);
ssize_t		 pipc_read_text(int, const char *, char *, size_t);

/* What the scan reads (sem.c, mq.c, holders.c). */
struct pipc_obj	*pipc_list_add(struct pipc_list *, enum pipc_type, const char *,
		    const struct stat *);
int		 pipc_sem_read(int, uint32_t *, uint32_t *);
int		 pipc_sem_tempname(const char *);
int		 pipc_mq_parse(const char *, long *, pid_t *);
const char	*pipc_maps_line(const char *, const char *, dev_t *, ino_t *);
/* /proc hides processes we may not read (hidepid=): holders.c */
int		 pipc_proc_hidden(void);

/* contents.c, boost.c: what a shared memory object holds. */
int		 pipc_boost_recognise(const unsigned char *, size_t, uint64_t,
		    struct pipc_contents *);
void		 pipc_contents_peek(int, struct pipc_obj *);
enum pipc_state	 pipc_contents_state(const struct pipc_list *,
		    struct pipc_obj *, enum pipc_state);
/* A kind whose read only looks at a file the scan opens anyway. */
#define PIPC_KIND_PEEK		0x4

/* lease.c: the kernel's word on whether anyone holds a file. */
int		 pipc_lease_take(int);
int		 pipc_lease_broken(int);
void		 pipc_lease_drop(int);
enum pipc_held	 pipc_lease_probe(int);

/* Owner records and locks (owner.c, lock.c). */
#define PIPC_OWNER_XATTR	"user.pipc.owner"
int		 pipc_owner_set(int, const struct pipc_owner *);
int		 pipc_owner_same(const struct pipc_owner *,
		    const struct pipc_owner *);
int		 pipc_lock_mapped(struct pipc_lock *, pid_t *);
/* pipc_lock_recover: not from an owner that is a zombie yet, whose parent
 * may be about to release the lock for it (pipc lock -- CMD does). */
#define PIPC_LOCK_REAPED	0x100
/* libpipc (mutex.c): what its entry points do first, once per process. */
void		 pipc_api_init(void);

/* Quarantines (quarantine.c): gc's names for what it collects. */
#define PIPC_GC_PREFIX	".pipc-gc."
#define PIPC_GC_XATTR	"user.pipc.gc"
#define PIPC_GC_MQMODE	01000	/* a queue being collected: nobody may open */
int		 pipc_gc_quarantined(const char *, const struct pipc_obj *,
		    char *);
int		 pipc_gc_qname(char *, size_t, const struct pipc_obj *);
const char	*pipc_gc_qparse(const char *, enum pipc_type, ino_t);

/* escape.c */
size_t		 pipc_escape_json(char *, size_t, const char *);
size_t		 pipc_utf8_len(const unsigned char *);

/* json.c: a strict JSON reader driven by callbacks (see snapshot.c). */
struct pipc_json {
	const unsigned char *p, *end, *start;
	const char	*why;		/* the first error */
	char		*str;		/* the last string read, decoded */
	size_t		 len, cap;
	int		 depth;
};
void		 pipc_json_init(struct pipc_json *, const char *, size_t);
int		 pipc_json_finish(struct pipc_json *, int);
int		 pipc_json_fail(struct pipc_json *, const char *);
int		 pipc_json_object(struct pipc_json *,
		    int (*)(struct pipc_json *, const char *, void *), void *);
int		 pipc_json_array(struct pipc_json *,
		    int (*)(struct pipc_json *, void *), void *);
int		 pipc_json_string(struct pipc_json *);
int		 pipc_json_uint(struct pipc_json *, unsigned long long *);
int		 pipc_json_value(struct pipc_json *);

#endif
