// The Ansible role (contrib/ansible) against five "hosts" on this machine (local connection, each its
// own --root tree, state dir and host name, with different programs and zones), all against one
// emulator: plan all, apply in rolling batches where one host fails (CFMIGRATE_FAIL_AT) and stops the
// run, roll back that host alone, then roll back everything: every tree byte for byte, no token left.
// The fleet report's numbers are checked at each step. Skipped when ansible-playbook is not installed.

#include "../support/run_process.hpp"
#include "test_emulator_process.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>

namespace fs = std::filesystem;
namespace json = boost::json;
using cfmigrate::test::ProcessResult;
using cfmigrate::test::read_file;
using cfmigrate::test::run_process;
using cfmigrate::testing::EmulatorProcess;

namespace {

const std::string k_key = cfmigrate::testing::k_test_key;
const std::string k_email = cfmigrate::testing::k_test_email;
const std::string k_bootstrap = cfmigrate::testing::k_bootstrap_token;

std::string find_in_path(const std::string& name)
{
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path != nullptr ? path : "/usr/bin:/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    fs::path candidate = fs::path(dir.empty() ? "." : dir) / name;
    if (::access(candidate.c_str(), X_OK) == 0) {
      return candidate.string();
    }
  }
  return {};
}

struct HostSpec {
  std::string name;
  std::map<std::string, std::string> files;  // path under the root -> content
  std::size_t tokens = 0;                     // tokens its plan should create
  bool bootstrap = false;                     // credentials from the "vault" instead of the keys on disk
  std::string fail_at;                        // CFMIGRATE_FAIL_AT for its apply (a host var)
};

std::map<std::string, std::string> certbot(const std::string& zone)
{
  return {{"etc/letsencrypt/cloudflare.ini",
           "# Certbot\ndns_cloudflare_email = " + k_email + "\ndns_cloudflare_api_key = " + k_key + "\n"},
          {"etc/letsencrypt/renewal/" + zone + ".conf",
           "[renewalparams]\nauthenticator = dns-cloudflare\ndns_cloudflare_credentials = /etc/letsencrypt/cloudflare.ini\n"
           "cert = /etc/letsencrypt/live/" + zone + "/cert.pem\n"}};
}

std::map<std::string, std::string> acme(const std::string& zone)
{
  return {{"root/.acme.sh/account.conf",
           "ACCOUNT_EMAIL='" + k_email + "'\nSAVED_CF_Key='" + k_key + "'\nSAVED_CF_Email='" + k_email + "'\n"},
          {"root/.acme.sh/" + zone + "/" + zone + ".conf", "Le_Domain='" + zone + "'\nLe_Alt='www." + zone + "'\nLe_Webroot='dns_cf'\n"}};
}

std::map<std::string, std::string> ddclient(const std::string& zone)
{
  return {{"etc/ddclient.conf", "protocol=cloudflare, \\\nzone=" + zone + ", \\\nttl=1, \\\nlogin=" + k_email + ", \\\npassword='" +
                                    k_key + "' \\\nhome." + zone + "\n"}};
}

std::map<std::string, std::string> traefik(const std::string& zone)
{
  return {{"srv/traefik/.env", "COMPOSE_PROJECT_NAME=traefik\nCF_API_KEY=" + k_key + "\n"},
          {"srv/traefik/docker-compose.yml",
           "services:\n  traefik:\n    image: traefik:v3.1\n    environment:\n      - CF_API_EMAIL=" + k_email +
             "\n      - CF_API_KEY=${CF_API_KEY}\n    labels:\n      - \"traefik.http.routers.shop.rule=Host(`shop." + zone +
             "`)\"\n"}};
}

std::map<std::string, std::string> merged(std::map<std::string, std::string> a, const std::map<std::string, std::string>& b)
{
  a.insert(b.begin(), b.end());
  return a;
}

// Every regular file under `root`: relative path -> mode and content.
std::map<std::string, std::string> snapshot(const fs::path& root)
{
  std::map<std::string, std::string> out;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.is_regular_file()) {
      struct stat st {};
      ::stat(entry.path().c_str(), &st);
      out[fs::relative(entry.path(), root).string()] = std::to_string(st.st_mode & 07777) + ":" + read_file(entry.path());
    }
  }
  return out;
}

json::value read_json(const fs::path& path)
{
  const std::string text = read_file(path);
  BOOST_TEST_REQUIRE(!text.empty(), "missing or empty " + path.string());
  return json::parse(text);
}

// The emulator's admin state (--state-file, rewritten after each change; names, never values).
json::value emulator_state(const fs::path& state_file)
{
  return json::parse(read_file(state_file));
}

std::set<std::string> emulator_token_names(const fs::path& state_file)
{
  std::set<std::string> names;
  const std::string text = read_file(state_file);
  if (text.empty()) {
    return names;  // nothing changed yet
  }
  const json::value state = json::parse(text);  // kept alive for the loop
  for (const auto& t : state.at("tokens").as_array()) {
    names.insert(std::string(t.at("name").as_string()));
  }
  return names;
}

std::size_t count_prefixed(const std::set<std::string>& names, const std::string& prefix)
{
  std::size_t n = 0;
  for (const auto& name : names) {
    n += name.rfind(prefix, 0) == 0 ? 1U : 0U;
  }
  return n;
}

const json::object& fleet_host(const json::value& fleet, const std::string& name)
{
  for (const auto& h : fleet.at("hosts").as_array()) {
    if (h.at("host").as_string() == name) {
      return h.as_object();
    }
  }
  BOOST_FAIL("fleet report has no host " + name);
  throw std::logic_error("unreachable");
}

std::int64_t number(const json::value& v, std::string_view key)
{
  return v.at(key).to_number<std::int64_t>();
}

std::string tail(const std::string& text, std::size_t n = 6000)
{
  return text.size() > n ? text.substr(text.size() - n) : text;
}

class Fleet {
public:
  Fleet(const EmulatorProcess& emulator, std::vector<HostSpec> hosts) : m_hosts(std::move(hosts))
  {
    m_playbook = find_in_path("ansible-playbook");
    // The inventory, as JSON (valid YAML): every host local, its own tree, state dir and name.
    json::object host_vars;
    for (const auto& h : m_hosts) {
      const fs::path base = m_dir.path() / h.name;
      for (const auto& [path, content] : h.files) {
        m_dir.write(h.name + "/root/" + path, content);
        fs::permissions(base / "root" / path, fs::perms::owner_read | fs::perms::owner_write);
      }
      json::object vars{{"cfmigrate_root", (base / "root").string()},
                        {"cfmigrate_state_dir", (base / "state").string()},
                        {"cfmigrate_work_dir", (base / "work").string()}};
      if (!h.fail_at.empty()) {
        vars["cfmigrate_environment"] = json::object{{"CFMIGRATE_FAIL_AT", h.fail_at}};
        vars["cfmigrate_bin"] = CFMIGRATE_FAULTS_BINARY;  // the shipped binary ignores CFMIGRATE_FAIL_AT
      }
      if (h.bootstrap) {
        vars["cfmigrate_cloudflare_api_token"] = k_bootstrap;  // in real use: from Ansible Vault
      }
      // Two hosts get a copy of the binary (install: copy), the others use it where it is.
      if (h.name == m_hosts.front().name || h.name == m_hosts.back().name) {
        vars["cfmigrate_install"] = "copy";
        vars["cfmigrate_bin"] = (base / "bin" / "cfmigrate").string();
      }
      host_vars[h.name] = std::move(vars);
      m_originals[h.name] = snapshot(base / "root");
    }
    json::object group_vars{{"ansible_connection", "local"},
                            {"ansible_python_interpreter", "/usr/bin/python3"},
                            {"cfmigrate_api_base", emulator.base_url()},
                            {"cfmigrate_ca_file", emulator.ca_file()},
                            {"cfmigrate_binary_src", CFMIGRATE_BINARY},
                            {"cfmigrate_controller_bin", CFMIGRATE_BINARY},
                            {"cfmigrate_install", "none"},
                            {"cfmigrate_bin", CFMIGRATE_BINARY},
                            {"cfmigrate_forks", 5},
                            {"cfmigrate_fleet_dir", fleet_dir().string()}};
    json::object inventory{{"all", json::object{{"children", json::object{{"cfmigrate", json::object{{"hosts", std::move(host_vars)},
                                                                                                         {"vars", std::move(group_vars)}}}}}}}};
    m_dir.write("inventory.json", json::serialize(inventory));
    fs::create_directories(m_dir.path() / "ansible-tmp");
  }

  bool available() const { return !m_playbook.empty(); }
  fs::path fleet_dir() const { return m_dir.path() / "fleet"; }
  fs::path root(const std::string& host) const { return m_dir.path() / host / "root"; }
  const std::map<std::string, std::string>& original(const std::string& host) const { return m_originals.at(host); }
  const std::vector<HostSpec>& hosts() const { return m_hosts; }

  ProcessResult playbook(const std::string& name, std::vector<std::string> extra = {}) const
  {
    const std::string contrib = std::string(CFMIGRATE_SOURCE_DIR) + "/contrib/ansible";
    std::vector<std::string> argv{m_playbook, "-i", (m_dir.path() / "inventory.json").string(), contrib + "/playbooks/" + name,
                                  "-f", "5", "-v", "-e", "cfmigrate_become=false"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    const std::string tmp = (m_dir.path() / "ansible-tmp").string();
    ProcessResult r = run_process(argv, {"ANSIBLE_CONFIG=" + contrib + "/ansible.cfg", "ANSIBLE_ROLES_PATH=" + contrib + "/roles",
                                         "ANSIBLE_LOCAL_TEMP=" + tmp, "ANSIBLE_REMOTE_TEMP=" + tmp, "ANSIBLE_NOCOLOR=1",
                                         "ANSIBLE_RETRY_FILES_ENABLED=false", "ANSIBLE_HOME=" + tmp});
    BOOST_TEST_MESSAGE(name << " exited " << r.exit_code);
    // No credential, in any output, at -v.
    for (const std::string& secret : {k_key, k_bootstrap}) {
      BOOST_TEST(r.out.find(secret) == std::string::npos, name << " printed a credential");
      BOOST_TEST(r.err.find(secret) == std::string::npos, name << " printed a credential");
    }
    return r;
  }

  // Does the tree still hold the Global key anywhere?
  bool has_key(const std::string& host) const
  {
    for (const auto& [path, content] : snapshot(root(host))) {
      if (content.find(k_key) != std::string::npos) {
        return true;
      }
    }
    return false;
  }

private:
  cfmigrate::test::TempDir m_dir;
  std::string m_playbook;
  std::vector<HostSpec> m_hosts;
  std::map<std::string, std::map<std::string, std::string>> m_originals;
};

} // namespace

BOOST_AUTO_TEST_SUITE(fleet_ansible)

BOOST_AUTO_TEST_CASE(rolling_apply_canary_failure_and_rollback_drill, *boost::unit_test::timeout(600))
{
  if (find_in_path("ansible-playbook").empty()) {
    BOOST_TEST_MESSAGE("SKIPPED fleet_ansible: ansible-playbook is not installed (apt-get install ansible; "
                       "contrib/install-deps.sh installs it with CFMIGRATE_WITH_TEST_TOOLS=1)");
    return;
  }
  cfmigrate::test::TempDir emulator_dir;
  const fs::path state_file = emulator_dir.path() / "state.json";
  EmulatorProcess emulator({"--state-file", state_file.string()}, 4);  // example.com, example.org, zone1000..1003.example
  Fleet fleet(emulator, {
    HostSpec{"web-01", certbot("example.com"), 1, false, ""},
    HostSpec{"web-02", acme("example.org"), 1, false, ""},
    HostSpec{"web-03", merged(certbot("zone1000.example"), ddclient("zone1001.example")), 2, false, "token_create:2"},
    HostSpec{"web-04", traefik("example.com"), 1, true, ""},
    HostSpec{"web-05", acme("zone1003.example"), 1, true, ""},
  });

  // 1. Plan every host (with the masked diffs): nothing changes, no token is created.
  ProcessResult plan = fleet.playbook("plan.yml", {"--diff"});
  BOOST_TEST_REQUIRE(plan.exit_code == 0, tail(plan.out) + plan.err);
  BOOST_TEST(plan.out.find("<global_key sha256:") != std::string::npos, "diff mode shows the masked diffs");
  BOOST_TEST(count_prefixed(emulator_token_names(state_file), "cfmigrate/") == 0U);
  for (const auto& h : fleet.hosts()) {
    BOOST_TEST(snapshot(fleet.root(h.name)) == fleet.original(h.name), h.name << " changed by plan");
    json::value p = read_json(fleet.fleet_dir() / h.name / "plan.json");
    BOOST_TEST(p.at("host").as_string() == h.name);
    BOOST_TEST(p.at("tokens").as_array().size() == h.tokens, h.name);
    for (const auto& t : p.at("tokens").as_array()) {
      BOOST_TEST(t.at("name").as_string().starts_with("cfmigrate/" + h.name + "/"), "each host its own tokens");
    }
    BOOST_TEST(read_file(fleet.fleet_dir() / h.name / "scan.json").find("cfmigrate.scan/1") != std::string::npos);
  }
  json::value report = read_json(fleet.fleet_dir() / "fleet.json");
  BOOST_TEST(number(report.at("totals"), "hosts") == 5);
  BOOST_TEST(number(report.at("totals"), "hosts_using_global_key") == 5);
  BOOST_TEST(number(report.at("totals"), "global_key_usages") == 6);
  BOOST_TEST(report.at("can_roll_global_key").as_bool() == false);
  BOOST_TEST(report.at("keys").as_array().size() == 1U);

  // 2. Apply in batches [web-01], [web-02 web-03 web-04], [web-05]. web-03 fails at its second token
  //    create and keeps its partial state (--no-rollback) for the roll-back drill; the run stops after
  //    its batch, so web-05 is never touched.
  ProcessResult apply = fleet.playbook("apply.yml", {"-e", R"({"cfmigrate_serial": [1, 3, "100%"], "cfmigrate_no_rollback": true})"});
  BOOST_TEST(apply.exit_code != 0, "a failed host must fail the run");
  BOOST_TEST(apply.out.find("cfmigrate apply exited 1") != std::string::npos, tail(apply.out));
  for (const std::string h : {"web-01", "web-02", "web-04"}) {
    BOOST_TEST(!fleet.has_key(h), h << " should be migrated");
  }
  BOOST_TEST(snapshot(fleet.root("web-05")) == fleet.original("web-05"), "the batch after the failure never ran");
  BOOST_TEST(!fs::exists(fleet.fleet_dir() / "web-05" / "status.json"));
  json::value status03 = read_json(fleet.fleet_dir() / "web-03" / "status.json");
  BOOST_TEST_REQUIRE(status03.at("migrations").as_array().size() == 1U);
  BOOST_TEST(status03.at("migrations").at(0).at("state").as_string() == "failed");
  auto names = emulator_token_names(state_file);
  BOOST_TEST(count_prefixed(names, "cfmigrate/web-01/") == 1U);
  BOOST_TEST(count_prefixed(names, "cfmigrate/web-02/") == 1U);
  BOOST_TEST(count_prefixed(names, "cfmigrate/web-03/") == 1U);  // the first of its two, left for the drill
  BOOST_TEST(count_prefixed(names, "cfmigrate/web-04/") == 1U);
  BOOST_TEST(count_prefixed(names, "cfmigrate/web-05/") == 0U);

  // 3. Roll back the failed host alone: its tree is back byte for byte, its token is gone, the
  //    migrated hosts keep their tokens and files.
  ProcessResult rollback_failed = fleet.playbook("rollback.yml", {"-e", "cfmigrate_rollback_scope=failed"});
  BOOST_TEST_REQUIRE(rollback_failed.exit_code == 0, tail(rollback_failed.out) + rollback_failed.err);
  BOOST_TEST(snapshot(fleet.root("web-03")) == fleet.original("web-03"));
  names = emulator_token_names(state_file);
  BOOST_TEST(count_prefixed(names, "cfmigrate/web-03/") == 0U);
  BOOST_TEST(count_prefixed(names, "cfmigrate/") == 3U);
  for (const std::string h : {"web-01", "web-02", "web-04"}) {
    BOOST_TEST(!fleet.has_key(h), h << " should still be migrated");
  }
  report = read_json(fleet.fleet_dir() / "fleet.json");
  const json::value& totals = report.at("totals");
  BOOST_TEST(number(totals, "hosts") == 5);
  BOOST_TEST(number(totals, "hosts_using_global_key") == 2);  // web-03, web-05
  BOOST_TEST(number(totals, "tokens_live") == 3);
  BOOST_TEST(number(totals, "tokens_created") == 4);           // 3 kept + web-03's first, deleted
  BOOST_TEST(number(totals, "files_changed") == 4);            // web-01 1, web-02 1, web-04 2
  BOOST_TEST(number(totals, "failures") == 1);
  BOOST_TEST(number(totals, "rollbacks") == 1);
  BOOST_TEST(number(totals.at("states"), "applied") == 3);
  BOOST_TEST(number(totals.at("states"), "rolled_back") == 1);
  BOOST_TEST(report.at("can_roll_global_key").as_bool() == false);
  BOOST_TEST(fleet_host(report, "web-03").at("state").as_string() == "rolled_back");
  BOOST_TEST(fleet_host(report, "web-03").at("global_key_usages").to_number<int>() == 2);
  BOOST_TEST(fleet_host(report, "web-01").at("tokens_live").to_number<int>() == 1);
  BOOST_TEST(fleet_host(report, "web-05").at("state").as_string() == "planned");

  // 4. The full roll-back drill: every tree byte for byte, no cfmigrate token left on the emulator.
  ProcessResult rollback_all = fleet.playbook("rollback.yml", {"-e", "cfmigrate_rollback_scope=all"});
  BOOST_TEST_REQUIRE(rollback_all.exit_code == 0, tail(rollback_all.out) + rollback_all.err);
  for (const auto& h : fleet.hosts()) {
    BOOST_TEST(snapshot(fleet.root(h.name)) == fleet.original(h.name), h.name << " not restored byte for byte");
  }
  BOOST_TEST(count_prefixed(emulator_token_names(state_file), "cfmigrate/") == 0U);
  report = read_json(fleet.fleet_dir() / "fleet.json");
  BOOST_TEST(number(report.at("totals"), "hosts_using_global_key") == 5);
  BOOST_TEST(number(report.at("totals"), "tokens_live") == 0);
  BOOST_TEST(number(report.at("totals"), "files_restored") == 4);
  BOOST_TEST(number(report.at("totals"), "rollbacks") == 4);
  BOOST_TEST(report.at("can_roll_global_key").as_bool() == false);
  // The whole run stayed under the emulator's 1200 requests / 300 s.
  BOOST_TEST(emulator_state(state_file).at("rate_limited").to_number<int>() == 0);
}

BOOST_AUTO_TEST_SUITE_END()
