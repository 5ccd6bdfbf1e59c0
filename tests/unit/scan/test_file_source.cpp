#include <cfmigrate/scan/file_source.hpp>

#include "../../support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <fcntl.h>

using namespace cfmigrate;
using namespace cfmigrate::scan;

BOOST_AUTO_TEST_SUITE(file_source)

BOOST_AUTO_TEST_CASE(stream_covers_the_file_in_overlapping_pieces)
{
  test::TempDir dir;
  std::string content;
  for (int i = 0; content.size() < 300 * 1024; ++i) {
    content += "line " + std::to_string(i) + " of a log\n";
  }
  auto path = dir.write("big.log", content);
  FileSource source(16 * 1024 * 1024);
  BOOST_TEST_REQUIRE(source.open(AT_FDCWD, path.c_str()).has_value());
  std::string rebuilt;
  std::size_t pieces = 0;
  auto outcome = source.stream(64 * 1024, 100, [&](std::string_view piece) {
    // Every piece after the first starts with the last 100 bytes of the one before.
    if (pieces++ > 0) {
      BOOST_TEST(rebuilt.substr(rebuilt.size() - 100) == std::string(piece.substr(0, 100)));
      piece.remove_prefix(100);
    }
    rebuilt += piece;
    return false;
  });
  BOOST_TEST_REQUIRE(outcome.has_value());
  BOOST_TEST((*outcome == ReadOutcome::text));
  BOOST_TEST(!source.stopped());
  BOOST_TEST(pieces >= 5U);
  BOOST_TEST(rebuilt == content);
  BOOST_TEST(source.streamed() == content.size());
}

BOOST_AUTO_TEST_CASE(stream_stops_when_asked_and_detects_binaries)
{
  test::TempDir dir;
  auto text = dir.write("a.log", std::string(200 * 1024, 'a'));
  FileSource source(16 * 1024 * 1024);
  BOOST_TEST_REQUIRE(source.open(AT_FDCWD, text.c_str()).has_value());
  int calls = 0;
  auto outcome = source.stream(64 * 1024, 10, [&](std::string_view) { return ++calls == 2; });
  BOOST_TEST_REQUIRE(outcome.has_value());
  BOOST_TEST(source.stopped());
  BOOST_TEST(calls == 2);
  // Stopped early, the file is still open and read() gives all of it.
  outcome = source.read();
  BOOST_TEST_REQUIRE(outcome.has_value());
  BOOST_TEST((*outcome == ReadOutcome::text));
  BOOST_TEST(source.content().size() == 200U * 1024U);

  std::string bytes(200 * 1024, 'b');
  bytes[1000] = '\0';
  auto binary = dir.write("a.bin", bytes);
  BOOST_TEST_REQUIRE(source.open(AT_FDCWD, binary.c_str()).has_value());
  outcome = source.stream(64 * 1024, 10, [&](std::string_view) { return false; });
  BOOST_TEST_REQUIRE(outcome.has_value());
  BOOST_TEST((*outcome == ReadOutcome::binary));

  FileSource capped(100 * 1024);
  BOOST_TEST_REQUIRE(capped.open(AT_FDCWD, text.c_str()).has_value());
  outcome = capped.stream(64 * 1024, 10, [&](std::string_view) { return false; });
  BOOST_TEST_REQUIRE(outcome.has_value());
  BOOST_TEST((*outcome == ReadOutcome::too_large));
}

BOOST_AUTO_TEST_CASE(reads_relative_to_a_directory_and_reports_non_regular_files)
{
  test::TempDir dir;
  dir.write("d/f.conf", "a = 1\n");
  int dir_fd = ::open((dir.path() / "d").c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  BOOST_TEST_REQUIRE(dir_fd >= 0);
  FileSource source(1024);
  auto size = source.open(dir_fd, "f.conf");
  BOOST_TEST_REQUIRE(size.has_value());
  BOOST_TEST(*size == 6U);
  auto outcome = source.read();
  BOOST_TEST_REQUIRE(outcome.has_value());
  BOOST_TEST((*outcome == ReadOutcome::text));
  BOOST_TEST(source.content() == "a = 1\n");
  BOOST_TEST_REQUIRE(source.open(AT_FDCWD, dir.path().c_str()).has_value());  // a directory opens read-only
  outcome = source.read();
  BOOST_TEST_REQUIRE(outcome.has_value());
  BOOST_TEST((*outcome == ReadOutcome::special));
  BOOST_TEST(!source.open(dir_fd, "missing").has_value());
  ::close(dir_fd);
}

BOOST_AUTO_TEST_SUITE_END()
