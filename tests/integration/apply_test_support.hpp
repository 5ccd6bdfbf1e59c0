#pragma once
// Shared helpers for the apply_cli and apply_faults suites (test_apply_cli.cpp, test_apply_faults.cpp):
// an emulator with an editable seed, scenario trees (files with modes, owners, symlinks), snapshots
// of a tree, the "original" and "fully migrated" invariants, and a wrapper around the cfmigrate
// binary bound to one root, state dir and plan.
//
// Secrets: helpers never put a key or a token value into a message; comparisons of secret-bearing
// content are reduced to bools and the messages name only paths.

#include <cfmigrate/cli/exit_codes.hpp>
#include <cfmigrate/cloudflare/client.hpp>
#include <cfmigrate/cloudflare/https_session.hpp>
#include <cfmigrate/plan/edit_builder.hpp>
#include <cfmigrate/exec/plan_authentication.hpp>
#include <cfmigrate/plan/plan_file.hpp>
#include <cfmigrate/plan/plan_signature.hpp>

#include "../support/run_process.hpp"
#include "test_emulator_process.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace cfmigrate::apply_test {

// apply names each token "<planned name>/<run id>" (8 hex digits, one per migration run) so that
// two migrations never share a token name (docs/security.md).
inline bool is_run_of(std::string_view created, std::string_view planned)
{
  if (created.size() != planned.size() + 9 || created.substr(0, planned.size()) != planned || created[planned.size()] != '/') {
    return false;
  }
  for (char c : created.substr(planned.size() + 1)) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return true;
}


namespace fs = std::filesystem;
namespace json = boost::json;
using test::ProcessResult;

inline const std::string k_key = testing::k_test_key;    // the seed user's Global key
inline const std::string k_email = testing::k_test_email;
inline constexpr unsigned k_nobody = 65534;               // owner/group given to some files when root

inline bool running_as_root() { return ::geteuid() == 0; }

inline bool contains(const std::string& haystack, const std::string& needle)
{
  return !needle.empty() && haystack.find(needle) != std::string::npos;
}

inline bool token_char(char c)
{
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

// True for a run that looks like a credential: exactly 40 token characters (an API token) or 37-45
// lowercase hex digits (a Global key).
inline bool credential_shaped(std::string_view run)
{
  if (run.size() == 40) {
    return true;
  }
  return run.size() >= 37 && run.size() <= 45
         && std::all_of(run.begin(), run.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// `text` with every credential-shaped run replaced, for failure messages that show program output.
inline std::string safe(const std::string& text)
{
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    if (!token_char(text[i])) {
      out += text[i++];
      continue;
    }
    std::size_t j = i;
    while (j < text.size() && token_char(text[j])) {
      ++j;
    }
    std::string_view run(text.data() + i, j - i);
    out += credential_shaped(run) ? std::string("<redacted>") : std::string(run);
    i = j;
  }
  return out;
}

// How many credential-shaped runs `text` holds (never which).
inline std::size_t credential_shaped_runs(const std::string& text)
{
  std::size_t n = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    if (!token_char(text[i])) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < text.size() && token_char(text[j])) {
      ++j;
    }
    if (credential_shaped(std::string_view(text.data() + i, j - i))) {
      ++n;
    }
    i = j;
  }
  return n;
}

// ---------------------------------------------------------------------------------------------
// Emulator: cfmigrate-emulator over TLS with the standard test seed (testing::write_test_seed),
// optionally edited (e.g. a second user with a canary key). Stdout goes to a file, so the child can
// never block on a full pipe.
class Emulator {
public:
  explicit Emulator(std::vector<std::string> extra_args = {}, const std::function<void(json::object&)>& edit_seed = {})
  {
    std::string seed_path = testing::write_test_seed(m_dir.path());
    if (edit_seed) {
      json::value seed = json::parse(test::read_file(seed_path));
      edit_seed(seed.as_object());
      std::ofstream(seed_path, std::ios::trunc) << json::serialize(seed);
    }
    std::vector<std::string> args{CFMIGRATE_EMULATOR_BINARY, "--seed", seed_path, "--listen", "127.0.0.1:0", "--exit-with-parent",
                                  "--permission-groups", std::string(CFMIGRATE_SOURCE_DIR) + "/data/permission_groups.json",
                                  "--tls-dir", m_dir.path() + "/tls"};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    std::string out_path = m_dir.path() + "/emulator.out";
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    std::vector<char*> argv;
    for (std::string& a : args) {
      argv.push_back(a.data());
    }
    argv.push_back(nullptr);
    int rc = posix_spawn(&m_pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
      throw std::runtime_error("cannot start the emulator");
    }
    std::string line;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
      line = test::read_file(out_path);
      if (line.find('\n') != std::string::npos) {
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    line = line.substr(0, line.find('\n'));
    std::size_t sp1 = line.find(' ');
    std::size_t sp2 = line.find(' ', sp1 + 1);
    if (line.rfind("listening ", 0) != 0 || sp2 == std::string::npos) {
      stop();
      throw std::runtime_error("emulator did not announce its address: " + line);
    }
    m_base_url = line.substr(sp1 + 1, sp2 - sp1 - 1);
    m_ca_file = line.substr(line.find("ca=") + 3);
  }
  ~Emulator() { stop(); }
  Emulator(const Emulator&) = delete;
  Emulator& operator=(const Emulator&) = delete;

  void stop()
  {
    if (m_pid > 0) {
      ::kill(m_pid, SIGTERM);
      int status = 0;
      ::waitpid(m_pid, &status, 0);
      m_pid = -1;
    }
  }

  const std::string& base_url() const { return m_base_url; }
  const std::string& ca_file() const { return m_ca_file; }
  std::vector<std::string> api_args() const { return {"--api-base", m_base_url, "--ca-file", m_ca_file}; }

  cloudflare::ClientOptions client_options() const
  {
    cloudflare::ClientOptions o;
    o.api_base = m_base_url;
    o.ca_file = m_ca_file;
    o.proxy = cloudflare::ProxySettings{};
    o.retry.base_delay = std::chrono::milliseconds(50);
    o.retry.max_delay = std::chrono::milliseconds(200);
    o.timeouts.read = std::chrono::milliseconds(10000);
    return o;
  }

  json::value state() const
  {
    cloudflare::SessionOptions so;
    so.endpoint = *cloudflare::parse_api_base(m_base_url.substr(0, m_base_url.rfind("/client/v4")));
    so.ca_file = m_ca_file;
    auto session = cloudflare::HttpsSession::create(std::move(so));
    if (!session) {
      throw std::runtime_error("admin session failed");
    }
    cloudflare::HttpRequest req;
    req.method = "GET";
    req.target = "/__emulator/state";
    cloudflare::SendInfo info;
    auto res = (*session)->send(req, info);
    if (!res) {
      throw std::runtime_error("admin call failed: " + res.error().message());
    }
    return json::parse(res->body);
  }

  // Every token except the seed's bootstrap token (admin view: ids, names, policies; no values).
  std::vector<json::object> tokens() const
  {
    std::vector<json::object> out;
    json::value admin = state();  // kept alive for the loop
    for (const auto& t : admin.at("tokens").as_array()) {
      if (t.at("name").as_string() != "bootstrap") {
        out.push_back(t.as_object());
      }
    }
    return out;
  }

  // The id the emulator reports for a token value (GET /user/tokens/verify as that token), or "".
  std::string verify(const std::string& value) const
  {
    auto client = cloudflare::Client::create(client_options(), testing::bearer(value));
    if (!client) {
      return {};
    }
    auto v = (*client)->verify_token(cloudflare::TokenOwner::user(), Secret(value));
    if (!v || v->status != "active") {
      return {};
    }
    return v->id;
  }

private:
  testing::TempDir m_dir;
  pid_t m_pid = -1;
  std::string m_base_url;
  std::string m_ca_file;
};

inline std::vector<std::string> token_names(const std::vector<json::object>& tokens)
{
  std::vector<std::string> names;
  for (const auto& t : tokens) {
    names.emplace_back(t.at("name").as_string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

// The planned names behind the emulator's tokens ("<planned>/<run id>" → "<planned>"), sorted.
inline std::vector<std::string> planned_names_of(const std::vector<json::object>& tokens)
{
  std::vector<std::string> names = token_names(tokens);
  for (auto& name : names) {
    const auto slash = name.rfind('/');
    if (slash != std::string::npos && is_run_of(name, std::string_view(name).substr(0, slash))) {
      name.resize(slash);
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

// ---------------------------------------------------------------------------------------------
// Scenario trees.
struct FileSpec {
  std::string path;        // "/etc/..." as on the migrated system
  std::string content;
  unsigned mode = 0644;
  bool nobody = false;     // chown 65534:65534 (when running as root)
  std::string symlink_to;  // non-empty: `path` is a relative symlink to this
};

struct Scenario {
  std::vector<FileSpec> files;
};

inline std::string certbot_ini(const std::string& email, const std::string& key)
{
  return "# Cloudflare credentials\n# chmod 600 /etc/letsencrypt/cloudflare.ini\ndns_cloudflare_email = " + email
         + "\ndns_cloudflare_api_key = " + key + "\n";
}

inline std::string certbot_renewal(const std::string& domain)
{
  return "# renew_before_expiry = 30 days\nversion = 2.11.0\ncert = /etc/letsencrypt/live/" + domain
         + "/cert.pem\n\n[renewalparams]\nauthenticator = dns-cloudflare\n"
           "dns_cloudflare_credentials = /etc/letsencrypt/cloudflare.ini\ndns_cloudflare_propagation_seconds = 30\n";
}

inline std::string traefik_compose(const std::string& host, const std::string& email = k_email)
{
  return "services:\n  traefik:\n    image: traefik:v3.1\n    restart: unless-stopped\n    environment:\n"
         "      - CF_API_EMAIL=" + email + "\n      - CF_API_KEY=${CF_API_KEY}\n    labels:\n"
         "      - \"traefik.http.routers.shop.rule=Host(`" + host + "`)\"\n";
}

inline std::string traefik_env(const std::string& key) { return "COMPOSE_PROJECT_NAME=traefik\nCF_API_KEY=" + key + "\n"; }

inline std::string ddclient_conf(const std::string& key)
{
  return "# Configuration file for ddclient\ndaemon=300\nssl=yes\nuse=web, web=https://cloudflare.com/cdn-cgi/trace, web-skip='ip='\n\n"
         "protocol=cloudflare, \\\nzone=example.org, \\\nttl=1, \\\nlogin=admin@example.com, \\\npassword='" + key + "' \\\nhome.example.org\n";
}

inline std::string purge_script(const std::string& key)
{
  return std::string("#!/bin/bash\n# Purge the cache of example.com after a deploy.\nset -euo pipefail\n"
                     "curl -fsS -X POST \"https://api.cloudflare.com/client/v4/zones/") + testing::k_zone_com + "/purge_cache\" \\\n"
         "  -H \"X-Auth-Email: admin@example.com\" \\\n  -H \"X-Auth-Key: " + key + "\" \\\n"
         "  -H \"Content-Type: application/json\" \\\n  --data '{\"purge_everything\":true}'\n";
}

// Four programs, four tokens, five rewritten files (one reached through a symlink, one 0444,
// two owned by nobody when root) plus an unrelated file that must never change.
inline Scenario full_scenario()
{
  return Scenario{{
    {"/etc/letsencrypt/cloudflare.ini", certbot_ini(k_email, k_key), 0600, false, ""},
    {"/etc/letsencrypt/renewal/example.com.conf", certbot_renewal("example.com"), 0644, false, ""},
    {"/srv/traefik/docker-compose.yml", traefik_compose("shop.example.com"), 0644, true, ""},
    {"/srv/traefik/.env", traefik_env(k_key), 0640, true, ""},
    {"/opt/secrets/ddclient.conf", ddclient_conf(k_key), 0444, false, ""},
    {"/etc/ddclient.conf", "", 0, false, "../opt/secrets/ddclient.conf"},
    {"/usr/local/bin/purge-cache.sh", purge_script(k_key), 0750, false, ""},
  }};
}

// Two programs, two tokens, three rewritten files: the fault loops run this many times.
inline Scenario small_scenario()
{
  return Scenario{{
    {"/etc/letsencrypt/cloudflare.ini", certbot_ini(k_email, k_key), 0600, false, ""},
    {"/etc/letsencrypt/renewal/example.com.conf", certbot_renewal("example.com"), 0644, false, ""},
    {"/srv/traefik/docker-compose.yml", traefik_compose("shop.example.com"), 0644, true, ""},
    {"/srv/traefik/.env", traefik_env(k_key), 0640, true, ""},
  }};
}

// (Re)creates `root` with exactly the scenario's files.
inline void materialize(const Scenario& scenario, const fs::path& root)
{
  fs::remove_all(root);
  fs::create_directories(root);
  for (const auto& f : scenario.files) {
    fs::path full = root / f.path.substr(1);
    fs::create_directories(full.parent_path());
    if (!f.symlink_to.empty()) {
      fs::create_symlink(f.symlink_to, full);
      continue;
    }
    {
      std::ofstream out(full, std::ios::binary | std::ios::trunc);
      out.write(f.content.data(), static_cast<std::streamsize>(f.content.size()));
    }
    if (f.nobody && running_as_root()) {
      BOOST_REQUIRE(::chown(full.c_str(), k_nobody, k_nobody) == 0);
    }
    BOOST_REQUIRE(::chmod(full.c_str(), f.mode) == 0);
  }
}

// ---------------------------------------------------------------------------------------------
// Snapshots: every non-directory entry under a root, keyed "/rel/path", symlinks not followed.
struct Entry {
  bool symlink = false;
  std::string link;
  std::string content;
  unsigned mode = 0;
  unsigned uid = 0;
  unsigned gid = 0;
  bool operator==(const Entry&) const = default;
};
using Snapshot = std::map<std::string, Entry>;

inline bool is_temp_leftover(const std::string& path)
{
  std::string name = fs::path(path).filename().string();
  return name.starts_with('.') && name.find(".cfmigrate-") != std::string::npos && name.ends_with(".tmp");
}

inline Snapshot snapshot(const fs::path& root)
{
  Snapshot snap;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(root, ec); it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) {
      break;
    }
    struct stat st{};
    if (::lstat(it->path().c_str(), &st) != 0 || S_ISDIR(st.st_mode)) {
      continue;
    }
    Entry e;
    e.mode = st.st_mode & 07777;
    e.uid = st.st_uid;
    e.gid = st.st_gid;
    if (S_ISLNK(st.st_mode)) {
      e.symlink = true;
      e.link = fs::read_symlink(it->path()).string();
    } else {
      e.content = test::read_file(it->path());
    }
    snap["/" + it->path().lexically_relative(root).string()] = std::move(e);
  }
  return snap;
}

// Temp files an interrupted atomic write left next to a target.
inline std::vector<std::string> temp_leftovers(const Snapshot& snap)
{
  std::vector<std::string> out;
  for (const auto& [path, e] : snap) {
    if (is_temp_leftover(path)) {
      out.push_back(path);
    }
  }
  return out;
}

// Names (never contents) of the differences between two snapshots; "" when identical. Temp
// leftovers are ignored when `ignore_temp` (they are checked separately).
inline std::string differences(const Snapshot& expected, const Snapshot& actual, bool ignore_temp = false)
{
  std::string why;
  for (const auto& [path, e] : expected) {
    auto it = actual.find(path);
    if (it == actual.end()) {
      why += path + ": missing; ";
      continue;
    }
    const Entry& a = it->second;
    if (e.symlink != a.symlink || e.link != a.link) {
      why += path + ": symlink differs; ";
    }
    if (e.content != a.content) {
      why += path + ": content differs; ";
    }
    if (!e.symlink && e.mode != a.mode) {
      why += path + ": mode " + std::to_string(a.mode) + " instead of " + std::to_string(e.mode) + "; ";
    }
    if (!e.symlink && (e.uid != a.uid || e.gid != a.gid)) {
      why += path + ": owner differs; ";
    }
  }
  for (const auto& [path, a] : actual) {
    if (expected.count(path) == 0 && !(ignore_temp && is_temp_leftover(path))) {
      why += path + ": unexpected file; ";
    }
  }
  return why;
}

// ---------------------------------------------------------------------------------------------
// The fully migrated form: every planned edit applied to the original with some token value in
// each token slot (the same value for the same plan token), everything else (other files, modes,
// owners, links) as in the original.
struct MigratedCheck {
  std::string why;                            // "" when the tree is fully migrated (paths only)
  std::map<std::string, std::string> tokens;  // plan token key -> value found in the files (secret)
  bool ok() const { return why.empty(); }
};

inline MigratedCheck check_migrated(const plan::Plan& plan, const Snapshot& original, const Snapshot& actual,
                                    bool ignore_temp = false)
{
  MigratedCheck check;
  Snapshot expected = original;
  std::set<std::string> edited;
  for (const auto& e : plan.edits) {
    edited.insert(e.path);
    auto orig = original.find(e.path);
    auto now = actual.find(e.path);
    if (orig == original.end() || now == actual.end()) {
      check.why += e.path + ": missing; ";
      continue;
    }
    // The template, with \x01<key>\x02 where a token goes.
    bool encoded = false;
    std::string templ = plan::apply_changes(orig->second.content, e.changes, [&](const std::string& key, bool encode) {
      encoded = encoded || encode;
      return "\x01" + key + "\x02";
    });
    if (encoded) {
      check.why += e.path + ": base64 token slots are not supported by this check; ";
      continue;
    }
    const std::string& text = now->second.content;
    std::size_t at = 0;
    bool match = true;
    for (std::size_t i = 0; i < templ.size() && match;) {
      if (templ[i] == '\x01') {
        std::size_t end = templ.find('\x02', i);
        std::string key = templ.substr(i + 1, end - i - 1);
        std::size_t len = 0;
        while (at + len < text.size() && token_char(text[at + len])) {
          ++len;
        }
        std::string value = text.substr(at, len);
        if (len != 40) {
          match = false;
          break;
        }
        auto [it, inserted] = check.tokens.emplace(key, value);
        if (!inserted && it->second != value) {
          check.why += e.path + ": token " + key + " differs from its other files; ";
        }
        at += len;
        i = end + 1;
      } else {
        match = at < text.size() && text[at] == templ[i];
        ++at;
        ++i;
      }
    }
    if (!match || at != text.size()) {
      check.why += e.path + ": not in its migrated form; ";
    }
    if (contains(text, k_key)) {
      check.why += e.path + ": still holds the Global key; ";
    }
    const Entry& o = orig->second;
    const Entry& a = now->second;
    if (o.mode != a.mode || o.uid != a.uid || o.gid != a.gid || a.symlink) {
      check.why += e.path + ": mode/owner/type changed; ";
    }
  }
  Snapshot rest_expected;
  Snapshot rest_actual;
  for (const auto& [path, entry] : expected) {
    if (edited.count(path) == 0) {
      rest_expected[path] = entry;
    }
  }
  for (const auto& [path, entry] : actual) {
    if (edited.count(path) == 0) {
      rest_actual[path] = entry;
    }
  }
  check.why += differences(rest_expected, rest_actual, ignore_temp);
  for (const auto& t : plan.tokens) {
    if (!t.files.empty() && check.tokens.count(t.key) == 0) {
      check.why += "token " + t.key + " is in no file; ";
    }
  }
  return check;
}

// Fully migrated and consistent with the emulator: exactly one token per planned token (by name),
// each file's token verifies as active and is one of them, and every token is used by a file.
inline std::string migrated_and_tokens_ok(const Emulator& emulator, const plan::Plan& plan, const Snapshot& original,
                                          const Snapshot& actual, bool ignore_temp = false)
{
  MigratedCheck check = check_migrated(plan, original, actual, ignore_temp);
  std::string why = check.why;
  auto tokens = emulator.tokens();
  std::vector<std::string> planned;
  for (const auto& t : plan.tokens) {
    planned.push_back(t.name);
  }
  std::sort(planned.begin(), planned.end());
  if (planned_names_of(tokens) != planned) {
    why += "emulator has " + std::to_string(tokens.size()) + " token(s), not exactly the " + std::to_string(planned.size())
           + " planned; ";
  }
  std::set<std::string> ids;
  for (const auto& t : tokens) {
    ids.insert(std::string(t.at("id").as_string()));
  }
  std::set<std::string> used;
  for (const auto& [key, value] : check.tokens) {
    std::string id = emulator.verify(value);
    if (id.empty()) {
      why += "the token in the files for " + key + " does not verify; ";
    } else if (ids.count(id) == 0) {
      why += "the token for " + key + " is not one of the emulator's; ";
    } else {
      used.insert(id);
      const plan::PlannedToken* planned_token = plan.token(key);
      for (const auto& t : tokens) {
        if (t.at("id").as_string() == id && planned_token != nullptr && !is_run_of(t.at("name").as_string(), planned_token->name)) {
          why += "the token for " + key + " has another token's name; ";
        }
      }
    }
  }
  if (used.size() != ids.size()) {
    why += std::to_string(ids.size() - std::min(ids.size(), used.size())) + " token(s) on the emulator used by no file; ";
  }
  return why;
}

// ---------------------------------------------------------------------------------------------
// One test's world: a root tree, a state dir and a plan, and the cfmigrate binary bound to them.
class World {
public:
  World(const Emulator& emulator, Scenario scenario) : m_emulator(emulator), m_scenario(std::move(scenario))
  {
    m_root = m_dir.path() / "root";
    m_state = m_dir.path() / "state";
    m_plan_path = m_dir.path() / "plan.json";
    materialize(m_scenario, m_root);
    m_original = snapshot(m_root);
  }

  const fs::path& dir() const { return m_dir.path(); }
  const fs::path& root() const { return m_root; }
  const fs::path& state() const { return m_state; }
  const fs::path& plan_path() const { return m_plan_path; }
  const Snapshot& original() const { return m_original; }
  const plan::Plan& plan() const { return m_plan; }
  const std::string& plan_text() const { return m_plan_text; }
  const Scenario& scenario() const { return m_scenario; }
  const Emulator& emulator() const { return m_emulator; }
  std::string migration_dir() const { return (m_state / "migrations" / m_plan.plan_id).string(); }

  // With CFMIGRATE_FAIL_AT in `env`, the test-only cfmigrate-with-faults runs (the shipped binary
  // ignores that variable); else the shipped cfmigrate.
  ProcessResult run(std::vector<std::string> args, const std::vector<std::string>& env = {}) const
  {
    const bool faults = std::any_of(env.begin(), env.end(),
                                    [](const std::string& e) { return e.rfind("CFMIGRATE_FAIL_AT=", 0) == 0; });
    args.insert(args.begin(), faults ? CFMIGRATE_FAULTS_BINARY : CFMIGRATE_BINARY);
    return test::run_process(args, env);
  }

  ProcessResult run_plan(const std::string& host = "web-01", std::vector<std::string> extra = {})
  {
    std::vector<std::string> args{"plan", "--root", m_root.string(), "--host-name", host, "--out", m_plan_path.string(),
                                  "--state-dir", m_state.string()};
    auto api = m_emulator.api_args();
    args.insert(args.end(), api.begin(), api.end());
    args.insert(args.end(), extra.begin(), extra.end());
    ProcessResult r = run(args);
    m_plan_text = test::read_file(m_plan_path);
    if (!m_plan_text.empty()) {
      auto parsed = plan::plan_from_json(json::parse(m_plan_text));
      if (parsed) {
        m_plan = std::move(*parsed);
      }
    }
    return r;
  }

  // Plans and requires a plan with changes (exit 2).
  void plan_or_fail()
  {
    ProcessResult r = run_plan();
    BOOST_TEST_REQUIRE(r.exit_code == cli::k_exit_found, "plan exit " << r.exit_code << ": " << r.err);
    BOOST_TEST_REQUIRE(!m_plan.edits.empty());
  }

  // Puts the original tree back (new inodes) and rewrites the saved plan's inodes to match, so the
  // same plan can be applied again without planning (a fresh state dir is used by the caller).
  void reset_tree()
  {
    materialize(m_scenario, m_root);
    json::value plan = json::parse(m_plan_text);
    for (auto& f : plan.at("files").as_array()) {
      struct stat st{};
      std::string real = m_root.string() + std::string(f.at("path").as_string());
      BOOST_REQUIRE(::stat(real.c_str(), &st) == 0);
      f.as_object()["inode"] = static_cast<std::uint64_t>(st.st_ino);
    }
    // Signed again with the state dir's key, as `plan` would have (exec/plan_authentication.hpp).
    auto key = exec::plan_key(m_state.string(), exec::KeyCreation::existing_only);
    BOOST_REQUIRE(static_cast<bool>(key));
    plan::sign_plan_json(plan.as_object(), *key);
    m_plan_text = json::serialize(plan);
    std::ofstream(m_plan_path, std::ios::trunc) << m_plan_text;
  }

  // A fresh state dir on the same machine: journals and backups start empty, the plan key (the
  // one the plan was signed with) comes along.
  void use_state_dir(const fs::path& state)
  {
    const fs::path key = m_state / "plan.key";
    if (fs::exists(key) && state != m_state) {
      fs::create_directories(state);
      fs::permissions(state, fs::perms::owner_all);
      fs::copy_file(key, state / "plan.key", fs::copy_options::overwrite_existing);
    }
    m_state = state;
  }
  // A state dir of another machine: no plan key of this plan.
  void use_foreign_state_dir(const fs::path& state) { m_state = state; }

  std::vector<std::string> exec_args(std::vector<std::string> args, const std::string& host = "web-01") const
  {
    for (const std::string& a : {std::string("--state-dir"), m_state.string(), std::string("--host-name"), host}) {
      args.push_back(a);
    }
    auto api = m_emulator.api_args();
    args.insert(args.end(), api.begin(), api.end());
    return args;
  }

  ProcessResult apply(std::vector<std::string> extra = {}, const std::vector<std::string>& env = {},
                      const std::string& host = "web-01") const
  {
    std::vector<std::string> args{"apply", m_plan_path.string(), "--yes", "--verify-timeout", "20"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run(exec_args(args, host), env);
  }

  ProcessResult rollback(std::vector<std::string> extra = {}, const std::vector<std::string>& env = {}) const
  {
    std::vector<std::string> args{"rollback", "--last", "--yes"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run(exec_args(args), env);
  }

  ProcessResult status_json() const { return run({"status", "--format", "json", "--state-dir", m_state.string()}); }

  // The state of this world's migration from `status --format json` ("" if absent).
  std::string migration_state() const
  {
    ProcessResult r = status_json();
    if (r.exit_code != 0) {
      return "status exit " + std::to_string(r.exit_code);
    }
    json::value status = json::parse(r.out);  // kept alive for the loop
    for (const auto& m : status.at("migrations").as_array()) {
      if (m.at("plan_id").as_string() == m_plan.plan_id) {
        return std::string(m.at("state").as_string());
      }
    }
    return "";
  }

  Snapshot now() const { return snapshot(m_root); }

  // "" when every file is byte-identical to the original (content, mode, owner, links).
  std::string original_diff(bool ignore_temp = false) const { return differences(m_original, now(), ignore_temp); }

  // "" when the tree is fully migrated and the emulator holds exactly the tokens the files use.
  std::string migrated_diff(bool ignore_temp = false) const
  {
    return migrated_and_tokens_ok(m_emulator, m_plan, m_original, now(), ignore_temp);
  }

  // The token values in the migrated files (secrets: never print).
  std::map<std::string, std::string> file_tokens() const { return check_migrated(m_plan, m_original, now()).tokens; }

private:
  const Emulator& m_emulator;
  Scenario m_scenario;
  test::TempDir m_dir;
  fs::path m_root;
  fs::path m_state;
  fs::path m_plan_path;
  Snapshot m_original;
  plan::Plan m_plan;
  std::string m_plan_text;
};

// The emulator holds no token but the seed's bootstrap token.
inline bool no_tokens(const Emulator& emulator) { return emulator.tokens().empty(); }

// Every regular file under `dir` (recursive), for secret scans of the state dir.
inline std::vector<fs::path> files_under(const fs::path& dir)
{
  std::vector<fs::path> out;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) {
      break;
    }
    if (it->is_regular_file()) {
      out.push_back(it->path());
    }
  }
  return out;
}

} // namespace cfmigrate::apply_test
