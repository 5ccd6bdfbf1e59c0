#include <cfmigrate/util/base64.hpp>
#include <cfmigrate/util/errno_text.hpp>
#include <cfmigrate/util/file_content.hpp>
#include <cfmigrate/util/hex.hpp>
#include <cfmigrate/util/json_file.hpp>
#include <cfmigrate/util/text.hpp>

#include "../../support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <cerrno>
#include <fstream>
#include <string>

#include <fcntl.h>
#include <unistd.h>

using namespace cfmigrate;

namespace {

std::string all_bytes()
{
  std::string bytes;
  for (int b = 0; b < 256; ++b) {
    bytes.push_back(static_cast<char>(b));
  }
  return bytes;
}

void write_file(const std::string& path, const std::string& content)
{
  std::ofstream(path, std::ios::binary) << content;
}

} // namespace

BOOST_AUTO_TEST_SUITE(util_encoding_helpers)

BOOST_AUTO_TEST_CASE(hex_round_trips_every_byte)
{
  const std::string bytes = all_bytes();
  const std::string hex = to_hex(bytes);
  BOOST_TEST(hex.size() == 512U);
  BOOST_TEST(hex.substr(0, 6) == "000102");
  BOOST_TEST(hex.substr(506) == "fdfeff");
  BOOST_TEST(from_hex(hex).value() == bytes);
  BOOST_TEST(to_hex("") == "");
}

BOOST_AUTO_TEST_CASE(hex_rejects_odd_length_and_foreign_digits)
{
  BOOST_TEST(!from_hex("abc").has_value());
  BOOST_TEST(!from_hex("0g").has_value());
  BOOST_TEST(!from_hex("AB").has_value()); // to_hex writes lowercase only
  BOOST_TEST(from_hex("").value().empty());
}

BOOST_AUTO_TEST_CASE(random_hex_has_the_asked_length_and_varies)
{
  const std::string a = random_hex(16);
  BOOST_TEST(a.size() == 32U);
  BOOST_TEST(from_hex(a).has_value());
  BOOST_TEST(a != random_hex(16));
}

BOOST_AUTO_TEST_CASE(base64_known_values_and_round_trip)
{
  BOOST_TEST(base64_encode("") == "");
  BOOST_TEST(base64_encode("f") == "Zg==");
  BOOST_TEST(base64_encode("fo") == "Zm8=");
  BOOST_TEST(base64_encode("foo") == "Zm9v");
  BOOST_TEST(base64_encode("cfk_") == "Y2ZrXw==");
  BOOST_TEST(base64_decode("Zg==").value() == "f");
  BOOST_TEST(base64_decode("Zm8=").value() == "fo");
  BOOST_TEST(base64_decode("").value() == "");
  const std::string bytes = all_bytes();
  BOOST_TEST(base64_decode(base64_encode(bytes)).value() == bytes);
}

BOOST_AUTO_TEST_CASE(base64_decode_of_invalid_input_is_an_error)
{
  for (const char* bad : {"Zg=", "Zg", "Z===", "====", "Z=g=", "Zm9v!", "Zm 9v", " Zm9v", "Zm9v\n", "Zg==Zg=="}) {
    auto decoded = base64_decode(bad);
    BOOST_TEST(!decoded.has_value(), "accepted: " << bad);
    if (!decoded) {
      BOOST_TEST((decoded.error().code() == ErrorCode::parse));
      BOOST_TEST(decoded.error().message().find(bad) == std::string::npos);
    }
  }
}

BOOST_AUTO_TEST_CASE(ascii_lower_case_keeps_other_bytes)
{
  BOOST_TEST(to_lower("X-Auth-KEY \xC3\x84") == "x-auth-key \xC3\x84");
}

BOOST_AUTO_TEST_CASE(errno_text_is_the_c_library_text)
{
  BOOST_TEST(errno_text(ENOENT) == "No such file or directory");
}

BOOST_AUTO_TEST_CASE(file_content_reads_whole_files_and_names_errors)
{
  cfmigrate::test::TempDir dir;
  const std::string path = dir.path().string() + "/a.txt";
  std::string big(200000, 'x');
  big += "end";
  write_file(path, big);
  BOOST_TEST(read_file_content(path).value() == big);

  auto missing = read_file_content(dir.path().string() + "/none");
  BOOST_REQUIRE(!missing.has_value());
  BOOST_TEST((missing.error().code() == ErrorCode::not_found));
  BOOST_TEST(missing.error().path() == dir.path().string() + "/none");

  const std::string link = dir.path().string() + "/link";
  BOOST_REQUIRE(::symlink(path.c_str(), link.c_str()) == 0);
  BOOST_TEST(read_file_content(link).value() == big);
  BOOST_TEST(!read_file_content(link, FinalSymlink::refuse).has_value());

  auto directory = read_file_content(dir.path().string());
  BOOST_REQUIRE(!directory.has_value());
  BOOST_TEST((directory.error().code() == ErrorCode::io));
}

BOOST_AUTO_TEST_CASE(fd_content_reads_from_the_start_without_moving)
{
  cfmigrate::test::TempDir dir;
  const std::string path = dir.path().string() + "/b.txt";
  write_file(path, "hello world");
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  BOOST_REQUIRE(fd >= 0);
  BOOST_REQUIRE(::lseek(fd, 6, SEEK_SET) == 6);
  BOOST_TEST(read_fd_content(fd, path).value() == "hello world");
  BOOST_TEST(::lseek(fd, 0, SEEK_CUR) == 6);
  ::close(fd);

  int pipe_fds[2];
  BOOST_REQUIRE(::pipe(pipe_fds) == 0);
  BOOST_REQUIRE(::write(pipe_fds[1], "piped", 5) == 5);
  ::close(pipe_fds[1]);
  BOOST_TEST(read_fd_content(pipe_fds[0], "pipe").value() == "piped");
  ::close(pipe_fds[0]);
}

BOOST_AUTO_TEST_CASE(json_file_errors_are_values)
{
  cfmigrate::test::TempDir dir;
  const std::string path = dir.path().string() + "/doc.json";
  write_file(path, "{\"a\": [1, 2");
  auto truncated = read_json_file(path);
  BOOST_REQUIRE(!truncated.has_value());
  BOOST_TEST((truncated.error().code() == ErrorCode::parse));
  write_file(path, "{\"a\": [1, 2]}");
  BOOST_TEST(read_json_file(path).value().as_object().at("a").as_array().size() == 2U);
  BOOST_TEST(!read_json_file(dir.path().string() + "/none.json").has_value());
}

BOOST_AUTO_TEST_SUITE_END()
