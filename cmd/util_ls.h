/* ls: what cmd/ls.c and its fields, cmd/util_ls.c, share. */
#ifndef UTIL_LS_H
#define UTIL_LS_H

#include "cmd.h"

/* How a field is written in JSON. */
enum jtype { J_STR, J_NUM, J_BOOL, J_ARRAY, J_OBJECT };

#define F_RIGHT		0x1	/* a column of numbers: right-aligned */
#define F_HOLDERS	0x2	/* needs the /proc scan of holders */
#define F_QUARANTINE	0x4	/* in JSON for gc's quarantines only */
#define F_DEFAULT	0x8	/* a column ls shows without -o */
#define F_DELETED	0x10	/* in JSON for deleted objects only */
#define F_PLACES	0x20	/* in JSON with -A and -N only */

struct cellctx;		/* the object and what its cell may use */
struct val;		/* a field's value, for JSON and plain cells */

/*
 * One row per field of ls, in the order of the JSON object; place is the
 * column's place in -H, the completion and the man page, which put the
 * columns in another order. get gives the value; text, where set, the
 * cell (else the value as it is); json, where set, writes a J_ARRAY or
 * J_OBJECT.
 */
struct field {
	const char	*heading;	/* the column; NULL: JSON only */
	int		 place;		/* from 1; 0: JSON only */
	const char	*key;		/* NULL: table only */
	enum jtype	 jtype;
	unsigned	 kinds;		/* PIPC_TYPE_BIT of each kind it has */
	unsigned	 flags;		/* F_* */
	void		(*get)(const struct cellctx *, struct val *);
	const char	*(*text)(const struct cellctx *);
	void		(*json)(struct json *, const char *,
			    const struct cellctx *);
	const char	*help;
};

extern const struct field ls_fields[];
extern const size_t ls_nfields;

#define LS_COLS_MAX	64	/* -o may name each column twice */
struct opts {
	const struct field *cols[LS_COLS_MAX];
	size_t		 ncols;
	int		 bytes, json, noheadings, raw, null, orphans, stale, pids,
			 deleted;
	int		 no_removeipc;	/* --ignore-removeipc */
	int		 chosen;	/* -o LIST, not -o +LIST */
};

void	ls_print_table(const struct pipc_list *, const struct opts *,
	    const char *);
void	ls_print_json(const struct pipc_list *, const char *);
void	ls_object_json(struct json *, const struct pipc_list *,
	    const struct pipc_obj *);
void	ls_object_cells(const struct pipc_list *, const struct pipc_obj *,
	    void (*)(const char *, const char *, void *), void *);

#endif
