// The lock counter from C++: counter NAME FILE N THREADS, each thread with
// its own handle, through a small RAII guard; built with g++ against the
// installed library through pkg-config.
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <atomic>
#include <fstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <pipc/pipc.h>

namespace {

class named_lock {
public:
	explicit named_lock(const char *name)
	{
		int r = pipc_mutex_open(&m_, name, PIPC_MUTEX_CREATE, 0600);
		if (r != 0)
			throw std::runtime_error(std::string("open: ") +
			    std::strerror(r));
	}
	~named_lock() { pipc_mutex_close(m_); }
	named_lock(const named_lock &) = delete;
	named_lock &operator=(const named_lock &) = delete;

	// true when the lock was taken over from a dead owner
	bool lock()
	{
		int r = pipc_mutex_acquire(m_);
		if (r != 0 && r != EOWNERDEAD)
			throw std::runtime_error(std::string("acquire: ") +
			    std::strerror(r));
		return r == EOWNERDEAD;
	}
	void unlock()
	{
		int r = pipc_mutex_release(m_);
		if (r != 0)
			throw std::runtime_error(std::string("release: ") +
			    std::strerror(r));
	}

private:
	pipc_mutex *m_ = nullptr;
};

void
bump(const std::string &file)
{
	long v = 0;
	{
		std::ifstream in(file);
		in >> v;
	}
	std::ofstream out(file, std::ios::trunc);
	out << v + 1 << '\n';
	if (!out.flush())
		throw std::runtime_error("cannot write " + file);
}

}

int
main(int argc, char **argv)
{
	if (argc != 5) {
		std::fprintf(stderr, "usage: counter NAME FILE N THREADS\n");
		return 2;
	}
	const char *name = argv[1];
	std::string file = argv[2];
	int n = std::atoi(argv[3]), nt = std::atoi(argv[4]);
	std::vector<std::thread> threads;
	std::atomic<bool> failed(false);

	for (int t = 0; t < nt; t++)
		threads.emplace_back([&] {
			try {
				named_lock lk(name);
				for (int i = 0; i < n; i++) {
					lk.lock();
					bump(file);
					lk.unlock();
				}
			} catch (const std::exception &e) {
				std::fprintf(stderr, "counter: %s\n", e.what());
				failed = true;
			}
		});
	for (auto &t : threads)
		t.join();
	return failed ? 1 : 0;
}
