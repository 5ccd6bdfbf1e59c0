// Drives the built `cfmigrate scan` binary: exit codes, output formats, path reporting under
// --root, walker limits, and the redaction guarantee over every fixture.

#include <cfmigrate/cli/exit_codes.hpp>
#include <cfmigrate/recipe/recipe_loader.hpp>
#include <cfmigrate/scan/scanner.hpp>

#include "../support/run_process.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <sys/stat.h>

namespace fs = std::filesystem;
namespace json = boost::json;
using cfmigrate::test::ProcessResult;
using cfmigrate::test::run_process;
using cfmigrate::test::TempDir;
using cfmigrate::cli::k_exit_error;
using cfmigrate::cli::k_exit_found;
using cfmigrate::cli::k_exit_ok;
using cfmigrate::cli::k_exit_usage;

namespace {

const std::string k_key = "5d0c3b9a8e7f6a5b4c3d2e1f0a9b8c7d6e5f4";  // 37 hex, made for this test

ProcessResult scan(const std::vector<std::string>& args)
{
  std::vector<std::string> argv{CFMIGRATE_BINARY, "scan"};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_process(argv);
}

json::value scan_json(const std::vector<std::string>& args)
{
  std::vector<std::string> all = args;
  all.push_back("--format");
  all.push_back("json");
  ProcessResult r = scan(all);
  BOOST_TEST_REQUIRE((r.exit_code == k_exit_ok || r.exit_code == k_exit_found), r.err);
  return json::parse(r.out);
}

void write_certbot(const TempDir& dir, const std::string& relative = "etc/letsencrypt/cloudflare.ini")
{
  dir.write(relative, "dns_cloudflare_email = ops@example.com\ndns_cloudflare_api_key = " + k_key + "\n");
}

} // namespace

BOOST_AUTO_TEST_SUITE(scan_cli)

BOOST_AUTO_TEST_CASE(exit_codes)
{
  TempDir empty;
  empty.write("etc/hosts", "127.0.0.1 localhost\n");
  BOOST_TEST(scan({"--root", empty.path().string()}).exit_code == k_exit_ok);

  TempDir found;
  write_certbot(found);
  BOOST_TEST(scan({"--root", found.path().string()}).exit_code == k_exit_found);

  BOOST_TEST(scan({"--root", "/nonexistent/cfmigrate-root"}).exit_code == k_exit_error);
  BOOST_TEST(scan({"--format", "xml"}).exit_code == k_exit_usage);
  BOOST_TEST(scan({"--no-such-flag"}).exit_code == k_exit_usage);
  BOOST_TEST(run_process({CFMIGRATE_BINARY, "frobnicate"}).exit_code == k_exit_usage);
}

BOOST_AUTO_TEST_CASE(json_report_paths_are_as_on_the_scanned_system)
{
  TempDir dir;
  write_certbot(dir);
  json::value doc = scan_json({"--root", dir.path().string()});
  BOOST_TEST(doc.at("format").as_string() == "cfmigrate.scan/1");
  BOOST_TEST(doc.at("root").as_string() == fs::canonical(dir.path()).string());
  BOOST_TEST(!doc.at("host").as_string().empty());
  const auto& findings = doc.at("findings").as_array();
  BOOST_TEST_REQUIRE(findings.size() == 1U);
  const auto& f = findings[0].as_object();
  BOOST_TEST(f.at("path").as_string() == "/etc/letsencrypt/cloudflare.ini");
  BOOST_TEST(f.at("line").as_int64() == 2);
  BOOST_TEST(f.at("column").as_int64() == 26);
  BOOST_TEST(f.at("program").as_string() == "certbot-dns-cloudflare");
  BOOST_TEST(f.at("credential").as_string() == "global_key");
  BOOST_TEST(f.at("state").as_string() == "active");
  BOOST_TEST(f.at("email").as_string() == "ops@example.com");
  BOOST_TEST(f.at("encoding").as_string() == "plain");
  BOOST_TEST(f.at("fingerprint").as_string() == cfmigrate::Secret(k_key).fingerprint());
  BOOST_TEST(f.at("spans").at("value").at("length").as_int64() == 37);

  // A --root tree of another host is reported under that host's name.
  json::value named = scan_json({"--root", dir.path().string(), "--host-name", "web-42"});
  BOOST_TEST(named.at("host").as_string() == "web-42");

  // An explicit PATH under --root is taken as a path on the scanned system.
  json::value only = scan_json({"--root", dir.path().string(), "/etc/letsencrypt"});
  BOOST_TEST(only.at("findings").as_array().size() == 1U);
  BOOST_TEST(only.at("paths").as_array().at(0).as_string() == "/etc/letsencrypt");
}

BOOST_AUTO_TEST_CASE(sarif_report)
{
  TempDir dir;
  write_certbot(dir);
  ProcessResult r = scan({"--root", dir.path().string(), "--format", "sarif"});
  BOOST_TEST(r.exit_code == k_exit_found);
  json::value doc = json::parse(r.out);
  BOOST_TEST(doc.at("version").as_string() == "2.1.0");
  const auto& results = doc.at("runs").at(0).at("results").as_array();
  BOOST_TEST_REQUIRE(results.size() == 1U);
  BOOST_TEST(results[0].at("ruleId").as_string() == "cfmigrate/global-api-key");
  BOOST_TEST(results[0].at("locations").at(0).at("physicalLocation").at("artifactLocation").at("uri").as_string()
             == "etc/letsencrypt/cloudflare.ini");
  BOOST_TEST(results[0].at("locations").at(0).at("physicalLocation").at("region").at("startLine").as_int64() == 2);
}

BOOST_AUTO_TEST_CASE(human_report_groups_by_key)
{
  TempDir dir;
  write_certbot(dir);
  dir.write("srv/app/.env", "CLOUDFLARE_EMAIL=ops@example.com\nCLOUDFLARE_API_KEY=" + k_key + "\n");
  ProcessResult r = scan({"--root", dir.path().string()});
  BOOST_TEST(r.exit_code == k_exit_found);
  std::string header = "Global API Key " + cfmigrate::Secret(k_key).fingerprint();
  BOOST_TEST(r.out.find(header) != std::string::npos);
  BOOST_TEST(r.out.find(header, r.out.find(header) + 1) == std::string::npos);  // one group, two uses
  BOOST_TEST(r.out.find("/etc/letsencrypt/cloudflare.ini:2") != std::string::npos);
  BOOST_TEST(r.out.find("/srv/app/.env:2") != std::string::npos);
  BOOST_TEST(r.out.find("ops@example.com") != std::string::npos);
  BOOST_TEST(r.out.find(k_key) == std::string::npos);
  BOOST_TEST(r.err.find("scanning") == std::string::npos);  // no progress line when stderr is not a terminal
}

BOOST_AUTO_TEST_CASE(binary_oversized_excluded_and_heavy_directories_are_skipped)
{
  TempDir dir;
  std::string binary = "dns_cloudflare_api_key = " + k_key + "\n";
  binary.push_back('\0');
  dir.write("etc/letsencrypt/binary.ini", binary);
  dir.write("etc/letsencrypt/big.ini", "dns_cloudflare_api_key = " + k_key + "\n" + std::string(4096, '#') + "\n");
  dir.write("srv/app/node_modules/x/.env", "CLOUDFLARE_API_KEY=" + k_key + "\n");
  dir.write("srv/app/.git/objects/ab/cd", "CLOUDFLARE_API_KEY=" + k_key + "\n");
  dir.write("srv/app/.git/config.env", "CLOUDFLARE_API_KEY=" + k_key + "\n");  // .git itself is walked
  dir.write("srv/skip/.env", "CLOUDFLARE_API_KEY=" + k_key + "\n");
  json::value doc = scan_json({"--root", dir.path().string(), "--max-file-size", "1024", "--exclude", "/srv/skip", "/"});
  const auto& skipped = doc.at("summary").at("skipped");
  BOOST_TEST(skipped.at("binary").as_int64() == 1);
  BOOST_TEST(skipped.at("too_large").as_int64() == 1);
  BOOST_TEST(skipped.at("excluded").as_int64() == 1);
  BOOST_TEST(skipped.at("heavy_directories").as_int64() == 2);
  const auto& findings = doc.at("findings").as_array();
  BOOST_TEST_REQUIRE(findings.size() == 1U);
  BOOST_TEST(findings[0].at("path").as_string() == "/srv/app/.git/config.env");
}

BOOST_AUTO_TEST_CASE(large_files_are_prefiltered_in_pieces_and_read_whole_when_they_pass)
{
  // Files above 4 MiB are first searched in 1 MiB pieces; one with a key is then read whole.
  TempDir dir;
  std::string lines;
  while (lines.size() < 6 * 1024 * 1024) {
    lines += "2025-05-18T08:58:02Z level=info msg=\"request done\" status=200 client=10.0.0.7\n";
  }
  // "CF_API_KEY", the only Cloudflare word in the file, starts 3 bytes before the end of the third
  // 1 MiB piece: found only because pieces overlap.
  std::string with_key = lines.substr(0, 3 * 1024 * 1024 - 11) + "\nexport CF_API_KEY=" + k_key + "\n"
                         + lines.substr(3 * 1024 * 1024);
  dir.write("var/log/app/debug.log", with_key);
  dir.write("var/log/app/quiet.log", lines);
  json::value doc = scan_json({"--root", dir.path().string(), "/var/log"});
  const auto& summary = doc.at("summary");
  BOOST_TEST(summary.at("files_scanned").as_int64() == 2);
  BOOST_TEST(summary.at("bytes_scanned").as_int64() == static_cast<std::int64_t>(with_key.size() + lines.size()));
  const auto& findings = doc.at("findings").as_array();
  BOOST_TEST_REQUIRE(findings.size() == 1U);
  BOOST_TEST(findings[0].at("path").as_string() == "/var/log/app/debug.log");
  BOOST_TEST(findings[0].at("line").as_int64() > 1);
}

BOOST_AUTO_TEST_CASE(symlinks_are_not_followed_and_loops_terminate)
{
  TempDir dir;
  write_certbot(dir);
  fs::create_directories(dir.path() / "srv/loop");
  fs::create_directory_symlink("..", dir.path() / "srv/loop/up");
  fs::create_directory_symlink(dir.path() / "srv", dir.path() / "srv/loop/abs");
  fs::create_symlink("/etc/passwd", dir.path() / "srv/outside");
  fs::create_symlink(dir.path() / "etc/letsencrypt/cloudflare.ini", dir.path() / "srv/inside.ini");
  json::value doc = scan_json({"--root", dir.path().string(), "/"});
  BOOST_TEST(doc.at("summary").at("skipped").at("symlinks").as_int64() == 4);
  BOOST_TEST(doc.at("findings").as_array().size() == 1U);  // reached once, through the real file
}

BOOST_AUTO_TEST_CASE(named_symlinks_are_followed_inside_the_root_and_places_walked_once)
{
  TempDir dir;
  write_certbot(dir);
  fs::create_directory_symlink("etc/letsencrypt", dir.path() / "le");            // relative
  fs::create_symlink("/etc/letsencrypt/cloudflare.ini", dir.path() / "key.ini");  // absolute: inside --root
  fs::create_symlink("loop-b", dir.path() / "loop-a");
  fs::create_symlink("loop-a", dir.path() / "loop-b");
  ProcessResult r = scan({"--root", dir.path().string(), "--format", "json", "/le", "/key.ini", "/etc", "/loop-a"});
  BOOST_TEST(r.exit_code == k_exit_found, r.err);
  json::value doc = json::parse(r.out);
  // Reported and walked as their targets, and the file inside /etc is not walked a second time.
  BOOST_TEST(json::serialize(doc.at("paths")) == R"(["/etc"])");
  BOOST_TEST_REQUIRE(doc.at("findings").as_array().size() == 1U);
  BOOST_TEST(doc.at("findings").as_array()[0].at("path").as_string() == "/etc/letsencrypt/cloudflare.ini");
  BOOST_TEST(json::serialize(doc.at("problems")).find("/loop-a") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(unreadable_files_are_reported_and_counted_not_fatal)
{
  TempDir dir;
  write_certbot(dir);
  fs::path secret = dir.write("etc/private/cloudflare.ini", "dns_cloudflare_api_key = " + k_key + "\n");
  ::chmod(secret.c_str(), 0);
  std::vector<std::string> argv{CFMIGRATE_BINARY, "scan", "--root", dir.path().string(), "--format", "json", "/"};
  if (::geteuid() == 0) {
    // Root reads everything; drop to nobody so the file is really unreadable.
    if (!fs::exists("/usr/bin/setpriv")) {
      BOOST_TEST_MESSAGE("setpriv missing; skipping unreadable-file check as root");
      return;
    }
    fs::permissions(dir.path(), fs::perms::others_read | fs::perms::others_exec, fs::perm_options::add);
    argv.insert(argv.begin(), {"/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"});
  }
  ProcessResult r = run_process(argv);
  BOOST_TEST(r.exit_code == k_exit_found);  // the readable key is still found
  json::value doc = json::parse(r.out);
  BOOST_TEST(doc.at("summary").at("unreadable").as_int64() == 1);
  BOOST_TEST(doc.at("problems").at(0).at("path").as_string() == "/etc/private/cloudflare.ini");
  BOOST_TEST(r.err.find("/etc/private/cloudflare.ini") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(no_credential_value_reaches_any_output)
{
  // Every fixture root and the sample server: scan in all formats and look for every value the
  // scanner found (taken from the library, in-process, so the test itself never prints one).
  auto recipes = cfmigrate::recipe::load_recipes("");
  BOOST_TEST_REQUIRE(recipes.has_value());
  cfmigrate::recipe::RecipeIndex index(*recipes);
  std::vector<fs::path> roots;
  for (const auto& recipe_dir : fs::directory_iterator(fs::path(CFMIGRATE_SOURCE_DIR) / "migrations")) {
    if (fs::is_directory(recipe_dir.path() / "fixtures")) {
      for (const auto& c : fs::directory_iterator(recipe_dir.path() / "fixtures")) {
        if (fs::is_directory(c.path() / "root")) {
          roots.push_back(c.path() / "root");
        }
      }
    }
  }
  roots.push_back(fs::path(CFMIGRATE_SOURCE_DIR) / "examples/sample-server/root");
  std::size_t values = 0;
  for (const auto& root : roots) {
    if (!fs::exists(root)) {
      continue;
    }
    cfmigrate::scan::ScanOptions options;
    options.root = root.string();
    options.paths = {"/"};
    auto report = cfmigrate::scan::run_scan(index, options);
    BOOST_TEST_REQUIRE(report.has_value());
    std::string output;
    for (const char* format : {"human", "json", "sarif"}) {
      ProcessResult r = scan({"--root", root.string(), "--format", format, "/"});
      output += r.out + r.err;
    }
    for (const auto& f : report->findings) {
      std::string_view value = f.value.expose_secret_value_for_use_in_credential_slot();
      if (value.empty()) {
        continue;
      }
      ++values;
      BOOST_TEST(output.find(value) == std::string::npos, "a credential value was printed for " << root.string());
      // Nor its base64 form, for encoded findings.
      if (f.encoding == cfmigrate::scan::Encoding::base64) {
        std::string_view raw_b64 = "";
        (void)raw_b64;
      }
    }
  }
  BOOST_TEST(values > 20U);
}

BOOST_AUTO_TEST_SUITE_END()
