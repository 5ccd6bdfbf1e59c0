#pragma once
// Starts cfmigrate-emulator as a child process for a test, reads its "listening URL ca=PATH" line,
// and stops it with SIGTERM in the destructor. Also: a seed for tests and admin-endpoint helpers.

#include <cfmigrate/cloudflare/client.hpp>
#include <cfmigrate/cloudflare/https_session.hpp>

#include <boost/json.hpp>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

extern char** environ;

namespace cfmigrate::testing {

inline constexpr const char* k_test_email = "admin@example.com";
inline constexpr const char* k_test_key = "0f3a5c7e9b1d2f4a6c8e0b2d4f6a8c0e1a3c5"; // 37 hex, test only
inline constexpr const char* k_bootstrap_token = "bootstrapTokenForTests0123456789abcdefgh"; // 40 chars, test only
inline constexpr const char* k_account = "01a7362d577a6c3019a474fd6f485823";
inline constexpr const char* k_zone_com = "023e105f4ecef8ad9ca31a8372d0c353";
inline constexpr const char* k_zone_org = "1b5c6b1a2f3e4d5c6b7a8f9e0d1c2b3a";
inline constexpr const char* k_user_id = "7c5dae5552338874e5053f2534d2767a";
// Permission-group ids (data/permission_groups.json).
inline constexpr const char* k_zone_read = "c8fed203ed3043cba015a93ad1616f1f";
inline constexpr const char* k_dns_read = "82e64a83756745bbbb1c9c2701bf816b";
inline constexpr const char* k_dns_write = "4755a26eedb94da69e1066d98aa820be";
inline constexpr const char* k_settings_read = "517b21aee92c4d89936c976ba6e4be55";
inline constexpr const char* k_cache_purge = "e17beae8b8cb423a99b1730f21238bed";
inline constexpr const char* k_analytics_read = "9c88f9c5bce24ce7af9a958ba9c504db";
inline constexpr const char* k_api_tokens_write = "686d18d5ac6c441c867cbf6771e58a0a";
inline constexpr const char* k_account_api_tokens_write = "5bc3f8b21c554832afc660159ab75fa4";

// A unique temporary directory, removed at destruction.
class TempDir {
public:
  TempDir()
  {
    std::string templ = (std::filesystem::temp_directory_path() / "cfmigrate-test-XXXXXX").string();
    if (::mkdtemp(templ.data()) == nullptr) {
      throw std::runtime_error("mkdtemp failed");
    }
    m_path = templ;
  }
  ~TempDir()
  {
    std::error_code ec;
    std::filesystem::remove_all(m_path, ec);
  }
  const std::string& path() const { return m_path; }

private:
  std::string m_path;
};

// The test seed: one user with the Global key and a bootstrap token (API Tokens Write, Account API
// Tokens Write), one account with example.com, example.org and `extra_zones` more zones.
inline std::string write_test_seed(const std::string& dir, int extra_zones = 0)
{
  namespace json = boost::json;
  json::array zones{json::object{{"id", k_zone_com}, {"name", "example.com"}, {"account", k_account}},
                    json::object{{"id", k_zone_org}, {"name", "example.org"}, {"account", k_account}}};
  for (int i = 0; i < extra_zones; ++i) {
    char id[33];
    std::snprintf(id, sizeof id, "%032x", i + 1);
    zones.push_back(json::object{{"id", id}, {"name", "zone" + std::to_string(1000 + i) + ".example"}, {"account", k_account}});
  }
  json::object bootstrap{
    {"name", "bootstrap"},
    {"user", k_user_id},
    {"value", k_bootstrap_token},
    {"policies",
     json::array{json::object{{"effect", "allow"},
                              {"permission_groups", json::array{json::object{{"id", k_api_tokens_write}}}},
                              {"resources", json::object{{std::string("com.cloudflare.api.user.") + k_user_id, "*"}}}},
                 json::object{{"effect", "allow"},
                              {"permission_groups", json::array{json::object{{"id", k_account_api_tokens_write}}}},
                              {"resources", json::object{{std::string("com.cloudflare.api.account.") + k_account, "*"}}}}}}};
  json::object seed{{"users", json::array{json::object{{"id", k_user_id},
                                                       {"email", k_test_email},
                                                       {"global_key", k_test_key},
                                                       {"accounts", json::array{k_account}}}}},
                    {"accounts", json::array{json::object{{"id", k_account}, {"name", "Example Account"}}}},
                    {"zones", std::move(zones)},
                    {"tokens", json::array{std::move(bootstrap)}}};
  const std::string path = dir + "/seed.json";
  std::ofstream(path) << json::serialize(seed);
  return path;
}

class EmulatorProcess {
public:
  explicit EmulatorProcess(const std::vector<std::string>& extra_args, int extra_zones = 0, bool http = false)
  {
    const std::string seed = write_test_seed(m_dir.path(), extra_zones);
    std::vector<std::string> args{CFMIGRATE_EMULATOR_BINARY, "--seed", seed, "--listen", "127.0.0.1:0", "--exit-with-parent",
                                  "--permission-groups", std::string(CFMIGRATE_SOURCE_DIR) + "/data/permission_groups.json"};
    if (http) {
      args.emplace_back("--http");
    } else {
      args.emplace_back("--tls-dir");
      args.push_back(m_dir.path() + "/tls");
    }
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    int out_pipe[2];
    if (::pipe(out_pipe) != 0) {
      throw std::runtime_error("pipe failed");
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
    posix_spawn_file_actions_addclose(&actions, out_pipe[0]);
    std::vector<char*> argv;
    for (std::string& a : args) {
      argv.push_back(a.data());
    }
    argv.push_back(nullptr);
    const int rc = posix_spawn(&m_pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(out_pipe[1]);
    if (rc != 0) {
      ::close(out_pipe[0]);
      throw std::runtime_error("cannot start the emulator");
    }
    m_stdout = out_pipe[0];
    std::string line;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    while (line.find('\n') == std::string::npos && std::chrono::steady_clock::now() < deadline) {
      pollfd pfd{m_stdout, POLLIN, 0};
      if (::poll(&pfd, 1, 200) > 0) {
        char buf[512];
        const ssize_t n = ::read(m_stdout, buf, sizeof buf);
        if (n <= 0) {
          break;
        }
        line.append(buf, static_cast<std::size_t>(n));
      }
    }
    // "listening URL ca=PATH"
    const std::size_t sp1 = line.find(' ');
    const std::size_t sp2 = line.find(' ', sp1 + 1);
    if (line.rfind("listening ", 0) != 0 || sp2 == std::string::npos) {
      stop();
      throw std::runtime_error("emulator did not announce its address: " + line);
    }
    m_base_url = line.substr(sp1 + 1, sp2 - sp1 - 1);
    m_ca_file = line.substr(line.find("ca=") + 3);
    while (!m_ca_file.empty() && (m_ca_file.back() == '\n' || m_ca_file.back() == '\r')) {
      m_ca_file.pop_back();
    }
  }
  ~EmulatorProcess() { stop(); }
  EmulatorProcess(const EmulatorProcess&) = delete;
  EmulatorProcess& operator=(const EmulatorProcess&) = delete;

  // Sends SIGTERM and waits; returns the exit status (or -1).
  int stop()
  {
    int status = -1;
    if (m_pid > 0) {
      ::kill(m_pid, SIGTERM);
      ::waitpid(m_pid, &status, 0);
      m_pid = -1;
      if (m_stdout >= 0) {
        ::close(m_stdout);
        m_stdout = -1;
      }
      m_exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    return m_exit_status;
  }

  const std::string& base_url() const { return m_base_url; }
  const std::string& ca_file() const { return m_ca_file; }
  const std::string& dir() const { return m_dir.path(); }
  std::string admin_origin() const { return m_base_url.substr(0, m_base_url.rfind("/client/v4")); }

  cloudflare::ClientOptions client_options() const
  {
    cloudflare::ClientOptions o;
    o.api_base = m_base_url;
    o.ca_file = m_ca_file == "none" ? std::string() : m_ca_file;
    o.proxy = cloudflare::ProxySettings{};
    o.retry.base_delay = std::chrono::milliseconds(50);
    o.retry.max_delay = std::chrono::milliseconds(200);
    o.timeouts.read = std::chrono::milliseconds(5000);
    return o;
  }

  // GET/POST on the admin endpoints (outside /client/v4). Throws on transport failures.
  boost::json::value admin(const std::string& method, const std::string& path, const std::string& body = "") const
  {
    cloudflare::SessionOptions so;
    so.endpoint = *cloudflare::parse_api_base(admin_origin());
    so.ca_file = m_ca_file == "none" ? std::string() : m_ca_file;
    auto session = cloudflare::HttpsSession::create(std::move(so));
    cloudflare::HttpRequest req;
    req.method = method;
    req.target = path;
    req.body = body;
    cloudflare::SendInfo info;
    auto res = (*session)->send(req, info);
    if (!res) {
      throw std::runtime_error("admin call failed: " + res.error().message());
    }
    return boost::json::parse(res->body);
  }
  boost::json::value state() const { return admin("GET", "/__emulator/state"); }
  void set_faults(const std::string& json) const { (void)admin("POST", "/__emulator/faults", json); }
  std::string state_text() const { return boost::json::serialize(state()); }

private:
  TempDir m_dir;
  pid_t m_pid = -1;
  int m_stdout = -1;
  int m_exit_status = -1;
  std::string m_base_url;
  std::string m_ca_file;
};

inline cloudflare::Credentials global_key()
{
  return cloudflare::Credentials(cloudflare::GlobalKey{k_test_email, Secret(k_test_key)});
}

inline cloudflare::Credentials bearer(std::string_view token)
{
  return cloudflare::Credentials(cloudflare::BearerToken{Secret(token)});
}

inline cloudflare::Policy zone_policy(std::initializer_list<const char*> groups, const std::string& zone_id)
{
  cloudflare::Policy p;
  p.effect = cloudflare::Effect::allow;
  for (const char* g : groups) {
    p.permission_group_ids.emplace_back(g);
  }
  p.resources["com.cloudflare.api.account.zone." + zone_id] = std::string("*");
  return p;
}

} // namespace cfmigrate::testing
