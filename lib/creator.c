/*
 * Who made an object, from its name: the patterns well-known programs give
 * their shared memory and semaphores, and whether what they leave unheld
 * may be collected. Every row says where its pattern comes from (the
 * program's own source), and pipc-gc(1) cites the same.
 *
 * A pattern is matched against the name as given to shm_open or sem_open,
 * without its '/': literal bytes, '#' one or more decimal digits, '@' one
 * or more lowercase hex digits, '*' one or more bytes of any kind (the
 * rest of the name; last in a pattern). Rows are tried in order; the first
 * byte of a name rules most of them out, and nothing is read but the name,
 * so a listing of 100,000 objects pays next to nothing for it.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

#define SHM	PIPC_TYPE_BIT(PIPC_SHM)
#define SEM	PIPC_TYPE_BIT(PIPC_SEM)

static const char *const postgres[] = { "postgres", "postmaster", NULL };
/* /proc/PID/comm keeps 15 bytes of torch_shm_manager. */
static const char *const torch[] = { "torch_shm_manag", NULL };

const struct pipc_creator pipc_creators[] = {
	{ "postgresql", "PostgreSQL.#", SHM, PIPC_KEEP_WHILE_RUNNING, postgres,
	    "dynamic shared memory: a pinned segment lives unmapped until the "
	    "postmaster exits; the next postmaster removes a crash's",
	    "postgres/postgres src/backend/storage/ipc/dsm_impl.c, dsm.c" },
	{ "python", "psm_@", SHM, PIPC_KEEP_UNKNOWN, NULL,
	    "multiprocessing.shared_memory: may outlive its creator on "
	    "purpose; the resource tracker unlinks it when the creator exits",
	    "python/cpython Lib/multiprocessing/shared_memory.py" },
	{ "python", "mp-*", SEM, PIPC_KEEP_NO, NULL,
	    "multiprocessing lock or semaphore (spawn, forkserver): its "
	    "processes keep it open while they use it",
	    "python/cpython Lib/multiprocessing/synchronize.py, process.py" },
	{ "nccl", "nccl-*", SHM, PIPC_KEEP_NO, NULL,
	    "intra-node transport buffer, unlinked once every peer mapped it",
	    "NVIDIA/nccl src/misc/shmutils.cc" },
	{ "openmpi", "vader_segment.*", SHM, PIPC_KEEP_NO, NULL,
	    "Open MPI 3-4 btl/vader segment, mapped by its ranks while the job "
	    "runs",
	    "open-mpi/ompi opal/mca/btl/vader/btl_vader_component.c" },
	{ "openmpi", "sm_segment.*", SHM, PIPC_KEEP_NO, NULL,
	    "Open MPI 5 btl/sm segment, mapped by its ranks while the job runs",
	    "open-mpi/ompi opal/mca/btl/sm/btl_sm_component.c" },
	{ "mpich", "mpich_shar_tmp*", SHM, PIPC_KEEP_NO, NULL,
	    "MPICH (and derived MPIs) node segment, from mkstemp",
	    "pmodels/mpich src/mpl/src/shm/mpl_shm_mmap.c" },
	{ "jack", "jack-shm-registry", SHM, PIPC_KEEP_NEVER, NULL,
	    "JACK's registry of its segments, meant to outlive servers: "
	    "without it JACK cannot clean up after a crash",
	    "jackaudio/jack2 common/shm.h, common/shm.c" },
	{ "jack", "jack-#-#", SHM, PIPC_KEEP_NO, NULL,
	    "JACK server segment (user ID, registry index); JACK removes "
	    "a dead server's itself",
	    "jackaudio/jack2 common/shm.c" },
	{ "jack", "jack_sem.*", SHM | SEM, PIPC_KEEP_NO, NULL,
	    "JACK client wake-up: a futex in shared memory (Linux) or a "
	    "semaphore",
	    "jackaudio/jack2 linux/JackLinuxFutex.cpp, "
	    "posix/JackPosixSemaphore.cpp" },
	{ "pulseaudio", "pulse-shm-#", SHM, PIPC_KEEP_NO, NULL,
	    "audio memory pool; PulseAudio removes those of dead creators",
	    "pulseaudio/pulseaudio src/pulsecore/shm.c" },
	{ "chromium", ".org.chromium.Chromium.*", SHM, PIPC_KEEP_NO, NULL,
	    "shared memory file, unlinked once opened: a crash's leftover",
	    "chromium/chromium base/files/file_util_posix.cc" },
	{ "chrome", ".com.google.Chrome.*", SHM, PIPC_KEEP_NO, NULL,
	    "the same as Chromium's, in Google Chrome builds",
	    "chromium/chromium base/files/file_util_posix.cc" },
	{ "pytorch", "torch_#_#_#", SHM, PIPC_KEEP_WHILE_RUNNING, torch,
	    "tensor storage (file_system sharing); torch_shm_manager removes "
	    "it when its processes are gone",
	    "pytorch/pytorch aten/src/ATen/MapAllocator.cpp, "
	    "torch/lib/libshm/core.cpp" },
};
const size_t pipc_ncreators = sizeof(pipc_creators) / sizeof(pipc_creators[0]);

static int
is_hex(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* Whether name is of pattern p: see the top of the file. */
static int
match(const char *p, const char *s)
{
	int (*run)(int);

	for (; *p != '\0'; p++) {
		switch (*p) {
		case '*':
			return *s != '\0';
		case '#':
		case '@':
			run = *p == '#' ? is_digit : is_hex;
			if (!run((unsigned char)*s))
				return 0;
			while (run((unsigned char)*s))
				s++;
			break;
		default:
			if (*s++ != *p)
				return 0;
		}
	}
	return *s == '\0';
}

const struct pipc_creator *
pipc_creator_of(enum pipc_type t, const char *name)
{
	const struct pipc_creator *c;

	if (*name == '/')
		name++;
	for (c = pipc_creators; c < pipc_creators + pipc_ncreators; c++)
		if (c->pattern[0] == name[0] && (c->kinds & PIPC_TYPE_BIT(t)) &&
		    match(c->pattern, name))
			return c;
	return NULL;
}

const char *
pipc_keep_name(enum pipc_keep k)
{
	static const char *const names[] = {
		[PIPC_KEEP_UNKNOWN] = "unknown", [PIPC_KEEP_NO] = "safe",
		[PIPC_KEEP_WHILE_RUNNING] = "while-running",
		[PIPC_KEEP_NEVER] = "never",
	};

	return names[k];
}

/*
 * Whether a process of c's runs, by its command name in /proc/PID/comm:
 * 1 (*pid is one), 0, or -1 when some process could not be seen. The
 * kernel sets comm from the file it executed, and programs that rewrite
 * their argv for ps (the postmaster and its children do) leave it alone;
 * a process that renames itself to one of c's only keeps more objects.
 * Only this PID namespace and those under it are in /proc.
 */
int
pipc_creator_running(const struct pipc_creator *c, pid_t *pid)
{
	const char *const *n;
	struct dirent *de;
	char path[NAME_MAX + 8], comm[32], *end;
	ssize_t len;
	long p;
	int procfd, unseen = pipc_proc_hidden();
	DIR *d;

	if (c->comms == NULL)
		return 0;
	if ((procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return -1;
	if ((d = fdopendir(procfd)) == NULL) {
		close(procfd);
		return -1;
	}
	while ((errno = 0, de = readdir(d)) != NULL) {
		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		p = strtol(de->d_name, &end, 10);
		if (*end != '\0' || p == getpid())
			continue;
		snprintf(path, sizeof(path), "%s/comm", de->d_name);
		if ((len = pipc_read_text(procfd, path, comm, sizeof(comm))) ==
		    -1) {
			if (errno != ENOENT && errno != ESRCH)
				unseen = 1;	/* not gone: unreadable */
			continue;
		}
		if (len > 0 && comm[len - 1] == '\n')
			comm[len - 1] = '\0';
		for (n = c->comms; *n != NULL; n++)
			if (strcmp(comm, *n) == 0) {
				*pid = (pid_t)p;
				closedir(d);
				return 1;
			}
	}
	if (errno != 0)
		unseen = 1;
	closedir(d);
	return unseen ? -1 : 0;
}
