// The anchored replace (issue 12, finding 1): a file reached from the root's directory handle is
// never written through a symlink that replaced it or one of its directories, and only the inode
// that was read is replaced.
#include <cfmigrate/util/atomic_file.hpp>

#include "../../support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <filesystem>

#include <sys/stat.h>

namespace fs = std::filesystem;
using namespace cfmigrate;
using cfmigrate::test::read_file;
using cfmigrate::test::TempDir;

namespace {

struct Victim {
  TempDir tmp;
  fs::path root;
  fs::path outside;  // stands for /etc/passwd: must never change
  UniqueFd root_fd;
  Victim()
  {
    root = tmp.path() / "root";
    tmp.write("root/home/alice/.acme.sh/account.conf", "SAVED_CF_Key='k'\n");
    outside = tmp.write("outside/passwd", "root:x:0:0\n");
    root_fd = std::move(*open_root_directory(root.string()));
  }
  FileIdentity identity() const
  {
    struct stat st {};
    ::lstat((root / "home/alice/.acme.sh/account.conf").c_str(), &st);
    return identity_of(st);
  }
  Status replace(std::optional<FileIdentity> expected)
  {
    AtomicWriteOptions options;
    options.anchor = Anchor{root_fd.get(), "/home/alice/.acme.sh/account.conf", 0, expected, std::nullopt};
    return replace_file_atomically("/home/alice/.acme.sh/account.conf", "CF_Token='t'\n", options);
  }
};

} // namespace

BOOST_AUTO_TEST_SUITE(atomic_file_anchored)

BOOST_AUTO_TEST_CASE(the_file_that_was_read_is_replaced)
{
  Victim v;
  BOOST_REQUIRE(v.replace(v.identity()));
  BOOST_TEST(read_file(v.root / "home/alice/.acme.sh/account.conf") == "CF_Token='t'\n");
}

BOOST_AUTO_TEST_CASE(a_file_swapped_for_a_symlink_is_not_written_through)
{
  Victim v;
  const FileIdentity read = v.identity();
  const fs::path conf = v.root / "home/alice/.acme.sh/account.conf";
  fs::remove(conf);
  fs::create_symlink(v.outside, conf);
  BOOST_TEST(!v.replace(read));
  BOOST_TEST(read_file(v.outside) == "root:x:0:0\n");
  BOOST_TEST(fs::is_symlink(conf));
}

BOOST_AUTO_TEST_CASE(a_directory_swapped_for_a_symlink_is_not_walked_through)
{
  Victim v;
  const FileIdentity read = v.identity();
  fs::rename(v.root / "home/alice/.acme.sh", v.root / "home/alice/old");
  fs::create_directory_symlink(v.outside.parent_path(), v.root / "home/alice/.acme.sh");
  fs::copy_file(v.outside, v.outside.parent_path() / "account.conf");
  BOOST_TEST(!v.replace(read));
  BOOST_TEST(read_file(v.outside.parent_path() / "account.conf") == "root:x:0:0\n");
}

BOOST_AUTO_TEST_CASE(another_inode_under_the_name_is_a_conflict)
{
  Victim v;
  const FileIdentity read = v.identity();
  const fs::path conf = v.root / "home/alice/.acme.sh/account.conf";
  fs::rename(conf, v.root / "home/alice/.acme.sh/kept");  // keeps the inode in use, so the new one differs
  v.tmp.write("root/home/alice/.acme.sh/account.conf", "planted\n");
  Status s = v.replace(read);
  BOOST_REQUIRE(!s);
  BOOST_TEST((s.error().code() == ErrorCode::conflict));
  BOOST_TEST(read_file(conf) == "planted\n");
}

BOOST_AUTO_TEST_SUITE_END()
