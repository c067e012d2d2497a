/* What every subcommand shares: its table entry and the common helpers. */
#ifndef CMD_H
#define CMD_H

#include <getopt.h>

#include "pipc.h"

/*
 * One row per option of a command: getopt_long's strings, the -h text, the
 * synopsis and `pipc __complete` are all made from these (opt.c), so they
 * cannot disagree. A table ends with a row whose val is 0.
 */
struct opt {
	int		 val;	/* getopt's answer: the letter, or an OPT_* */
	const char	*name;	/* the long name, or NULL */
	const char	*arg;	/* its argument as -h and usage name it */
	const char	*help;	/* -h's text; a '\n' starts a new line */
	unsigned	 flags;
};
/* Flags of a row. */
#define O_NOSYN		0x001	/* not in the synopsis's options */
#define O_MANY		0x002	/* repeatable: "..." after it */
#define O_ALIAS		0x004	/* another long name of val's option */
#define O_GROUP(n)	((n) << 4)	/* one of a group that exclude each
					 * other: "[-n | -w SECS]" */
#define O_GROUPOF(f)	(((f) >> 4) & 0xf)
/* What its argument is, for completion: any value unless said. */
#define ARG_KIND		0x100	/* a kind of object, as -t takes */
#define ARG_COLUMN	0x200	/* a list of ls's columns */
#define ARG_DIR		0x300
#define ARG_FILE		0x400
#define ARG_USER		0x500
#define ARG_MASK		0xf00

/* What a command's first operand names, for completion. */
enum operand { OPND_NONE, OPND_OBJECT, OPND_KIND };

struct cmd {
	const char		*name;
	int			(*fn)(int, char **);
	const struct opt	*opts;
	const char		*operands;	/* the synopsis after options */
	enum operand		 operand;	/* an object of any kind, or of
						 * the kind the command serves */
	int			 inorder;	/* options end at the first
						 * operand (getopt's '+') */
};

extern const struct cmd cmd_atomics, cmd_create, cmd_df, cmd_gc, cmd_inspect,
    cmd_lock, cmd_ls, cmd_map, cmd_metrics, cmd_recv, cmd_rm, cmd_send,
    cmd_unlock;

/* Options every subcommand that touches objects accepts, and -h. */
enum { OPT_SHM_DIR = 0x100, OPT_MQUEUE_DIR, OPT_COMMON_LAST };
#define HELP_OPT \
	{ 'h', "help", NULL, "show this help", O_NOSYN }
#define COMMON_OPTS \
	{ OPT_SHM_DIR, "shm-dir", "DIR", \
	    "shared memory and semaphores (/dev/shm)", O_NOSYN | ARG_DIR }, \
	{ OPT_MQUEUE_DIR, "mqueue-dir", "DIR", "message queues (/dev/mqueue)", \
	    O_NOSYN | ARG_DIR }, \
	HELP_OPT
#define END_OPTS	{ 0, NULL, NULL, NULL, 0 }

/* opt.c */
int	 getopt_cmd(const struct cmd *, int, char **);
const char *synopsis(const struct cmd *);
void	 print_options(const struct opt *);
void	 complete_options(const struct opt *);
const struct opt *find_option(const struct opt *, const char *);

extern struct pipc_dirs dirs;

void	usage(const struct cmd *) __attribute__((noreturn));
void	help(const struct cmd *) __attribute__((noreturn));
int	common_option(const struct cmd *, int, const char *);
unsigned type_arg(const char *);
const char *kind_list(void);
const char *with_kinds(const char *);
const char *list_words(const char *const *, size_t);
unsigned pattern_types(unsigned, int, char **);
int	pattern_match(const char *, const struct pipc_obj *, const char *);
const char *shown(const char *);
void	warn_no_mqueue(const char *);
void	warn_unseen(const struct pipc_list *, const char *);
int	finish_stdout(int);

/* util_object.c: shared by create, rm, map, send and recv */
const char	*check_name(const char *, enum pipc_type);
const char	*object_operand(const char *, unsigned, unsigned *);
int		 open_dir(enum pipc_type);
uint64_t	 size_arg(const char *, const char *);
mode_t		 mode_arg(const char *);
long long	 count_arg(const char *, const char *, long long, long long);
struct timespec	 seconds_arg(const char *, const char *);
const char	*kind_operand(const char *, enum pipc_type, const char *);
void		 no_such(const char *, const char *, enum pipc_type,
		    const char *) __attribute__((noreturn));
int		 open_queue(const char *, int, const char **,
		    const struct timespec *, const char *);
struct timespec	 deadline(struct timespec);

/* ls.c, for __complete */
int	ls_complete_columns(void);
int	ls_complete_objects(const char *);

/* common.c: words and numbers as output shows them */
#define DECIMAL_MAX	24	/* a long long in decimal, with its NUL */
const char	*obj_label(int, const char *);
const char	*shown_kept(const char *);
const char	*decimal(char *, long long);
const char	*size_shown(char *, long long, int);

/* util_json.c: the one JSON writer; a key is NULL inside an array */
enum { JSON_COMPACT, JSON_SPACED };
struct json {
	unsigned	 depth;
	unsigned	 more;		/* bit d: level d has a value already */
	unsigned	 lines;		/* bit d: level d puts each on a line */
	unsigned	 array;		/* bit d: level d is an array */
	int		 spaced;	/* ", " and ": ", elements indented */
	char		 out[1024];	/* what stdout has yet to get */
	size_t		 len;
};
void	json_begin(struct json *, int);
void	json_object(struct json *, const char *);
void	json_array(struct json *, const char *, int);
void	json_end(struct json *);
void	json_null(struct json *, const char *);
void	json_bool(struct json *, const char *, int);
void	json_int(struct json *, const char *, long long);
void	json_uint(struct json *, const char *, unsigned long long);
void	json_str(struct json *, const char *, const char *);
void	json_str_pre(struct json *, const char *, const char *, const char *);
void	json_mem(struct json *, const char *, const char *, size_t);

/* inspect.c: unlock --force shm:NAME, a mutex inside whose holder died */
int	inspect_release(const char *, int);

/* ls.c: what create shows of the object it made, as ls shows it */
int	ls_show(enum pipc_type, const char *, int);

#endif
