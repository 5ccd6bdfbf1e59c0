#include <cfmigrate/emulator/cli.hpp>

#include <cfmigrate/emulator/server.hpp>
#include <cfmigrate/util/json_file.hpp>

#include <boost/json/parse.hpp>
#include <boost/program_options.hpp>

#include <csignal>
#include <sys/prctl.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

namespace cfmigrate::emulator {

namespace po = boost::program_options;
namespace json = boost::json;

namespace {

// The groups the emulator's authorization checks refer to, used when no permission-group file is
// found (data/permission_groups.json is the full list).
constexpr const char* k_builtin_groups = R"([
 {"id":"c8fed203ed3043cba015a93ad1616f1f","name":"Zone Read","scope":"com.cloudflare.api.account.zone"},
 {"id":"e6d2666161e84845a636613608cee8d5","name":"Zone Write","scope":"com.cloudflare.api.account.zone"},
 {"id":"82e64a83756745bbbb1c9c2701bf816b","name":"DNS Read","scope":"com.cloudflare.api.account.zone"},
 {"id":"4755a26eedb94da69e1066d98aa820be","name":"DNS Write","scope":"com.cloudflare.api.account.zone"},
 {"id":"517b21aee92c4d89936c976ba6e4be55","name":"Zone Settings Read","scope":"com.cloudflare.api.account.zone"},
 {"id":"3030687196b94b638145a3953da2b699","name":"Zone Settings Write","scope":"com.cloudflare.api.account.zone"},
 {"id":"e17beae8b8cb423a99b1730f21238bed","name":"Cache Purge","scope":"com.cloudflare.api.account.zone"},
 {"id":"9c88f9c5bce24ce7af9a958ba9c504db","name":"Analytics Read","scope":"com.cloudflare.api.account.zone"},
 {"id":"c1fde68c7bcc44588cbb6ddbc16d6480","name":"Account Settings Read","scope":"com.cloudflare.api.account"},
 {"id":"eb56a6953c034b9d97dd838155666f06","name":"Account API Tokens Read","scope":"com.cloudflare.api.account"},
 {"id":"5bc3f8b21c554832afc660159ab75fa4","name":"Account API Tokens Write","scope":"com.cloudflare.api.account"},
 {"id":"0cc3a61731504c89b99ec1be78b77aa0","name":"API Tokens Read","scope":"com.cloudflare.api.user"},
 {"id":"686d18d5ac6c441c867cbf6771e58a0a","name":"API Tokens Write","scope":"com.cloudflare.api.user"},
 {"id":"8acbe5bb0d54464ab867149d7f7cf8ac","name":"User Details Read","scope":"com.cloudflare.api.user"}
])";

std::string find_permission_groups_file(const std::string& explicit_path)
{
  if (!explicit_path.empty()) {
    return explicit_path;
  }
  if (const char* env = std::getenv("CFMIGRATE_PERMISSION_GROUPS"); env != nullptr && *env != '\0') {
    return env;
  }
  std::error_code ec;
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const std::filesystem::path dir = exe.parent_path();
    for (const auto& candidate : {dir / "../share/cfmigrate/permission_groups.json", dir / "../data/permission_groups.json",
                                  dir / "data/permission_groups.json"}) {
      if (std::filesystem::exists(candidate, ec)) {
        return candidate.lexically_normal().string();
      }
    }
  }
  return {};
}

bool parse_rate_limit(const std::string& text, cloudflare::RateLimit& out)
{
  const std::size_t slash = text.find('/');
  if (slash == std::string::npos) {
    return false;
  }
  try {
    const long long n = std::stoll(text.substr(0, slash));
    const double seconds = std::stod(text.substr(slash + 1));
    if (n < 0 || seconds <= 0) {
      return false;
    }
    out.requests = static_cast<std::size_t>(n);
    out.window = std::chrono::milliseconds(static_cast<long long>(seconds * 1000.0));
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

} // namespace

int run_emulator(int argc, char** argv, std::ostream& out, std::ostream& err)
{
  po::options_description desc("cfmigrate-emulator: a stateful stand-in for the Cloudflare v4 API (loopback only)");
  std::string seed, listen = "127.0.0.1:0", tls_dir, rate_limit = "1200/300", state_file, groups_file, api_prefix = "/client/v4";
  std::uint64_t fail_nth = 0, drop_nth = 0, answer_429_nth = 0;
  std::int64_t delay_ms = 0, propagation = 0;
  desc.add_options()
    ("help,h", "show this help")
    ("seed", po::value(&seed), "seed JSON file (users, accounts, zones, optional tokens) -- required")
    ("listen", po::value(&listen)->default_value(listen), "loopback address:port to listen on (port 0: pick a free one)")
    ("tls-dir", po::value(&tls_dir), "directory for the generated CA and server certificate (default: a new temp dir)")
    ("http", "serve plain HTTP instead of HTTPS")
    ("rate-limit", po::value(&rate_limit)->default_value(rate_limit), "N/SECONDS: allow N API requests per fixed window, then 429; 0/1 disables")
    ("fail-nth", po::value(&fail_nth), "answer the Nth API request with HTTP 500")
    ("drop-nth", po::value(&drop_nth), "close the connection instead of answering the Nth API request")
    ("delay-ms", po::value(&delay_ms), "delay every API answer by this many milliseconds")
    ("answer-429-nth", po::value(&answer_429_nth), "answer the Nth API request with 429 and Retry-After: 1")
    ("token-propagation-seconds", po::value(&propagation), "new tokens become valid only after this many seconds")
    ("state-file", po::value(&state_file), "write the admin state (no secrets) to this file after each change")
    ("permission-groups", po::value(&groups_file), "permission-group JSON (default: data/permission_groups.json near the binary)")
    ("api-prefix", po::value(&api_prefix)->default_value(api_prefix), "path prefix of the API")
    ("exit-with-parent", "stop when the process that started it dies (tests: no orphan emulator holds their output open)");
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc, argv, desc), vm);
    po::notify(vm);
  } catch (const std::exception& e) {
    err << "cfmigrate-emulator: " << e.what() << "\n" << desc << "\n";
    return 2;
  }
  if (vm.count("help") != 0) {
    out << desc << "\n";
    return 0;
  }
  if (seed.empty()) {
    err << "cfmigrate-emulator: --seed FILE is required\n";
    return 2;
  }
  if (vm.count("exit-with-parent") != 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() == 1) {
      return 0;  // the parent is already gone
    }
  }
  ServiceOptions service_options;
  service_options.api_prefix = api_prefix == "/" ? "" : api_prefix;
  if (!parse_rate_limit(rate_limit, service_options.rate_limit)) {
    err << "cfmigrate-emulator: --rate-limit must look like 1200/300\n";
    return 2;
  }
  service_options.faults.fail_nth = fail_nth;
  service_options.faults.drop_nth = drop_nth;
  service_options.faults.answer_429_nth = answer_429_nth;
  service_options.faults.delay_ms = delay_ms;
  service_options.faults.token_propagation_seconds = propagation;
  service_options.state_file = state_file;

  ServerOptions server_options;
  const std::size_t colon = listen.rfind(':');
  if (colon == std::string::npos) {
    err << "cfmigrate-emulator: --listen must be ADDRESS:PORT\n";
    return 2;
  }
  server_options.listen_host = listen.substr(0, colon);
  if (server_options.listen_host.size() > 2 && server_options.listen_host.front() == '[') {
    server_options.listen_host = server_options.listen_host.substr(1, server_options.listen_host.size() - 2);
  }
  try {
    const int port = std::stoi(listen.substr(colon + 1));
    if (port < 0 || port > 65535) {
      throw std::out_of_range("port");
    }
    server_options.port = static_cast<std::uint16_t>(port);
  } catch (const std::exception&) {
    err << "cfmigrate-emulator: --listen port must be 0..65535\n";
    return 2;
  }

  // Permission groups: the project's data file, else the built-in subset.
  json::value groups;
  const std::string groups_path = find_permission_groups_file(groups_file);
  if (!groups_path.empty()) {
    auto read = read_json_file(groups_path);
    if (!read) {
      err << "cfmigrate-emulator: " << groups_path << ": not a readable JSON file\n";
      return 1;
    }
    groups = std::move(*read);
  } else {
    groups = json::parse(k_builtin_groups);
  }
  auto seed_json = read_json_file(seed);
  if (!seed_json) {
    err << "cfmigrate-emulator: " << seed_json.error().describe() << "\n";
    return 1;
  }
  Result<State> state = State::from_json(*seed_json, groups);
  if (!state) {
    err << "cfmigrate-emulator: " << seed << ": " << state.error().message() << "\n";
    return 1;
  }

  if (vm.count("http") == 0) {
    if (tls_dir.empty()) {
      std::string templ = (std::filesystem::temp_directory_path() / "cfmigrate-emulator-XXXXXX").string();
      if (::mkdtemp(templ.data()) == nullptr) {
        err << "cfmigrate-emulator: cannot create a temporary directory for the certificates\n";
        return 1;
      }
      tls_dir = templ;
    }
    Result<TlsMaterial> tls = generate_tls_material(tls_dir);
    if (!tls) {
      err << "cfmigrate-emulator: " << tls.error().describe() << "\n";
      return 1;
    }
    server_options.tls = *tls;
  }

  Service service(std::move(*state), service_options);
  (void)service.save_state();
  Result<std::unique_ptr<Server>> server = Server::create(service, server_options);
  if (!server) {
    err << "cfmigrate-emulator: " << server.error().message() << "\n";
    return 1;
  }
  const std::string host = server_options.listen_host.find(':') != std::string::npos ? "[" + server_options.listen_host + "]"
                                                                                    : server_options.listen_host;
  out << "listening " << (server_options.tls ? "https://" : "http://") << host << ":" << (*server)->port()
      << service_options.api_prefix << " ca=" << (server_options.tls ? server_options.tls->ca_cert_path : std::string("none"))
      << std::endl;
  (*server)->run();
  (void)service.save_state();
  err << "cfmigrate-emulator: stopped after " << service.api_requests() << " API requests\n";
  return 0;
}

} // namespace cfmigrate::emulator
