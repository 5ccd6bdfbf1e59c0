#include <cfmigrate/util/hex.hpp>
#include <cfmigrate/util/text.hpp>
#include <cfmigrate/emulator/service.hpp>

#include "api_envelope.hpp"

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <fstream>

namespace cfmigrate::emulator {

namespace json = boost::json;

namespace {

constexpr std::size_t k_log_entries = 1000;

} // namespace

std::string url_decode(std::string_view text)
{
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] == '%' && i + 2 < text.size()
               && std::isxdigit(static_cast<unsigned char>(text[i + 1])) != 0
               && std::isxdigit(static_cast<unsigned char>(text[i + 2])) != 0) {
      out += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::string Request::header(std::string_view name) const
{
  const std::string n = to_lower(name);
  for (const auto& [k, v] : headers) {
    if (to_lower(k) == n) {
      return v;
    }
  }
  return {};
}

Service::Service(State state, ServiceOptions options, std::shared_ptr<cloudflare::Clock> clock)
  : m_state(std::move(state)), m_options(std::move(options)), m_clock(std::move(clock))
{
}

json::value Service::admin_state() const
{
  json::value v = m_state.to_admin_json();
  json::object& o = v.as_object();
  o["requests"] = m_api_requests;
  o["rate_limited"] = m_rate_limited;
  const Faults& f = m_options.faults;
  o["faults"] = json::object{{"fail_nth", f.fail_nth},
                             {"drop_nth", f.drop_nth},
                             {"answer_429_nth", f.answer_429_nth},
                             {"delay_nth", f.delay_nth},
                             {"delay_ms", f.delay_ms},
                             {"retry_after_seconds", f.retry_after_seconds},
                             {"token_propagation_seconds", f.token_propagation_seconds}};
  o["rate_limit"] = json::object{{"requests", m_options.rate_limit.requests},
                                 {"window_seconds", static_cast<double>(m_options.rate_limit.window.count()) / 1000.0}};
  json::array log(m_log.begin(), m_log.end());
  o["log"] = std::move(log);
  return v;
}

Status Service::save_state() const
{
  if (m_options.state_file.empty()) {
    return {};
  }
  const std::string tmp = m_options.state_file + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << json::serialize(admin_state()) << "\n";
    if (!out) {
      return make_error(ErrorCode::io, "cannot write state file", tmp);
    }
  }
  if (std::rename(tmp.c_str(), m_options.state_file.c_str()) != 0) {
    return make_error(ErrorCode::io, "cannot replace state file", m_options.state_file);
  }
  return {};
}

Response Service::handle(const Request& request)
{
  const std::string_view target = request.target;
  const std::size_t q = target.find('?');
  const std::string_view path = target.substr(0, q);
  const std::string_view query = q == std::string_view::npos ? std::string_view{} : target.substr(q + 1);
  if (path.substr(0, 11) == "/__emulator") {
    return admin(request, path);
  }
  const std::string& prefix = m_options.api_prefix;
  if (!(path.substr(0, prefix.size()) == prefix && (path.size() == prefix.size() || path[prefix.size()] == '/'))) {
    return no_route();
  }
  ++m_api_requests;
  const std::chrono::milliseconds delay = injected_delay();
  std::optional<Response> fault = injected_fault();
  Response response = fault ? std::move(*fault) : rate_limited_route(request, path.substr(prefix.size()), query);
  response.delay = delay;
  response.headers.emplace_back("cf-ray", random_hex(8) + "-EMU");
  if (m_log.size() >= k_log_entries) {
    m_log.erase(m_log.begin());
  }
  m_log.push_back(json::object{{"method", request.method},
                               {"path", std::string(path)},
                               {"status", response.action == Response::Action::drop ? 0U : response.status}});
  return response;
}

std::chrono::milliseconds Service::injected_delay()
{
  const std::uint64_t n = m_api_requests - m_fault_base;
  Faults& f = m_options.faults;
  if (f.delay_ms <= 0 || (f.delay_nth != 0 && f.delay_nth != n)) {
    return std::chrono::milliseconds(0);
  }
  const std::chrono::milliseconds delay(f.delay_ms);
  if (f.delay_nth == n) { // a one-shot delay; delay_nth 0 delays every request
    f.delay_nth = 0;
    f.delay_ms = 0;
  }
  return delay;
}

std::optional<Response> Service::injected_fault()
{
  const std::uint64_t n = m_api_requests - m_fault_base;
  Faults& f = m_options.faults;
  if (f.drop_nth != 0 && f.drop_nth == n) {
    f.drop_nth = 0;
    Response dropped;
    dropped.action = Response::Action::drop;
    return dropped;
  }
  if (f.fail_nth != 0 && f.fail_nth == n) {
    f.fail_nth = 0;
    return fail(500, api_error::internal, "Internal server error (injected fault)");
  }
  if (f.answer_429_nth != 0 && f.answer_429_nth == n) {
    f.answer_429_nth = 0;
    Response limited = fail(429, api_error::rate_limited, "Rate limited (injected fault)");
    limited.headers.emplace_back("Retry-After", std::to_string(f.retry_after_seconds));
    return limited;
  }
  return std::nullopt;
}

Response Service::rate_limited_route(const Request& request, std::string_view path, std::string_view query)
{
  // Cloudflare's fixed window: once the quota is spent, everything is 429 until the window ends.
  const auto now = m_clock->now();
  const auto window = std::chrono::duration_cast<cloudflare::Clock::duration>(m_options.rate_limit.window);
  if (!m_window_started || now - m_window_start >= window) {
    m_window_started = true;
    m_window_start = now;
    m_window_count = 0;
  }
  ++m_window_count;
  const std::uint64_t quota = m_options.rate_limit.requests;
  const auto reset_ms = std::chrono::duration_cast<std::chrono::milliseconds>(m_window_start + window - now).count();
  const long long reset_s = std::max<long long>(1, (reset_ms + 999) / 1000);
  Response response;
  if (quota != 0 && m_window_count > quota) {
    ++m_rate_limited;
    response = fail(429, api_error::rate_limited, "Rate limited. Please wait and consider throttling your request speed");
    response.headers.emplace_back("Retry-After", std::to_string(reset_s));
  } else {
    response = route(request, path, query);
  }
  if (quota != 0) {
    const std::uint64_t remaining = m_window_count >= quota ? 0 : quota - m_window_count;
    const long long window_s = std::max<long long>(1, m_options.rate_limit.window.count() / 1000);
    response.headers.emplace_back("Ratelimit", "\"default\";r=" + std::to_string(remaining) + ";t=" + std::to_string(reset_s));
    response.headers.emplace_back("Ratelimit-Policy", "\"default\";q=" + std::to_string(quota) + ";w=" + std::to_string(window_s));
  }
  return response;
}

} // namespace cfmigrate::emulator
