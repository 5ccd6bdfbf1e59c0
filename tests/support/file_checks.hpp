#pragma once
// Filesystem checks shared by the unit tests of the file-writing primitives.

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <set>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

namespace cfmigrate::test {

// lstat of `p`; the test fails (and stops) when it does not exist.
inline struct stat stat_of(const std::filesystem::path& p)
{
  struct stat st {};
  BOOST_REQUIRE(::lstat(p.c_str(), &st) == 0);
  return st;
}

// The names in `dir` (to prove no temp file was left behind).
inline std::set<std::string> entries(const std::filesystem::path& dir)
{
  std::set<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    names.insert(e.path().filename().string());
  }
  return names;
}

// A Boost.Test precondition: the case needs root (to give files to another uid/gid).
inline boost::test_tools::assertion_result running_as_root(boost::unit_test::test_unit_id)
{
  boost::test_tools::assertion_result r{::geteuid() == 0};
  r.message() << "needs root to give files to another uid/gid";
  return r;
}

} // namespace cfmigrate::test
