#include <cfmigrate/util/anchored_path.hpp>
#include <cfmigrate/util/file_content.hpp>

#include "../../support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <filesystem>

#include <sys/stat.h>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace cfmigrate;
using cfmigrate::test::TempDir;

namespace {

struct Tree {
  TempDir tmp;
  UniqueFd root;
  Tree()
  {
    tmp.write("home/alice/.acme.sh/account.conf", "SAVED_CF_Key='x'\n");
    root = std::move(*open_root_directory(tmp.path().string()));
  }
  Result<AnchoredParent> parent(const std::string& relative, std::uint32_t owner = 0) const
  {
    return open_parent_beneath(root.get(), relative, TrustedOwners{owner});
  }
};

} // namespace

BOOST_AUTO_TEST_SUITE(anchored_path)

BOOST_AUTO_TEST_CASE(paths_are_normalised_and_dot_dot_is_refused)
{
  BOOST_TEST(*normalize_beneath("/a/./b//c") == "a/b/c");
  BOOST_TEST(*normalize_beneath("a/b/") == "a/b");
  BOOST_TEST(!normalize_beneath("/a/../etc/passwd"));
  BOOST_TEST(!normalize_beneath(""));
  BOOST_TEST(!normalize_beneath("/"));
  BOOST_TEST(!normalize_beneath(std::string_view("a\0b", 3)));
}

BOOST_AUTO_TEST_CASE(a_plain_path_is_opened_from_the_root_handle)
{
  Tree t;
  auto p = t.parent("/home/alice/.acme.sh/account.conf");
  BOOST_REQUIRE(p);
  BOOST_TEST(p->name == "account.conf");
  BOOST_TEST(p->display_path == "/home/alice/.acme.sh/account.conf");
  auto f = open_regular_file_at(p->dir.get(), p->name, p->display_path);
  BOOST_REQUIRE(f);
  BOOST_TEST(*read_fd_content(f->fd.get(), p->display_path, 1024) == "SAVED_CF_Key='x'\n");
}

BOOST_AUTO_TEST_CASE(a_symlinked_directory_on_the_way_is_refused)
{
  Tree t;
  fs::create_directories(t.tmp.path() / "etc");
  fs::rename(t.tmp.path() / "home/alice/.acme.sh", t.tmp.path() / "home/alice/moved");
  fs::create_directory_symlink(t.tmp.path() / "etc", t.tmp.path() / "home/alice/.acme.sh");
  auto p = t.parent("home/alice/.acme.sh/account.conf");
  BOOST_REQUIRE(!p);
  BOOST_TEST((p.error().code() == ErrorCode::unsupported));
  // A relative link that stays inside the root is refused too: nothing the plan did not record.
  fs::remove(t.tmp.path() / "home/alice/.acme.sh");
  fs::create_directory_symlink("moved", t.tmp.path() / "home/alice/.acme.sh");
  BOOST_TEST(!static_cast<bool>(t.parent("home/alice/.acme.sh/account.conf")));
}

BOOST_AUTO_TEST_CASE(a_symlink_fifo_or_device_in_place_of_the_file_is_refused_without_blocking)
{
  Tree t;
  const fs::path conf = t.tmp.path() / "home/alice/.acme.sh/account.conf";
  auto p = t.parent("home/alice/.acme.sh/account.conf");
  BOOST_REQUIRE(p);

  fs::remove(conf);
  fs::create_symlink("/etc/passwd", conf);
  auto link = open_regular_file_at(p->dir.get(), p->name, p->display_path);
  BOOST_REQUIRE(!link);
  BOOST_TEST((link.error().code() == ErrorCode::unsupported));

  fs::remove(conf);
  BOOST_REQUIRE(::mkfifo(conf.c_str(), 0600) == 0);
  auto fifo = open_regular_file_at(p->dir.get(), p->name, p->display_path);  // returns at once
  BOOST_REQUIRE(!fifo);
  BOOST_TEST((fifo.error().code() == ErrorCode::unsupported));

  fs::remove(conf);
  fs::create_symlink("/dev/zero", conf);
  BOOST_TEST(!open_regular_file_at(p->dir.get(), p->name, p->display_path));
}

BOOST_AUTO_TEST_CASE(a_directory_another_user_controls_is_hostile)
{
  if (::geteuid() != 0) {
    BOOST_TEST_MESSAGE("needs root to chown");
    return;
  }
  Tree t;
  const fs::path dir = t.tmp.path() / "home/alice/.acme.sh";
  BOOST_REQUIRE(::chown(dir.c_str(), 4242, 4242) == 0);
  // Owned by the file's owner: fine.
  BOOST_TEST(static_cast<bool>(t.parent("home/alice/.acme.sh/account.conf", 4242)));
  // Owned by someone else than root and the file's owner: refused, naming the directory.
  auto other = t.parent("home/alice/.acme.sh/account.conf", 1000);
  BOOST_REQUIRE(!other);
  BOOST_TEST((other.error().code() == ErrorCode::conflict));
  BOOST_TEST(other.error().path() == "/home/alice/.acme.sh");
  BOOST_TEST(other.error().message().find("uid 4242") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_world_writable_directory_without_sticky_bit_is_hostile)
{
  Tree t;
  const fs::path dir = t.tmp.path() / "home/alice";
  BOOST_REQUIRE(::chmod(dir.c_str(), 0777) == 0);
  BOOST_TEST(!static_cast<bool>(t.parent("home/alice/.acme.sh/account.conf", ::geteuid())));
  BOOST_REQUIRE(::chmod(dir.c_str(), 01777) == 0);
  BOOST_TEST(static_cast<bool>(t.parent("home/alice/.acme.sh/account.conf", ::geteuid())));
}

BOOST_AUTO_TEST_CASE(reading_stops_at_the_limit)
{
  Tree t;
  auto p = t.parent("home/alice/.acme.sh/account.conf");
  BOOST_REQUIRE(p);
  auto f = open_regular_file_at(p->dir.get(), p->name, p->display_path);
  BOOST_REQUIRE(f);
  auto r = read_fd_content(f->fd.get(), p->display_path, 4);
  BOOST_REQUIRE(!r);
  BOOST_TEST((r.error().code() == ErrorCode::unsupported));
}

BOOST_AUTO_TEST_SUITE_END()
