// Drives `cfmigrate plan` and `cfmigrate show` against the emulator over TLS: token permissions and
// zone scope, the planned edits applied to a copy, broad scope, missing e-mail, several keys,
// references, manual items, and that no key reaches any output or the plan file.

#include <cfmigrate/cli/exit_codes.hpp>
#include <cfmigrate/plan/edit_builder.hpp>
#include <cfmigrate/plan/plan_file.hpp>

#include "../support/run_process.hpp"
#include "test_emulator_process.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <set>

namespace fs = std::filesystem;
namespace json = boost::json;
using cfmigrate::test::ProcessResult;
using cfmigrate::test::run_process;
using cfmigrate::testing::EmulatorProcess;
using cfmigrate::cli::k_exit_found;
using cfmigrate::cli::k_exit_ok;

namespace {

const std::string k_key = cfmigrate::testing::k_test_key;  // the emulator user's Global key
const std::string k_other_key = "9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1";  // unknown to the emulator

struct PlanRun {
  ProcessResult process;
  json::value plan;
  std::string plan_text;
};

PlanRun plan(const EmulatorProcess& emulator, const fs::path& root, std::vector<std::string> extra = {},
             std::vector<std::string> env = {})
{
  fs::path out = root.parent_path() / "plan.json";
  std::vector<std::string> argv{CFMIGRATE_BINARY, "plan", "--root", root.string(), "--api-base", emulator.base_url(),
                                "--ca-file", emulator.ca_file(), "--host-name", "web-01", "--out", out.string()};
  argv.insert(argv.end(), extra.begin(), extra.end());
  PlanRun run;
  run.process = run_process(argv, env);
  run.plan_text = cfmigrate::test::read_file(out);
  if (!run.plan_text.empty()) {
    run.plan = json::parse(run.plan_text);
  }
  return run;
}

void check_no_secret(const PlanRun& run)
{
  for (const std::string& secret : {k_key, k_other_key}) {
    BOOST_TEST(run.process.out.find(secret) == std::string::npos);
    BOOST_TEST(run.process.err.find(secret) == std::string::npos);
    BOOST_TEST(run.plan_text.find(secret) == std::string::npos);
  }
}

// The file as apply would write it, with "TOKEN" for the token.
std::string planned_text(const PlanRun& run, const fs::path& root, const std::string& path)
{
  auto plan = cfmigrate::plan::plan_from_json(run.plan);
  BOOST_TEST_REQUIRE(plan.has_value());
  for (const auto& e : plan->edits) {
    if (e.path == path) {
      std::string content = cfmigrate::test::read_file(root.string() + path);
      return cfmigrate::plan::apply_changes(content, e.changes, [](const std::string&, bool) { return std::string("TOKEN"); });
    }
  }
  return "(no edit)";
}

std::vector<std::string> permission_names(const json::value& token)
{
  std::vector<std::string> out;
  for (const auto& p : token.at("permissions").as_array()) {
    out.emplace_back(p.at("name").as_string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

} // namespace

BOOST_AUTO_TEST_SUITE(plan_cli)

BOOST_AUTO_TEST_CASE(certbot_plan_has_minimal_token_and_exact_edit)
{
  EmulatorProcess emulator({});
  cfmigrate::test::TempDir dir;
  fs::path root = dir.path() / "root";
  dir.write("root/etc/letsencrypt/cloudflare.ini",
            "# Cloudflare credentials\ndns_cloudflare_email = admin@example.com\ndns_cloudflare_api_key = " + k_key + "\n");
  dir.write("root/etc/letsencrypt/renewal/www.example.com.conf",
            "[renewalparams]\nauthenticator = dns-cloudflare\ndns_cloudflare_credentials = /etc/letsencrypt/cloudflare.ini\n"
            "cert = /etc/letsencrypt/live/www.example.com/cert.pem\n");
  PlanRun run = plan(emulator, root);
  BOOST_TEST(run.process.exit_code == k_exit_found, run.process.err);
  check_no_secret(run);
  BOOST_TEST(run.plan.at("format").as_string() == "cfmigrate.plan/1");
  BOOST_TEST(run.plan.at("host").as_string() == "web-01");
  const auto& tokens = run.plan.at("tokens").as_array();
  BOOST_TEST_REQUIRE(tokens.size() == 1U);
  BOOST_TEST(permission_names(tokens[0]) == std::vector<std::string>{"DNS Write"}, boost::test_tools::per_element());
  BOOST_TEST(tokens[0].at("zones").as_array().size() == 1U);
  BOOST_TEST(tokens[0].at("zones").at(0).as_string() == "example.com");
  BOOST_TEST(tokens[0].at("account_wide").as_bool() == false);
  BOOST_TEST(tokens[0].at("name").as_string().starts_with("cfmigrate/web-01/certbot-dns-cloudflare/"));
  BOOST_TEST(planned_text(run, root, "/etc/letsencrypt/cloudflare.ini")
             == "# Cloudflare credentials\ndns_cloudflare_api_token = TOKEN\n");
  // The dry run shows a masked diff.
  BOOST_TEST(run.process.out.find("-dns_cloudflare_api_key = <global_key sha256:") != std::string::npos, run.process.out);
  BOOST_TEST(run.process.out.find("+dns_cloudflare_api_token = <new token t1>") != std::string::npos);
  BOOST_TEST(run.process.out.find("Zone:DNS:Edit") != std::string::npos);
  const auto& files = run.plan.at("files").as_array();
  BOOST_TEST_REQUIRE(files.size() == 1U);
  BOOST_TEST(files[0].at("sha256").as_string().size() == 64U);

  // show renders the saved plan the same way.
  ProcessResult show = run_process({CFMIGRATE_BINARY, "show", (dir.path() / "plan.json").string()});
  BOOST_TEST(show.exit_code == k_exit_found);
  BOOST_TEST(show.out.find("+dns_cloudflare_api_token = <new token t1>") != std::string::npos, show.out);
  BOOST_TEST(show.out.find(k_key) == std::string::npos);
  // Nothing was changed by planning.
  BOOST_TEST(cfmigrate::test::read_file(root / "etc/letsencrypt/cloudflare.ini").find(k_key) != std::string::npos);
}

BOOST_AUTO_TEST_CASE(broad_scope_missing_email_other_key_and_manual_items)
{
  EmulatorProcess emulator({});
  cfmigrate::test::TempDir dir;
  fs::path root = dir.path() / "root";
  // No zone named anywhere: account-wide with a warning.
  dir.write("root/etc/letsencrypt/cloudflare.ini", "dns_cloudflare_email = admin@example.com\ndns_cloudflare_api_key = " + k_key + "\n");
  // A second key with no e-mail: manual.
  dir.write("root/root/.cloudflare/cloudflare.cfg", "[CloudFlare]\ntoken = " + k_other_key + "\n");
  // CSF cannot use a token.
  dir.write("root/etc/csf/csf.cloudflare", "DOMAIN:example.org:USER:web:CFACCOUNT:admin@example.com:CFAPIKEY:" + k_key + "\n");
  PlanRun run = plan(emulator, root);
  BOOST_TEST(run.process.exit_code == k_exit_found, run.process.err);
  check_no_secret(run);
  const auto& tokens = run.plan.at("tokens").as_array();
  BOOST_TEST_REQUIRE(tokens.size() == 1U);
  BOOST_TEST(tokens[0].at("account_wide").as_bool());
  bool broad = false;
  for (const auto& w : run.plan.at("warnings").as_array()) {
    broad = broad || w.at("code").as_string() == "broad_scope";
  }
  BOOST_TEST(broad);
  std::set<std::string> manual_programs;
  for (const auto& m : run.plan.at("manual").as_array()) {
    manual_programs.insert(std::string(m.at("program").as_string()));
  }
  BOOST_TEST(manual_programs.count("csf") == 1U);
  BOOST_TEST(manual_programs.count("python-cloudflare") == 1U);
}

BOOST_AUTO_TEST_CASE(zone_override_and_conditions)
{
  EmulatorProcess emulator({});
  cfmigrate::test::TempDir dir;
  fs::path root = dir.path() / "root";
  dir.write("root/etc/letsencrypt/cloudflare.ini", "dns_cloudflare_email = admin@example.com\ndns_cloudflare_api_key = " + k_key + "\n");
  PlanRun run = plan(emulator, root, {"--zone", "example.org", "--allow-ip", "192.0.2.10/32", "--expires", "2027-01-31"});
  BOOST_TEST(run.process.exit_code == k_exit_found, run.process.err);
  const auto& token = run.plan.at("tokens").at(0);
  BOOST_TEST(token.at("zones").at(0).as_string() == "example.org");
  BOOST_TEST(token.at("allow_ips").at(0).as_string() == "192.0.2.10/32");
  BOOST_TEST(token.at("expires_on").as_string() == "2027-01-31T00:00:00Z");
}

BOOST_AUTO_TEST_CASE(compose_reference_follows_into_env_file)
{
  EmulatorProcess emulator({});
  cfmigrate::test::TempDir dir;
  fs::path root = dir.path() / "root";
  dir.write("root/srv/traefik/docker-compose.yml",
            "services:\n  traefik:\n    image: traefik:v3.0\n    environment:\n      - CF_API_EMAIL=admin@example.com\n"
            "      - CF_API_KEY=${CF_API_KEY}\n    labels:\n      - \"traefik.http.routers.shop.rule=Host(`shop.example.com`)\"\n");
  dir.write("root/srv/traefik/.env", "CF_API_KEY=" + k_key + "\n");
  PlanRun run = plan(emulator, root);
  BOOST_TEST(run.process.exit_code == k_exit_found, run.process.err);
  check_no_secret(run);
  BOOST_TEST_REQUIRE(run.plan.at("tokens").as_array().size() == 1U);
  const auto& token = run.plan.at("tokens").at(0);
  BOOST_TEST(token.at("program").as_string() == "traefik");
  BOOST_TEST(token.at("zones").at(0).as_string() == "example.com");
  std::string env = planned_text(run, root, "/srv/traefik/.env");
  std::string compose = planned_text(run, root, "/srv/traefik/docker-compose.yml");
  BOOST_TEST(env == "CF_DNS_API_TOKEN=TOKEN\n");
  BOOST_TEST(compose.find("CF_API_EMAIL") == std::string::npos, compose);
  BOOST_TEST(compose.find("- CF_DNS_API_TOKEN=${CF_DNS_API_TOKEN}\n") != std::string::npos, compose);
}

BOOST_AUTO_TEST_CASE(nothing_to_do_exits_zero)
{
  EmulatorProcess emulator({});
  cfmigrate::test::TempDir dir;
  fs::path root = dir.path() / "root";
  dir.write("root/etc/hosts", "127.0.0.1 localhost\n");
  PlanRun run = plan(emulator, root);
  BOOST_TEST(run.process.exit_code == k_exit_ok, run.process.err);
  BOOST_TEST(run.plan.at("tokens").as_array().empty());
}

// A malformed --from-scan report is a user error (exit 1, a reason), never "internal error".
BOOST_AUTO_TEST_CASE(malformed_from_scan_report_is_an_error_not_a_crash)
{
  EmulatorProcess emulator({});
  cfmigrate::test::TempDir dir;
  fs::path root = dir.path() / "root";
  dir.write("root/etc/hosts", "127.0.0.1 localhost\n");
  for (const std::string bad : {R"({"format": "cfmigrate.scan/1", "findings": 3})",
                                R"({"format": "cfmigrate.scan/1", "findings": [{"path": 7}]})",
                                R"({"format": "cfmigrate.scan/1"})", R"({"format": "cfmigrate.scan/1", "findings": [)",
                                R"([1, 2])"}) {
    fs::path report = dir.write("bad-scan.json", bad);
    PlanRun run = plan(emulator, root, {"--from-scan", report.string()});
    BOOST_TEST(run.process.exit_code == 1, bad << ": " << run.process.err);
    BOOST_TEST(run.process.err.find("internal error") == std::string::npos, run.process.err);
    BOOST_TEST(run.process.err.find("bad-scan.json") != std::string::npos, run.process.err);
  }
}

BOOST_AUTO_TEST_SUITE_END()
