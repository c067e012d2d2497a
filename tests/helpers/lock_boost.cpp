// lock_boost: take a boost::interprocess named_mutex (or named_semaphore),
// print "locked", then hold it until killed, or release it and exit.
// For the tests of pipc lock: boost's named_mutex is a glibc named
// semaphore on Linux (sem_open of "/NAME", file /dev/shm/sem.NAME).
//
// usage: lock_boost mutex|semaphore NAME hold|once|try
//   hold  lock, print "locked", wait to be killed
//   once  lock, print "locked", unlock, exit 0
//   try   try_lock: exit 0 and print "locked" if taken (then unlock), 3 if not
#include <boost/interprocess/sync/named_mutex.hpp>
#include <boost/interprocess/sync/named_semaphore.hpp>
#include <cstdio>
#include <cstring>
#include <unistd.h>

using namespace boost::interprocess;

template <class M> static int
run(M &m, const char *how)
{
	if (std::strcmp(how, "try") == 0) {
		if (!m.try_lock())
			return 3;
	} else
		m.lock();
	std::printf("locked\n");
	std::fflush(stdout);
	if (std::strcmp(how, "hold") == 0)
		for (;;)
			pause();
	m.unlock();
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc != 4) {
		std::fprintf(stderr, "usage: lock_boost mutex|semaphore NAME "
		    "hold|once|try\n");
		return 2;
	}
	try {
		if (std::strcmp(argv[1], "mutex") == 0) {
			named_mutex m(open_or_create, argv[2]);
			return run(m, argv[3]);
		}
		named_semaphore s(open_or_create, argv[2], 1);
		struct adapt {
			named_semaphore &s;
			bool try_lock() { return s.try_wait(); }
			void lock() { s.wait(); }
			void unlock() { s.post(); }
		} a{s};
		return run(a, argv[3]);
	} catch (const interprocess_exception &e) {
		std::fprintf(stderr, "lock_boost: %s\n", e.what());
		return 1;
	}
}
