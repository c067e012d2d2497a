/* What every subcommand shares: its table entry and the common helpers. */
#ifndef CMD_H
#define CMD_H

#include <getopt.h>

#include "pipc.h"

struct cmd {
	const char		*name;
	int			(*fn)(int, char **);
	const char		*synopsis;	/* after "pipc NAME " */
	const char		*help;		/* one line per option */
	const char		*shortopts;
	const struct option	*longopts;
};

extern const struct cmd cmd_atomics, cmd_create, cmd_gc, cmd_lock, cmd_ls,
    cmd_map, cmd_recv, cmd_rm, cmd_send, cmd_unlock;

/* Long options every subcommand that touches objects accepts. */
enum { OPT_SHM_DIR = 0x100, OPT_MQUEUE_DIR, OPT_COMMON_LAST };
#define COMMON_LONGOPTS \
	{ "shm-dir",	required_argument, NULL, OPT_SHM_DIR }, \
	{ "mqueue-dir",	required_argument, NULL, OPT_MQUEUE_DIR }, \
	{ "help",	no_argument,	   NULL, 'h' }
#define COMMON_HELP \
	"      --shm-dir DIR     shared memory and semaphores (/dev/shm)\n" \
	"      --mqueue-dir DIR  message queues (/dev/mqueue)\n" \
	"  -h, --help            show this help\n"

extern struct pipc_dirs dirs;

void	usage(const struct cmd *) __attribute__((noreturn));
void	help(const struct cmd *) __attribute__((noreturn));
int	common_option(const struct cmd *, int, const char *);
unsigned type_arg(const char *);
const char *list_words(const char *const *, size_t);
unsigned pattern_types(unsigned, int, char **);
int	pattern_match(const char *, const struct pipc_obj *, const char *);
const char *shown(const char *);
void	warn_no_mqueue(const char *);
void	warn_unseen(const struct pipc_list *, const char *);
int	finish_stdout(int);

/* util_object.c: shared by create, rm, map, send and recv */
const char	*obj_label(int, const char *);
const char	*check_name(const char *, enum pipc_type);
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

#endif
