// Output hygiene of the built binary (issue 12, finding 9): option values checked as usage errors,
// control characters in file names escaped in human output, non-UTF-8 names lossless in JSON and
// SARIF, and every report write checked (full disk, closed pipe).

#include <cfmigrate/cli/exit_codes.hpp>
#include <cfmigrate/util/base64.hpp>

#include "../support/run_process.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <filesystem>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;
namespace json = boost::json;
using cfmigrate::test::ProcessResult;
using cfmigrate::test::run_process;
using cfmigrate::test::TempDir;
using cfmigrate::cli::k_exit_error;
using cfmigrate::cli::k_exit_found;
using cfmigrate::cli::k_exit_usage;

namespace {

const std::string k_key = "5d0c3b9a8e7f6a5b4c3d2e1f0a9b8c7d6e5f4";  // 37 hex, made for this test
const std::string k_hostile_name = "a\x1b[2Jb\nc.ini";                // clears the screen when printed raw
const std::string k_non_utf8_name = "bad\xff\xfe.ini";

ProcessResult run_cli(const std::vector<std::string>& args)
{
  std::vector<std::string> argv{CFMIGRATE_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_process(argv);
}

// A tree with one certbot credential file under `name` in etc/letsencrypt.
void write_key_file(const TempDir& dir, const std::string& name)
{
  dir.write("etc/letsencrypt/" + name, "dns_cloudflare_email = ops@example.com\ndns_cloudflare_api_key = " + k_key + "\n");
}

// Runs `cfmigrate args` with stdout on a pipe whose read end is already closed.
int run_into_closed_pipe(const std::vector<std::string>& args, std::string& err_text)
{
  TempDir capture;
  const std::string err_path = (capture.path() / "stderr").string();
  int fds[2];
  BOOST_TEST_REQUIRE(::pipe(fds) == 0);
  ::close(fds[0]);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
  posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  std::vector<std::string> argv{CFMIGRATE_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<char*> c_argv;
  for (auto& a : argv) {
    c_argv.push_back(a.data());
  }
  c_argv.push_back(nullptr);
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, c_argv[0], &actions, nullptr, c_argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(fds[1]);
  BOOST_TEST_REQUIRE(spawned == 0);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
  }
  err_text = cfmigrate::test::read_file(err_path);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

} // namespace

BOOST_AUTO_TEST_SUITE(cli_hygiene)

BOOST_AUTO_TEST_CASE(numeric_options_are_usage_errors_quickly)
{
  TempDir tree;
  for (const char* threads : {"100000", "-1", "65", "4294967297"}) {
    const auto start = std::chrono::steady_clock::now();
    ProcessResult r = run_cli({"scan", "--root", tree.path().string(), "--threads", threads});
    BOOST_TEST_INFO(threads);
    BOOST_TEST(r.exit_code == k_exit_usage);
    BOOST_TEST(r.err.find("--threads") != std::string::npos);
    BOOST_TEST((std::chrono::steady_clock::now() - start < std::chrono::seconds(5)));
  }
  BOOST_TEST(run_cli({"scan", "--root", tree.path().string(), "--max-file-size", "-1"}).exit_code == k_exit_usage);
  BOOST_TEST(run_cli({"plan", "--root", tree.path().string(), "--expires", "2001-01-01"}).exit_code == k_exit_usage);
  BOOST_TEST(run_cli({"plan", "--root", tree.path().string(), "--allow-ip", "10.0.0.0/99"}).exit_code == k_exit_usage);
  BOOST_TEST(run_cli({"plan", "--root", tree.path().string(), "--rate-limit", "-1/300"}).exit_code == k_exit_usage);
}

BOOST_AUTO_TEST_CASE(control_characters_in_names_are_escaped)
{
  TempDir tree;
  write_key_file(tree, k_hostile_name);
  ProcessResult r = run_cli({"scan", "--root", tree.path().string()});
  BOOST_TEST(r.exit_code == k_exit_found, r.err);
  BOOST_TEST(r.out.find("a\\x1b[2Jb\\x0ac.ini") != std::string::npos, r.out);
  BOOST_TEST(r.out.find('\x1b') == std::string::npos);
  BOOST_TEST(r.err.find('\x1b') == std::string::npos);
}

BOOST_AUTO_TEST_CASE(non_utf8_names_round_trip_through_json_and_sarif)
{
  TempDir tree;
  write_key_file(tree, k_non_utf8_name);
  const std::string raw = "/etc/letsencrypt/" + k_non_utf8_name;

  ProcessResult r = run_cli({"scan", "--root", tree.path().string(), "--format", "json"});
  BOOST_TEST_REQUIRE(r.exit_code == k_exit_found, r.err);
  json::value doc = json::parse(r.out);  // throws (test fails) on invalid UTF-8
  const json::object& finding = doc.at("findings").at(0).as_object();
  BOOST_TEST(json::value_to<std::string>(finding.at("path")).find("bad") != std::string::npos);
  auto decoded = cfmigrate::base64_decode(json::value_to<std::string>(finding.at("path_bytes")));
  BOOST_TEST_REQUIRE(static_cast<bool>(decoded));
  BOOST_TEST(*decoded == raw);

  r = run_cli({"scan", "--root", tree.path().string(), "--format", "sarif"});
  BOOST_TEST_REQUIRE(r.exit_code == k_exit_found, r.err);
  doc = json::parse(r.out);
  const json::value& artifact =
    doc.at("runs").at(0).at("results").at(0).at("locations").at(0).at("physicalLocation").at("artifactLocation");
  decoded = cfmigrate::base64_decode(json::value_to<std::string>(artifact.at("properties").at("path_bytes")));
  BOOST_TEST_REQUIRE(static_cast<bool>(decoded));
  BOOST_TEST(*decoded == raw);
}

BOOST_AUTO_TEST_CASE(valid_utf8_names_have_no_path_bytes)
{
  TempDir tree;
  write_key_file(tree, "cloudflare.ini");
  ProcessResult r = run_cli({"scan", "--root", tree.path().string(), "--format", "json"});
  json::value doc = json::parse(r.out);
  BOOST_TEST(!doc.at("findings").at(0).as_object().contains("path_bytes"));
}

BOOST_AUTO_TEST_CASE(full_disk_and_closed_pipe_are_errors)
{
  TempDir tree;
  write_key_file(tree, "cloudflare.ini");
  const std::string root = tree.path().string();

  ProcessResult r = run_cli({"scan", "--root", root, "-o", "/dev/full"});
  BOOST_TEST(r.exit_code == k_exit_error);
  BOOST_TEST(r.err.find("cfmigrate scan: writing /dev/full: No space left on device") != std::string::npos, r.err);

  r = run_process({"/bin/sh", "-c", "exec \"$0\" scan --root \"$1\" --format json >/dev/full", CFMIGRATE_BINARY, root});
  BOOST_TEST(r.exit_code == k_exit_error);
  BOOST_TEST(r.err.find("writing standard output: No space left on device") != std::string::npos, r.err);

  std::string err;
  BOOST_TEST(run_into_closed_pipe({"scan", "--root", root, "--format", "json"}, err) == k_exit_error);
  BOOST_TEST(err.find("writing standard output: Broken pipe") != std::string::npos, err);
}

BOOST_AUTO_TEST_CASE(output_file_is_complete_or_absent)
{
  TempDir tree;
  write_key_file(tree, "cloudflare.ini");
  TempDir out_dir;
  const fs::path report = out_dir.path() / "report.json";
  ProcessResult r = run_cli({"scan", "--root", tree.path().string(), "--format", "json", "-o", report.string()});
  BOOST_TEST(r.exit_code == k_exit_found, r.err);
  BOOST_TEST(json::parse(cfmigrate::test::read_file(report.string())).is_object());
  // A directory that does not exist: an error naming the file, and nothing left behind.
  r = run_cli({"scan", "--root", tree.path().string(), "-o", (out_dir.path() / "missing" / "r.txt").string()});
  BOOST_TEST(r.exit_code == k_exit_error);
  BOOST_TEST(r.err.find("r.txt") != std::string::npos, r.err);
  BOOST_TEST(!fs::exists(out_dir.path() / "missing"));
}

BOOST_AUTO_TEST_SUITE_END()
