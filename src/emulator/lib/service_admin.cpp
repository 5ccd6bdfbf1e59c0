// The admin endpoints under /__emulator: health, state, and setting faults and the rate limit.
#include <cfmigrate/emulator/service.hpp>

#include "api_envelope.hpp"

#include <boost/json/parse.hpp>

namespace cfmigrate::emulator {

namespace json = boost::json;

Response Service::admin(const Request& request, std::string_view path)
{
  if (path == "/__emulator/health" && request.method == "GET") {
    return json_response(200, json::object{{"ok", true}});
  }
  if (path == "/__emulator/state" && request.method == "GET") {
    return json_response(200, admin_state());
  }
  if (path == "/__emulator/faults" && request.method == "POST") {
    return set_faults(request);
  }
  return no_route();
}

Response Service::set_faults(const Request& request)
{
  boost::system::error_code ec;
  json::value body = json::parse(request.body, ec);
  if (ec || !body.is_object()) {
    return fail(400, api_error::bad_body, "faults: expected a JSON object");
  }
  Faults& f = m_options.faults;
  for (const auto& kv : body.as_object()) {
    const json::value& v = kv.value();
    if (kv.key() == "reset_rate_limit") {
      if (v.is_bool() && v.as_bool()) {
        m_window_started = false;
      }
      continue;
    }
    if (kv.key() == "rate_limit" && v.is_object()) {
      const json::object& rl = v.as_object();
      if (rl.contains("requests") && rl.at("requests").is_int64() && rl.contains("window_seconds")
          && rl.at("window_seconds").is_number()) {
        m_options.rate_limit.requests = static_cast<std::size_t>(rl.at("requests").as_int64());
        m_options.rate_limit.window = std::chrono::milliseconds(
          static_cast<long long>(rl.at("window_seconds").to_number<double>() * 1000.0));
        m_window_started = false;
        continue;
      }
      return fail(400, api_error::bad_body, "faults: rate_limit needs requests and window_seconds");
    }
    if (!v.is_int64() || v.as_int64() < 0) {
      return fail(400, api_error::bad_body, "faults: " + std::string(kv.key()) + " must be a non-negative integer");
    }
    const std::int64_t x = v.as_int64();
    const auto ux = static_cast<std::uint64_t>(x);
    if (kv.key() == "fail_nth") {
      f.fail_nth = ux;
    } else if (kv.key() == "drop_nth") {
      f.drop_nth = ux;
    } else if (kv.key() == "answer_429_nth") {
      f.answer_429_nth = ux;
    } else if (kv.key() == "delay_nth") {
      f.delay_nth = ux;
    } else if (kv.key() == "delay_ms") {
      f.delay_ms = x;
    } else if (kv.key() == "retry_after_seconds") {
      f.retry_after_seconds = x;
    } else if (kv.key() == "token_propagation_seconds") {
      f.token_propagation_seconds = x;
    } else {
      return fail(400, api_error::bad_body, "faults: unknown key " + std::string(kv.key()));
    }
  }
  m_fault_base = m_api_requests;
  return json_response(200, admin_state().as_object().at("faults"));
}

} // namespace cfmigrate::emulator
