#pragma once
// The emulator's request handling, independent of sockets so unit tests can call it directly:
// routing under the API prefix (/client/v4), authentication, per-policy authorization,
// Cloudflare-style validation and errors, pagination, the server-side rate limit and fault
// injection, plus the admin endpoints under /__emulator.

#include <cfmigrate/cloudflare/rate_limiter.hpp>
#include <cfmigrate/emulator/state.hpp>

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cfmigrate::emulator {

struct Request {
  std::string method;
  std::string target; // path and query
  std::vector<std::pair<std::string, std::string>> headers; // names as received
  std::string body;
  std::string client_ip = "127.0.0.1";

  std::string header(std::string_view name) const; // "" when absent (case-insensitive)
};

struct Response {
  enum class Action { respond, drop };
  Action action = Action::respond;
  unsigned status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::chrono::milliseconds delay{0}; // wait this long before answering (or dropping)
};

// Faults are one-shot per request number: "fail_nth = 3" makes the 3rd API request after the
// faults were set answer 500. delay_ms applies to every API request when delay_nth is 0.
struct Faults {
  std::uint64_t fail_nth = 0;
  std::uint64_t drop_nth = 0;
  std::uint64_t answer_429_nth = 0;
  std::uint64_t delay_nth = 0;
  std::int64_t delay_ms = 0;
  std::int64_t retry_after_seconds = 1; // for answer_429_nth
  std::int64_t token_propagation_seconds = 0;
};

struct ServiceOptions {
  std::string api_prefix = "/client/v4";
  cloudflare::RateLimit rate_limit{1200, std::chrono::milliseconds(300'000)}; // requests 0: off
  Faults faults;
  std::string state_file; // written after each change when not empty
};

class Service {
public:
  Service(State state, ServiceOptions options,
          std::shared_ptr<cloudflare::Clock> clock = cloudflare::SystemClock::instance());

  // Handles one request. Never throws for bad input; answers like Cloudflare would.
  Response handle(const Request& request);

  // Counters and admin view.
  std::uint64_t api_requests() const { return m_api_requests; }
  boost::json::value admin_state() const;
  // Writes admin_state() to the state file (if configured). Errors are io errors.
  Status save_state() const;

private:
  struct Call; // one API request on its way through the route table (src/emulator/lib/service_call.hpp)
  using Handler = Response (Service::*)(Call&);
  using Guard = std::optional<Response> (Service::*)(Call&); // the refusal, if any
  // The route table (route_table.cpp): method and path pattern under the API prefix -> handler.
  struct Route {
    std::string_view method;
    std::string_view pattern;
    Handler handler;
  };
  // A part of the path space whose {id} must be resolved (and may be refused) before any route
  // below it, or "no route", is answered.
  struct Scope {
    std::string_view pattern;
    Guard guard;
  };
  static const std::vector<Route>& routes();
  static const std::vector<Scope>& scopes();

  // handle(): fault injection, the fixed rate-limit window, routing.
  std::optional<Response> injected_fault();
  std::chrono::milliseconds injected_delay();
  Response rate_limited_route(const Request& request, std::string_view path, std::string_view query);
  Response route(const Request& request, std::string_view path, std::string_view query);
  std::optional<Response> authenticate(Call& call);
  std::optional<Response> authenticate_global_key(Call& call);
  std::optional<Response> authenticate_token(Call& call);

  Response admin(const Request& request, std::string_view path);
  Response set_faults(const Request& request);

  // Scope guards.
  std::optional<Response> require_zone(Call& call);
  std::optional<Response> own_user_tokens(Call& call);
  std::optional<Response> own_account_tokens(Call& call);
  std::optional<Response> require_token(Call& call);

  // Handlers: /user and /accounts.
  Response get_user(Call& call);
  Response list_accounts(Call& call);
  // /zones
  Response list_zones(Call& call);
  Response get_zone(Call& call);
  Response list_dns_records(Call& call);
  Response create_dns_record(Call& call);
  Response delete_dns_record(Call& call);
  Response list_zone_settings(Call& call);
  Response get_zone_setting(Call& call);
  Response edit_zone_setting(Call& call);
  Response purge_cache(Call& call);
  Response zone_analytics(Call& call);
  boost::json::object zone_json(const Call& call, const ZoneRecord& zone) const;
  bool zone_allows(const Call& call, std::initializer_list<std::string_view> group_names) const;
  // /user/tokens and /accounts/{account_id}/tokens
  Response verify_token(Call& call);
  Response list_permission_groups(Call& call);
  Response list_tokens(Call& call);
  Response create_token(Call& call);
  Response get_token(Call& call);
  Response update_token(Call& call);
  Response delete_token(Call& call);
  Response roll_token(Call& call);

  State m_state;
  ServiceOptions m_options;
  std::shared_ptr<cloudflare::Clock> m_clock;
  std::uint64_t m_api_requests = 0;
  std::uint64_t m_fault_base = 0; // request count when faults were last set
  std::uint64_t m_rate_limited = 0;
  cloudflare::Clock::time_point m_window_start{};
  std::uint64_t m_window_count = 0;
  bool m_window_started = false;
  std::vector<boost::json::value> m_log; // method, path, status of recent API requests
};

// Decodes %XX and '+' in a query component.
std::string url_decode(std::string_view text);

} // namespace cfmigrate::emulator
