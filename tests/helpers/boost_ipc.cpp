// boost_ipc: make and use boost::interprocess objects (1.74, Debian 12's
// libboost-dev) for the tests of pipc inspect, ls and unlock --force.
//
// usage: boost_ipc COMMAND NAME [ARG...]
//   mq-create NAME MAXMSG MSGSIZE N   a message_queue, with N messages sent
//   mq-send NAME TEXT                 send TEXT (blocks while the queue is full)
//   mq-recv NAME                      receive one message, print it
//   msm-create NAME SIZE              a managed_shared_memory holding the
//                                     constructed int "answer" = 42
//   msm-find NAME                     print the int "answer"
//   msm-alloc NAME                    allocate 64 bytes, print "allocated"
//   cond-create NAME                  a named_condition
//   cond-notify NAME                  notify_all
//   offsets                           the offsets of message_queue's header
//                                     members, as boost's own type has them
//
// With HOLD=1 in the environment, the first process-shared pthread mutex
// the command locks (inside boost, through its own code path) is kept:
// "locked FILE OFFSET TID" is printed and the process waits to be killed,
// so a test can kill it inside that mutex at a chosen moment.
#include <boost/interprocess/ipc/message_queue.hpp>
#include <boost/interprocess/managed_shared_memory.hpp>
#include <boost/interprocess/sync/named_condition.hpp>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <pthread.h>
#include <string>
#include <sys/syscall.h>
#include <unistd.h>

using namespace boost::interprocess;

typedef int (*lock_fn)(pthread_mutex_t *);

// Where the mutex at addr lies: the file mapped there and its offset.
static bool
where(const void *addr, char *file, size_t filesize, unsigned long *off)
{
	unsigned long a = (unsigned long)addr, lo, hi, pgoff;
	char line[4096], path[4096];
	FILE *fp;
	bool found = false;

	if ((fp = std::fopen("/proc/self/maps", "r")) == NULL)
		return false;
	while (!found && std::fgets(line, sizeof(line), fp) != NULL) {
		path[0] = '\0';
		if (std::sscanf(line, "%lx-%lx %*s %lx %*s %*s %4095s", &lo, &hi,
		    &pgoff, path) >= 3 && a >= lo && a < hi && path[0] != '\0') {
			std::snprintf(file, filesize, "%s", path);
			*off = a - lo + pgoff;
			found = true;
		}
	}
	std::fclose(fp);
	return found;
}

// Calls from boost's inline code land here before glibc's.
extern "C" int
pthread_mutex_lock(pthread_mutex_t *m) noexcept
{
	static lock_fn real;
	static bool held;
	char file[4096];
	unsigned long off;
	int rv;

	if (real == NULL)
		real = (lock_fn)dlsym(RTLD_NEXT, "pthread_mutex_lock");
	rv = real(m);
	// __kind's bit 7 is glibc's PTHREAD_MUTEX_PSHARED_BIT.
	if (rv == 0 && !held && std::getenv("HOLD") != NULL &&
	    (m->__data.__kind & 128) && where(m, file, sizeof(file), &off)) {
		held = true;
		std::printf("locked %s %lu %ld\n", file, off,
		    (long)syscall(SYS_gettid));
		std::fflush(stdout);
		for (;;)
			pause();
	}
	return rv;
}

typedef ipcdetail::mq_hdr_t<offset_ptr<void> > mq_hdr;

static int
offsets(void)
{
	// The header begins where managed_open_or_create_impl puts the
	// user's data, after its 32-bit initialisation state.
	std::size_t user = ipcdetail::managed_open_or_create_impl<
	    shared_memory_object, 0, true, false>::ManagedOpenOrCreateUserOffset;

	std::printf("user %zu\n", user);
	std::printf("index %zu\n", user + offsetof(mq_hdr, mp_index));
	std::printf("max_msgs %zu\n", user + offsetof(mq_hdr, m_max_num_msg));
	std::printf("max_msg_size %zu\n", user +
	    offsetof(mq_hdr, m_max_msg_size));
	std::printf("msgs %zu\n", user + offsetof(mq_hdr, m_cur_num_msg));
	std::printf("mutex %zu\n", user + offsetof(mq_hdr, m_mutex));
	std::printf("cond_recv %zu\n", user + offsetof(mq_hdr, m_cond_recv));
	std::printf("cond_send %zu\n", user + offsetof(mq_hdr, m_cond_send));
	std::printf("first %zu\n", user + offsetof(mq_hdr, m_cur_first_msg));
	std::printf("blocked_senders %zu\n", user +
	    offsetof(mq_hdr, m_blocked_senders));
	std::printf("blocked_receivers %zu\n", user +
	    offsetof(mq_hdr, m_blocked_receivers));
	std::printf("header_size %zu\n", sizeof(mq_hdr));
	std::printf("mutex_size %zu\n", sizeof(interprocess_mutex));
	std::printf("cond_size %zu\n", sizeof(interprocess_condition));
	return 0;
}

static int
run(int argc, char **argv)
{
	std::string cmd = argv[1];

	if (cmd == "offsets")
		return offsets();
	if (argc < 3)
		return 2;
	const char *name = argv[2];
	if (cmd == "mq-create" && argc == 6) {
		message_queue q(create_only, name, std::atol(argv[3]),
		    std::atol(argv[4]));
		for (long i = 0; i < std::atol(argv[5]); i++) {
			std::string m = "message " + std::to_string(i);
			q.send(m.data(), m.size(), 0);
		}
		std::printf("created\n");
		return 0;
	}
	if (cmd == "mq-send" && argc == 4) {
		message_queue q(open_only, name);
		q.send(argv[3], std::strlen(argv[3]), 0);
		std::printf("sent\n");
		return 0;
	}
	if (cmd == "mq-recv" && argc == 3) {
		message_queue q(open_only, name);
		std::string buf(q.get_max_msg_size(), '\0');
		message_queue::size_type n;
		unsigned prio;
		q.receive(&buf[0], buf.size(), n, prio);
		std::printf("received %.*s\n", (int)n, buf.data());
		return 0;
	}
	if (cmd == "msm-create" && argc == 4) {
		managed_shared_memory m(create_only, name, std::atol(argv[3]));
		m.construct<int>("answer")(42);
		std::printf("created\n");
		return 0;
	}
	if (cmd == "msm-find" && argc == 3) {
		managed_shared_memory m(open_only, name);
		std::pair<int *, std::size_t> r = m.find<int>("answer");
		if (r.first == NULL)
			return 1;
		std::printf("answer %d\n", *r.first);
		return 0;
	}
	if (cmd == "msm-alloc" && argc == 3) {
		managed_shared_memory m(open_only, name);
		m.allocate(64);
		std::printf("allocated\n");
		return 0;
	}
	if (cmd == "cond-create" && argc == 3) {
		named_condition c(create_only, name);
		std::printf("created\n");
		return 0;
	}
	if (cmd == "cond-notify" && argc == 3) {
		named_condition c(open_only, name);
		c.notify_all();
		std::printf("notified\n");
		return 0;
	}
	return 2;
}

int
main(int argc, char **argv)
{
	int rv;

	if (argc < 2) {
		std::fprintf(stderr, "usage: boost_ipc COMMAND NAME [ARG...]\n");
		return 2;
	}
	try {
		rv = run(argc, argv);
	} catch (const interprocess_exception &e) {
		std::fprintf(stderr, "boost_ipc: %s\n", e.what());
		return 1;
	}
	if (rv == 2)
		std::fprintf(stderr, "boost_ipc: bad usage\n");
	return rv;
}
