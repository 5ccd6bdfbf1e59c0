#include <cfmigrate/util/file_lock.hpp>

#include "../../support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <csignal>
#include <filesystem>
#include <string>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace cfmigrate;
using cfmigrate::test::read_file;
using cfmigrate::test::TempDir;

namespace {

struct Fixture {
  TempDir tmp;
  std::string lock_path() const { return (tmp.path() / "lock").string(); }
};

// A child process that takes the lock, reports through a pipe, and holds it until told to go
// (or until it is killed).
class LockHolder {
public:
  explicit LockHolder(const std::string& path)
  {
    BOOST_REQUIRE(::pipe(m_ready) == 0);
    BOOST_REQUIRE(::pipe(m_go) == 0);
    m_pid = ::fork();
    BOOST_REQUIRE(m_pid >= 0);
    if (m_pid == 0) {
      ::close(m_ready[0]);
      ::close(m_go[1]);
      auto lock = FileLock::acquire(path);
      const char status = lock ? 'y' : 'n';
      [[maybe_unused]] const ssize_t w = ::write(m_ready[1], &status, 1);
      char c = 0;
      [[maybe_unused]] const ssize_t r = ::read(m_go[0], &c, 1); // EOF or a byte: leave
      ::_exit(0); // the kernel drops the flock with the last fd
    }
    ::close(m_ready[1]);
    ::close(m_go[0]);
    char status = 0;
    BOOST_REQUIRE(::read(m_ready[0], &status, 1) == 1);
    ::close(m_ready[0]);
    BOOST_REQUIRE(status == 'y');
  }
  ~LockHolder()
  {
    if (m_pid > 0) {
      finish();
    }
  }
  LockHolder(const LockHolder&) = delete;
  LockHolder& operator=(const LockHolder&) = delete;

  pid_t pid() const { return m_pid; }

  void finish()
  {
    ::close(m_go[1]);
    int status = 0;
    ::waitpid(m_pid, &status, 0);
    m_pid = -1;
  }

  void kill_hard()
  {
    ::kill(m_pid, SIGKILL);
    int status = 0;
    ::waitpid(m_pid, &status, 0);
    ::close(m_go[1]);
    m_pid = -1;
  }

private:
  pid_t m_pid = -1;
  int m_ready[2] = {-1, -1};
  int m_go[2] = {-1, -1};
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(file_lock, Fixture)

BOOST_AUTO_TEST_CASE(acquire_creates_a_private_lock_file_with_our_pid)
{
  auto lock = FileLock::acquire(lock_path());
  BOOST_TEST_REQUIRE(lock.has_value());
  BOOST_TEST(lock->held());
  struct stat st {};
  BOOST_REQUIRE(::stat(lock_path().c_str(), &st) == 0);
  BOOST_TEST((st.st_mode & 07777) == 0600U);
  BOOST_TEST(read_file(lock_path()) == std::to_string(::getpid()) + "\n");
}

BOOST_AUTO_TEST_CASE(second_acquire_is_refused_until_release)
{
  auto first = FileLock::acquire(lock_path());
  BOOST_TEST_REQUIRE(first.has_value());
  auto second = FileLock::acquire(lock_path());
  BOOST_TEST_REQUIRE(!second.has_value());
  BOOST_TEST((second.error().code() == ErrorCode::locked));
  BOOST_TEST(second.error().message().find("pid " + std::to_string(::getpid())) != std::string::npos);
  BOOST_TEST(second.error().path() == lock_path());

  first->release();
  BOOST_TEST(!first->held());
  first->release(); // idempotent
  auto third = FileLock::acquire(lock_path());
  BOOST_TEST(third.has_value());
}

BOOST_AUTO_TEST_CASE(destructor_releases)
{
  {
    auto lock = FileLock::acquire(lock_path());
    BOOST_TEST_REQUIRE(lock.has_value());
  }
  BOOST_TEST(FileLock::acquire(lock_path()).has_value());
  BOOST_TEST(fs::exists(lock_path())); // the file stays; only the flock matters
}

BOOST_AUTO_TEST_CASE(move_keeps_the_lock)
{
  auto lock = FileLock::acquire(lock_path());
  BOOST_TEST_REQUIRE(lock.has_value());
  FileLock moved(std::move(*lock));
  BOOST_TEST(moved.held());
  BOOST_TEST(!FileLock::acquire(lock_path()).has_value());
  FileLock assigned = std::move(moved);
  BOOST_TEST(assigned.held());
  BOOST_TEST(!FileLock::acquire(lock_path()).has_value());
}

BOOST_AUTO_TEST_CASE(another_process_holding_the_lock_is_named)
{
  LockHolder holder(lock_path());
  auto lock = FileLock::acquire(lock_path());
  BOOST_TEST_REQUIRE(!lock.has_value());
  BOOST_TEST((lock.error().code() == ErrorCode::locked));
  BOOST_TEST(lock.error().message().find("pid " + std::to_string(holder.pid())) != std::string::npos);

  holder.finish();
  BOOST_TEST(FileLock::acquire(lock_path()).has_value());
}

BOOST_AUTO_TEST_CASE(a_killed_holder_releases_the_lock)
{
  LockHolder holder(lock_path());
  BOOST_TEST(!FileLock::acquire(lock_path()).has_value());
  holder.kill_hard(); // kill -9: no destructor ran, the stale pid is still in the file
  auto lock = FileLock::acquire(lock_path());
  BOOST_TEST_REQUIRE(lock.has_value());
  BOOST_TEST(read_file(lock_path()) == std::to_string(::getpid()) + "\n");
}

BOOST_AUTO_TEST_CASE(a_stale_pid_without_a_lock_does_not_block)
{
  tmp.write("lock", "999999\n");
  BOOST_TEST(FileLock::acquire(lock_path()).has_value());
}

BOOST_AUTO_TEST_CASE(symlink_and_missing_directory_are_io_errors)
{
  fs::create_symlink(tmp.path() / "elsewhere", lock_path());
  auto lock = FileLock::acquire(lock_path());
  BOOST_TEST_REQUIRE(!lock.has_value());
  BOOST_TEST((lock.error().code() == ErrorCode::io));
  BOOST_TEST(!fs::exists(tmp.path() / "elsewhere"));

  auto missing = FileLock::acquire((tmp.path() / "no" / "lock").string());
  BOOST_TEST_REQUIRE(!missing.has_value());
  BOOST_TEST((missing.error().code() == ErrorCode::io));
}

BOOST_AUTO_TEST_SUITE_END()
