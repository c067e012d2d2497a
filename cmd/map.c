/* map: read, dump, write, clear or hold a shared memory object by mmap. */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmd.h"

enum {
	OPT_OFFSET = OPT_COMMON_LAST, OPT_LENGTH, OPT_WRITE, OPT_ZERO,
	OPT_GROW, OPT_HOLD
};

static const struct opt opts[] = {
	{ 'x', "hex", NULL, "hexdump (the format of hexdump -C)", O_NOSYN },
	{ OPT_OFFSET, "offset", "N", "start N bytes in (K, M, G... suffixes)",
	    O_NOSYN },
	{ OPT_LENGTH, "length", "N", "at most N bytes (default: to the end)",
	    O_NOSYN },
	{ OPT_WRITE, "write", NULL, "copy standard input into it at the offset",
	    O_NOSYN },
	{ OPT_GROW, "grow", NULL, "let --write extend it past its end", O_NOSYN },
	{ OPT_ZERO, "zero", NULL, "clear the range to zero bytes", O_NOSYN },
	{ OPT_HOLD, "hold", NULL, "keep it mapped while CMD runs, or until a signal",
	    O_NOSYN },
	COMMON_OPTS,
	END_OPTS
};

static int map_main(int, char **);

const struct cmd cmd_map = {
	"map", map_main, opts,
	"NAME [-x] [--offset N] [--length N] | NAME --write [--offset N] "
	"[--grow] | NAME --zero [--offset N] [--length N] | "
	"NAME --hold [-- CMD [ARG...]]",
	OPND_OBJECT, 0
};

#define CHUNK	65536

struct map {
	const char	*label;
	int		 fd;
	uint64_t	 off, len;	/* the range worked on */
	unsigned char	*base;		/* its pages, mapped */
	size_t		 maplen, skip;	/* skip: from base to off */
	unsigned char	 prev[16];	/* hexdump: last line shown */
	int		 starred, havprev;
};

static sigjmp_buf bus_jump;
static volatile sig_atomic_t bus_armed;

/* A page past the end of a file that shrank: back to a clean error. */
static void
on_sigbus(int sig)
{
	if (bus_armed)
		siglongjmp(bus_jump, 1);
	signal(sig, SIG_DFL);
	raise(sig);
}

static int
bus_error(const struct map *m)
{
	struct stat st;

	if (fstat(m->fd, &st) == 0 && (uint64_t)st.st_size < m->off + m->len)
		warnx("%s: object shrank while mapped", m->label);
	else
		warnx("%s: no memory left to back it (is %s full?)", m->label,
		    dirs.shm);
	return 1;
}

static int
map_range(struct map *m, int prot)
{
	long page = sysconf(_SC_PAGESIZE);
	off_t start = (off_t)(m->off - m->off % (uint64_t)page);
	void *p;

	m->skip = (size_t)(m->off - (uint64_t)start);
	m->maplen = m->skip + (size_t)m->len;
	if (m->len == 0)
		return 0;
	p = mmap(NULL, m->maplen, prot, MAP_SHARED, m->fd, start);
	if (p == MAP_FAILED) {
		warn("%s: mmap", m->label);
		return -1;
	}
	m->base = p;
	return 0;
}

/* hexdump -C: offset, 16 bytes in two groups of 8, the printable text. */
static void
hex_line(struct map *m, uint64_t at, const unsigned char *b, size_t n)
{
	size_t i;

	if (n == 16 && m->havprev && memcmp(b, m->prev, 16) == 0) {
		if (!m->starred)
			printf("*\n");
		m->starred = 1;
		return;
	}
	m->starred = 0;
	m->havprev = n == 16;
	memcpy(m->prev, b, n);
	printf("%08llx ", (unsigned long long)at);
	for (i = 0; i < 16; i++) {
		if (i % 8 == 0)
			putchar(' ');
		if (i < n)
			printf("%02x ", b[i]);
		else
			printf("   ");
	}
	printf(" |");
	for (i = 0; i < n; i++)
		putchar(b[i] >= 0x20 && b[i] < 0x7f ? b[i] : '.');
	printf("|\n");
}

/* Copy out chunk by chunk, so a SIGBUS hits memcpy and not write(2). */
static int
read_out(struct map *m, int hex)
{
	static unsigned char buf[CHUNK];
	uint64_t done;
	size_t n, i;

	for (done = 0; done < m->len; done += n) {
		n = m->len - done < CHUNK ? (size_t)(m->len - done) : CHUNK;
		memcpy(buf, m->base + m->skip + done, n);
		if (!hex)
			fwrite(buf, 1, n, stdout);
		else
			for (i = 0; i < n; i += 16)
				hex_line(m, m->off + done + i, buf + i,
				    n - i < 16 ? n - i : 16);
		if (ferror(stdout))
			return 1;
	}
	if (hex && m->len > 0)
		printf("%08llx\n", (unsigned long long)(m->off + m->len));
	return 0;
}

/*
 * Read, write or clear the mapped range. Nothing here changes after
 * sigsetjmp, so a SIGBUS comes back to a clean state.
 */
static int
touch(struct map *m, int mode, int hex, const unsigned char *in)
{
	struct sigaction sa;
	int rv = 0;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigbus;
	sigaction(SIGBUS, &sa, NULL);
	if (sigsetjmp(bus_jump, 1) != 0) {
		bus_armed = 0;
		return bus_error(m);
	}
	bus_armed = 1;
	if (mode == 0)
		rv = read_out(m, hex);
	else if (mode == OPT_WRITE && m->len > 0)
		memcpy(m->base + m->skip, in, (size_t)m->len);
	else if (mode == OPT_ZERO && m->len > 0)
		memset(m->base + m->skip, 0, (size_t)m->len);
	bus_armed = 0;
	return rv;
}

/* All of standard input: a write must know its length before it starts. */
static unsigned char *
slurp_stdin(size_t *len)
{
	unsigned char *b = NULL, *nb;
	size_t cap = 0;
	ssize_t n;

	*len = 0;
	for (;;) {
		if (cap - *len < CHUNK) {
			if ((nb = realloc(b, cap + CHUNK * 4)) == NULL)
				err(1, NULL);
			b = nb;
			cap += CHUNK * 4;
		}
		if ((n = read(STDIN_FILENO, b + *len, cap - *len)) == 0)
			return b;
		if (n == -1 && errno != EINTR)
			err(1, "standard input");
		if (n > 0)
			*len += (size_t)n;
	}
}

/* Run cmd while the object stays mapped; its status is ours. */
static int
hold(char **cmd)
{
	struct sigaction ign, oint, oquit;
	sigset_t set;
	pid_t pid;
	int status, sig;

	if (cmd[0] == NULL) {
		sigemptyset(&set);
		sigaddset(&set, SIGINT);
		sigaddset(&set, SIGTERM);
		sigaddset(&set, SIGHUP);
		sigprocmask(SIG_BLOCK, &set, NULL);
		while (sigwait(&set, &sig) != 0)
			;
		return 0;
	}
	fflush(stdout);
	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid == 0) {
		execvp(cmd[0], cmd);
		warn("%s", shown(cmd[0]));
		_exit(errno == ENOENT ? 127 : 126);
	}
	/* Like system(3): the terminal's ^C is for CMD, which we outlive. */
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigaction(SIGINT, &ign, &oint);
	sigaction(SIGQUIT, &ign, &oquit);
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR)
			err(1, "waitpid");
	sigaction(SIGINT, &oint, NULL);
	sigaction(SIGQUIT, &oquit, NULL);
	return WIFSIGNALED(status) ? 128 + WTERMSIG(status) :
	    WEXITSTATUS(status);
}

/* The object the name gives, open; semaphores and queues are misuse. */
static int
open_shm(const char *arg, int oflags, const char **label)
{
	static const char serves[] = "map serves shared memory";
	const char *name;
	struct stat st;
	int dfd, fd;

	name = kind_operand(arg, PIPC_SHM, serves);
	*label = obj_label(-1, name);
	if ((dfd = open_dir(PIPC_SHM)) == -1)
		exit(1);
	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == -1) {
		if (errno != ENOENT)
			err(1, "%s", *label);
		no_such(name, *label, PIPC_SHM, serves);
	}
	if (!S_ISREG(st.st_mode))
		errx(1, "%s: not an IPC object: %s", *label,
		    pipc_file_what(st.st_mode));
	if ((fd = openat(dfd, name, oflags | O_NOFOLLOW | O_NONBLOCK |
	    O_CLOEXEC)) == -1)
		err(1, "%s", *label);
	close(dfd);
	return fd;
}

static int
map_main(int argc, char **argv)
{
	struct map m;
	struct stat st;
	unsigned char *in = NULL;
	uint64_t off = 0, len = 0, size;
	size_t inlen = 0;
	int ch, hex = 0, mode = 0, grow = 0, hasoff = 0, haslen = 0, rv = 0;

	memset(&m, 0, sizeof(m));
	while ((ch = getopt_cmd(&cmd_map, argc, argv)) != -1) {
		switch (ch) {
		case 'x': hex = 1; break;
		case OPT_OFFSET:
			off = size_arg("--offset", optarg);
			hasoff = 1;
			break;
		case OPT_LENGTH:
			len = size_arg("--length", optarg);
			haslen = 1;
			break;
		case OPT_WRITE:
		case OPT_ZERO:
		case OPT_HOLD:
			if (mode != 0 && mode != ch)
				errx(2, "--write, --zero and --hold exclude "
				    "each other");
			mode = ch;
			break;
		case OPT_GROW: grow = 1; break;
		default:
			common_option(&cmd_map, ch, optarg);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		usage(&cmd_map);
	if (argc > 1 && mode != OPT_HOLD)
		errx(2, "unexpected argument '%s': only --hold runs a command",
		    argv[1]);
	if (hex && mode != 0)
		errx(2, "-x is for reading: no --write, --zero or --hold");
	if (grow && mode != OPT_WRITE)
		errx(2, "--grow is for --write");
	if (haslen && mode == OPT_WRITE)
		errx(2, "--length does not go with --write: the length is what "
		    "standard input holds");
	if ((hasoff || haslen) && mode == OPT_HOLD)
		errx(2, "--hold maps the whole object: no --offset or "
		    "--length");

	/* Read the input first: if that fails, the object is untouched. */
	if (mode == OPT_WRITE)
		in = slurp_stdin(&inlen);
	m.fd = open_shm(argv[0], mode == OPT_WRITE || mode == OPT_ZERO ?
	    O_RDWR : O_RDONLY, &m.label);
	if (fstat(m.fd, &st) == -1)
		err(1, "%s", m.label);
	size = (uint64_t)st.st_size;
	m.off = off;
	if (mode == OPT_HOLD)
		m.len = size;
	else if (mode == OPT_WRITE) {
		m.len = inlen;
		if (off + inlen > size && !grow)
			errx(1, "%s: writing %zu bytes at offset %llu goes "
			    "past the end (%llu bytes); nothing written "
			    "(--grow extends it)", m.label, inlen,
			    (unsigned long long)off, (unsigned long long)size);
		if (off + inlen > size && ftruncate(m.fd, (off_t)(off +
		    inlen)) == -1)
			err(1, "%s: cannot grow it", m.label);
	} else {
		if (off > size)
			errx(1, "%s: --offset %llu is past the end (%llu "
			    "bytes)", m.label, (unsigned long long)off,
			    (unsigned long long)size);
		m.len = haslen ? len : size - off;
		if (off + m.len > size)
			errx(1, "%s: --offset %llu --length %llu goes past "
			    "the end (%llu bytes)", m.label,
			    (unsigned long long)off, (unsigned long long)len,
			    (unsigned long long)size);
	}
	if (map_range(&m, mode == OPT_WRITE || mode == OPT_ZERO ?
	    PROT_READ | PROT_WRITE : PROT_READ) == -1)
		return 1;
	rv = mode == OPT_HOLD ? hold(argv + 1) : touch(&m, mode, hex, in);
	free(in);
	return rv;
}
