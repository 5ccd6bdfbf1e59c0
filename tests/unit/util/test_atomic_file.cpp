#include <cfmigrate/util/atomic_file.hpp>

#include "../../support/temp_dir.hpp"
#include "../../support/file_checks.hpp"

#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

namespace fs = std::filesystem;
namespace utf = boost::unit_test;
using namespace cfmigrate;
using cfmigrate::test::read_file;
using cfmigrate::test::TempDir;

namespace {

constexpr std::uint32_t k_other_id = 65534; // nobody / nogroup

using cfmigrate::test::entries;
using cfmigrate::test::running_as_root;
using cfmigrate::test::stat_of;

bool user_xattrs_supported(const fs::path& dir)
{
  const fs::path probe = dir / ".xattr-probe";
  { std::ofstream(probe) << "x"; }
  const bool ok = ::setxattr(probe.c_str(), "user.cfmigrate.probe", "1", 1, 0) == 0;
  fs::remove(probe);
  return ok;
}

boost::test_tools::assertion_result xattrs_supported(utf::test_unit_id)
{
  TempDir probe;
  boost::test_tools::assertion_result r{user_xattrs_supported(probe.path())};
  r.message() << "the temp filesystem does not support user.* extended attributes";
  return r;
}

FailureInjector fail_at(AtomicStep target)
{
  return [target](AtomicStep step) -> Status {
    if (step == target) {
      return make_error(ErrorCode::io, "injected failure");
    }
    return {};
  };
}

struct Fixture {
  TempDir tmp;
  std::string path(const std::string& rel) const { return (tmp.path() / rel).string(); }
};

struct ContentCase {
  const char* name;
  std::string bytes;
};

std::ostream& operator<<(std::ostream& os, const ContentCase& c)
{
  return os << c.name;
}

const std::vector<ContentCase> k_contents = {
  {"empty", ""},
  {"lf", "key = a\nother = b\n"},
  {"crlf", "key = a\r\nother = b\r\n"},
  {"no_trailing_newline", "key = a\nother = b"},
  {"bom", "\xEF\xBB\xBFkey = a\n"},
  {"nul_and_high_bytes", std::string("a\0b\xff\xfe\x80z", 8)},
  {"mixed_endings", "a\r\nb\nc\rd"},
  {"large", std::string(3 * 1024 * 1024 + 17, 'x')},
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(atomic_file, Fixture)

BOOST_DATA_TEST_CASE(content_is_written_byte_for_byte, boost::unit_test::data::make(k_contents), c)
{
  TempDir dir;
  const fs::path file = dir.write("app.conf", "old content\n");
  BOOST_TEST_REQUIRE(replace_file_atomically(file.string(), c.bytes).has_value());
  const std::string got = read_file(file);
  BOOST_TEST(got.size() == c.bytes.size());
  BOOST_TEST((got == c.bytes));
  BOOST_TEST(entries(dir.path()) == std::set<std::string>{"app.conf"});
}

BOOST_AUTO_TEST_CASE(mode_is_kept)
{
  const fs::path file = tmp.write("app.conf", "old\n");
  BOOST_REQUIRE(::chmod(file.c_str(), 0640) == 0);
  const ino_t before = stat_of(file).st_ino;
  BOOST_TEST_REQUIRE(replace_file_atomically(file.string(), "new\n").has_value());
  const struct stat st = stat_of(file);
  BOOST_TEST((st.st_mode & 07777) == 0640U);
  BOOST_TEST(st.st_ino != before); // a new inode was renamed in
  BOOST_TEST(read_file(file) == "new\n");
}

BOOST_AUTO_TEST_CASE(owner_group_and_setid_bits_are_kept, *utf::precondition(running_as_root))
{
  const fs::path file = tmp.write("app.conf", "old\n");
  BOOST_REQUIRE(::chown(file.c_str(), k_other_id, k_other_id) == 0);
  BOOST_REQUIRE(::chmod(file.c_str(), 02750) == 0); // chown would clear set-id bits if done last
  BOOST_TEST_REQUIRE(replace_file_atomically(file.string(), "new\n").has_value());
  const struct stat st = stat_of(file);
  BOOST_TEST(st.st_uid == k_other_id);
  BOOST_TEST(st.st_gid == k_other_id);
  BOOST_TEST((st.st_mode & 07777) == 02750U);
  BOOST_TEST(read_file(file) == "new\n");
}

BOOST_AUTO_TEST_CASE(extended_attributes_are_kept, *utf::precondition(xattrs_supported))
{
  const fs::path file = tmp.write("app.conf", "old\n");
  const std::string binary_value("v\0\xff", 3);
  BOOST_REQUIRE(::setxattr(file.c_str(), "user.cfmigrate.a", binary_value.data(), binary_value.size(), 0) == 0);
  BOOST_REQUIRE(::setxattr(file.c_str(), "user.cfmigrate.b", "", 0, 0) == 0);
  BOOST_REQUIRE(::chmod(file.c_str(), 0444) == 0); // xattrs must be set before the mode
  BOOST_TEST_REQUIRE(replace_file_atomically(file.string(), "new\n").has_value());

  auto attrs = read_file_attributes(file.string());
  BOOST_TEST_REQUIRE(attrs.has_value());
  std::vector<Xattr> user;
  std::copy_if(attrs->xattrs.begin(), attrs->xattrs.end(), std::back_inserter(user),
               [](const Xattr& x) { return x.name.rfind("user.", 0) == 0; });
  BOOST_TEST_REQUIRE(user.size() == 2U);
  BOOST_TEST(user[0].name == "user.cfmigrate.a");
  BOOST_TEST((user[0].value == binary_value));
  BOOST_TEST(user[1].name == "user.cfmigrate.b");
  BOOST_TEST(user[1].value.empty());
  BOOST_TEST(attrs->mode == 0444U);
}

BOOST_AUTO_TEST_CASE(symlink_target_is_rewritten_and_link_kept)
{
  const fs::path real = tmp.write("real/app.conf", "old\n");
  const fs::path link = tmp.path() / "links" / "app.conf";
  fs::create_directories(link.parent_path());
  fs::create_symlink("../real/app.conf", link);

  auto file = AtomicFile::open(link.string());
  BOOST_TEST_REQUIRE(file.has_value());
  BOOST_TEST(file->target_path() == fs::canonical(real).string());
  BOOST_TEST_REQUIRE(file->write("new\n").has_value());
  BOOST_TEST_REQUIRE(file->commit().has_value());

  BOOST_TEST(fs::is_symlink(fs::symlink_status(link)));
  BOOST_TEST(fs::read_symlink(link) == fs::path("../real/app.conf"));
  BOOST_TEST(read_file(real) == "new\n");
  BOOST_TEST(entries(link.parent_path()) == std::set<std::string>{"app.conf"});
  BOOST_TEST(entries(real.parent_path()) == std::set<std::string>{"app.conf"});
}

BOOST_AUTO_TEST_CASE(dangling_symlink_is_not_found)
{
  const fs::path link = tmp.path() / "app.conf";
  fs::create_symlink("missing.conf", link);
  auto st = replace_file_atomically(link.string(), "new\n");
  BOOST_TEST_REQUIRE(!st.has_value());
  BOOST_TEST((st.error().code() == ErrorCode::not_found));
  BOOST_TEST(fs::is_symlink(fs::symlink_status(link)));
  BOOST_TEST(!fs::exists(tmp.path() / "missing.conf"));
}

BOOST_AUTO_TEST_CASE(read_only_file_is_replaced_and_stays_read_only)
{
  const fs::path file = tmp.write("ro.conf", "old\n");
  BOOST_REQUIRE(::chmod(file.c_str(), 0444) == 0);
  BOOST_TEST_REQUIRE(replace_file_atomically(file.string(), "new\n").has_value());
  BOOST_TEST(read_file(file) == "new\n");
  BOOST_TEST((stat_of(file).st_mode & 07777) == 0444U);
}

BOOST_DATA_TEST_CASE(failure_at_any_step_leaves_the_original_untouched,
                     boost::unit_test::data::make(std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7}), step_index)
{
  TempDir dir;
  const AtomicStep step = k_all_atomic_steps[step_index];
  BOOST_TEST_MESSAGE("failing step: " << to_string(step));
  const std::string original = "secret_marker_value = 1\r\nno newline at end";
  const fs::path file = dir.write("app.conf", original);
  BOOST_REQUIRE(::chmod(file.c_str(), 0640) == 0);
  const struct stat before = stat_of(file);

  AtomicWriteOptions options;
  options.failure_injector = fail_at(step);
  const Status st = replace_file_atomically(file.string(), "replacement_marker\n", options);

  BOOST_TEST_REQUIRE(!st.has_value());
  BOOST_TEST((st.error().code() == ErrorCode::io));
  BOOST_TEST(st.error().message().find(to_string(step)) != std::string::npos);
  BOOST_TEST(st.error().message().find("secret_marker") == std::string::npos);
  BOOST_TEST(st.error().message().find("replacement_marker") == std::string::npos);
  BOOST_TEST(st.error().path() == file.string());
  BOOST_TEST((read_file(file) == original));
  const struct stat after = stat_of(file);
  BOOST_TEST(after.st_ino == before.st_ino); // the very same inode, not a copy
  BOOST_TEST((after.st_mode & 07777) == 0640U);
  BOOST_TEST(entries(dir.path()) == std::set<std::string>{"app.conf"});
}

BOOST_AUTO_TEST_CASE(every_step_is_offered_to_the_injector_in_order)
{
  const fs::path file = tmp.write("app.conf", "old\n");
  std::vector<AtomicStep> seen;
  AtomicWriteOptions options;
  options.failure_injector = [&seen](AtomicStep step) -> Status {
    seen.push_back(step);
    return {};
  };
  BOOST_TEST_REQUIRE(replace_file_atomically(file.string(), "new\n", options).has_value());
  BOOST_TEST(seen.size() == std::size(k_all_atomic_steps));
  BOOST_TEST(std::equal(seen.begin(), seen.end(), std::begin(k_all_atomic_steps)));
}

BOOST_AUTO_TEST_CASE(full_disk_simulated_at_write_step)
{
  const fs::path file = tmp.write("app.conf", "old\n");
  AtomicWriteOptions options;
  options.failure_injector = [](AtomicStep step) -> Status {
    if (step == AtomicStep::write) {
      return make_error(ErrorCode::io, "No space left on device");
    }
    return {};
  };
  const Status st = replace_file_atomically(file.string(), std::string(1 << 20, 'n'), options);
  BOOST_TEST_REQUIRE(!st.has_value());
  BOOST_TEST(st.error().message().find("No space left on device") != std::string::npos);
  BOOST_TEST(read_file(file) == "old\n");
  BOOST_TEST(entries(tmp.path()) == std::set<std::string>{"app.conf"});
}

// A real short write: RLIMIT_FSIZE makes write() fail with EFBIG part-way, as a full disk fails
// with ENOSPC. Done in a child process so the limit does not affect the test runner.
BOOST_AUTO_TEST_CASE(real_write_failure_part_way_leaves_the_original)
{
  const std::string original(8192, 'o');
  const fs::path file = tmp.write("app.conf", original);
  const pid_t child = ::fork();
  BOOST_REQUIRE(child >= 0);
  if (child == 0) {
    std::signal(SIGXFSZ, SIG_IGN);
    struct rlimit limit {};
    limit.rlim_cur = 4096;
    limit.rlim_max = RLIM_INFINITY;
    if (::setrlimit(RLIMIT_FSIZE, &limit) != 0) {
      ::_exit(3);
    }
    const Status st = replace_file_atomically(file.string(), std::string(64 * 1024, 'n'));
    const bool ok = !st.has_value() && st.error().message().find("write temp file") != std::string::npos;
    ::_exit(ok ? 0 : 1);
  }
  int status = 0;
  BOOST_REQUIRE(::waitpid(child, &status, 0) == child);
  BOOST_TEST(WIFEXITED(status));
  BOOST_TEST(WEXITSTATUS(status) == 0);
  BOOST_TEST((read_file(file) == original));
  BOOST_TEST(entries(tmp.path()) == std::set<std::string>{"app.conf"});
}

BOOST_AUTO_TEST_CASE(destructor_never_commits)
{
  const fs::path file = tmp.write("app.conf", "old\n");
  {
    auto atomic = AtomicFile::open(file.string());
    BOOST_TEST_REQUIRE(atomic.has_value());
    BOOST_TEST_REQUIRE(atomic->write("new\n").has_value());
    BOOST_TEST(fs::exists(atomic->temp_path()));
    BOOST_TEST((stat_of(atomic->temp_path()).st_mode & 07777) == 0600U);
  }
  BOOST_TEST(read_file(file) == "old\n");
  BOOST_TEST(entries(tmp.path()) == std::set<std::string>{"app.conf"});
}

BOOST_AUTO_TEST_CASE(moved_from_atomic_file_does_not_remove_the_temp_file)
{
  const fs::path file = tmp.write("app.conf", "old\n");
  auto atomic = AtomicFile::open(file.string());
  BOOST_TEST_REQUIRE(atomic.has_value());
  AtomicFile moved(std::move(*atomic));
  BOOST_TEST_REQUIRE(moved.write("new\n").has_value());
  BOOST_TEST_REQUIRE(moved.commit().has_value());
  BOOST_TEST(read_file(file) == "new\n");
  BOOST_TEST(!moved.commit().has_value()); // commit happens once
}

BOOST_AUTO_TEST_CASE(missing_target_fails_by_default_and_is_created_on_request)
{
  const std::string file = path("new.conf");
  auto st = replace_file_atomically(file, "x\n");
  BOOST_TEST_REQUIRE(!st.has_value());
  BOOST_TEST((st.error().code() == ErrorCode::not_found));
  BOOST_TEST(!fs::exists(file));

  AtomicWriteOptions options;
  options.missing = MissingTarget::create;
  BOOST_TEST_REQUIRE(replace_file_atomically(file, "x\n", options).has_value());
  BOOST_TEST(read_file(file) == "x\n");
  BOOST_TEST((stat_of(file).st_mode & 07777) == 0600U);
}

BOOST_AUTO_TEST_CASE(failure_at_fsync_dir_removes_a_newly_created_file)
{
  const std::string file = path("new.conf");
  AtomicWriteOptions options;
  options.missing = MissingTarget::create;
  options.failure_injector = fail_at(AtomicStep::fsync_dir);
  BOOST_TEST(!replace_file_atomically(file, "x\n", options).has_value());
  BOOST_TEST(entries(tmp.path()).empty());
}

BOOST_AUTO_TEST_CASE(explicit_attributes_override_the_original)
{
  const fs::path file = tmp.write("app.conf", "old\n");
  AtomicWriteOptions options;
  options.attributes = FileAttributes{0604, static_cast<std::uint32_t>(::geteuid()),
                                      static_cast<std::uint32_t>(::getegid()), {}};
  BOOST_TEST_REQUIRE(replace_file_atomically(file.string(), "new\n", options).has_value());
  BOOST_TEST((stat_of(file).st_mode & 07777) == 0604U);
}

BOOST_AUTO_TEST_CASE(non_regular_files_are_refused)
{
  fs::create_directories(tmp.path() / "dir");
  auto st = replace_file_atomically(path("dir"), "x");
  BOOST_TEST_REQUIRE(!st.has_value());
  BOOST_TEST((st.error().code() == ErrorCode::unsupported));

  BOOST_REQUIRE(::mkfifo(path("fifo").c_str(), 0600) == 0);
  st = replace_file_atomically(path("fifo"), "x");
  BOOST_TEST_REQUIRE(!st.has_value());
  BOOST_TEST((st.error().code() == ErrorCode::unsupported));
}

BOOST_AUTO_TEST_CASE(hard_links_are_refused_unless_allowed)
{
  const fs::path file = tmp.write("app.conf", "old\n");
  fs::create_hard_link(file, tmp.path() / "other-name.conf");
  auto st = replace_file_atomically(file.string(), "new\n");
  BOOST_TEST_REQUIRE(!st.has_value());
  BOOST_TEST((st.error().code() == ErrorCode::unsupported));
  BOOST_TEST(read_file(file) == "old\n");

  AtomicWriteOptions options;
  options.hard_links = HardLinks::break_link;
  BOOST_TEST_REQUIRE(replace_file_atomically(file.string(), "new\n", options).has_value());
  BOOST_TEST(read_file(file) == "new\n");
  BOOST_TEST(read_file(tmp.path() / "other-name.conf") == "old\n");
}

BOOST_AUTO_TEST_CASE(a_concurrent_replacement_is_detected_and_kept)
{
  const fs::path file = tmp.write("app.conf", "old\n");
  const fs::path theirs = tmp.write("theirs.tmp", "someone else's write\n");
  AtomicWriteOptions options;
  options.failure_injector = [&](AtomicStep step) -> Status {
    if (step == AtomicStep::rename) {
      fs::rename(theirs, file); // another program replaces the file between open and commit
    }
    return {};
  };
  const Status st = replace_file_atomically(file.string(), "ours\n", options);
  BOOST_TEST_REQUIRE(!st.has_value());
  BOOST_TEST((st.error().code() == ErrorCode::conflict));
  BOOST_TEST(read_file(file) == "someone else's write\n");
  BOOST_TEST(entries(tmp.path()) == std::set<std::string>{"app.conf"});
}

BOOST_AUTO_TEST_CASE(stale_temp_files_are_found_and_removed)
{
  const fs::path file = tmp.write("app.conf", "current\n");
  tmp.write(".app.conf.cfmigrate-0123456789ab.tmp", "left by a crash\n");
  tmp.write(".app.conf.cfmigrate-notrandomhex.tmp", "not ours\n");
  tmp.write(".other.conf.cfmigrate-0123456789ab.tmp", "another file's\n");
  auto removed = remove_stale_temp_files(file.string());
  BOOST_TEST_REQUIRE(removed.has_value());
  BOOST_TEST(*removed == 1U);
  BOOST_TEST(entries(tmp.path())
             == (std::set<std::string>{"app.conf", ".app.conf.cfmigrate-notrandomhex.tmp",
                                       ".other.conf.cfmigrate-0123456789ab.tmp"}));
}

BOOST_AUTO_TEST_CASE(temp_file_lives_next_to_the_target_and_is_private)
{
  const fs::path file = tmp.write("sub/app.conf", "old\n");
  auto atomic = AtomicFile::open(file.string());
  BOOST_TEST_REQUIRE(atomic.has_value());
  BOOST_TEST(fs::path(atomic->temp_path()).parent_path() == file.parent_path());
  BOOST_TEST(fs::path(atomic->temp_path()).filename().string().rfind(".app.conf.cfmigrate-", 0) == 0U);
  BOOST_TEST((stat_of(atomic->temp_path()).st_mode & 07777) == 0600U);
}

BOOST_AUTO_TEST_SUITE_END()
