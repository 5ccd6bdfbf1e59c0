#include <cfmigrate/emulator/service.hpp>

#include <cfmigrate/util/hex.hpp>
#include <cfmigrate/util/rfc3339.hpp>
#include <cfmigrate/util/text.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value_from.hpp>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <map>

namespace cfmigrate::emulator {

namespace json = boost::json;

namespace {

constexpr std::string_view k_zone_prefix = "com.cloudflare.api.account.zone.";
constexpr std::string_view k_account_prefix = "com.cloudflare.api.account.";
constexpr std::string_view k_user_prefix = "com.cloudflare.api.user.";
constexpr std::string_view k_r2_prefix = "com.cloudflare.edge.r2.bucket.";

// Error codes. Auth codes follow what Cloudflare is recorded answering (docs/emulator.md);
// validation codes 1001..1007 are the emulator's own (Cloudflare publishes no catalogue).
constexpr int k_invalid_token = 1000;
constexpr int k_bad_body = 1001;
constexpr int k_bad_policy = 1002;
constexpr int k_bad_group = 1003;
constexpr int k_bad_resource = 1004;
constexpr int k_bad_condition = 1005;
constexpr int k_bad_date = 1006;
constexpr int k_quota = 1007;
constexpr int k_bad_pagination = 1008;
constexpr int k_invalid_headers = 6003;
constexpr int k_no_route = 7003;
constexpr int k_unknown_key = 9103;
constexpr int k_missing_auth = 9106;
constexpr int k_ip_denied = 9109;
constexpr int k_auth_error = 10000;
constexpr int k_internal = 10001;
constexpr int k_rate_limited = 10429;

Response json_response(unsigned status, const json::value& body)
{
  Response r;
  r.status = status;
  r.headers.emplace_back("Content-Type", "application/json");
  r.body = json::serialize(body);
  return r;
}

Response ok(json::value result, std::optional<json::object> result_info = std::nullopt, json::array messages = {})
{
  json::object o{{"success", true}, {"errors", json::array{}}, {"messages", std::move(messages)}, {"result", std::move(result)}};
  if (result_info) {
    o["result_info"] = std::move(*result_info);
  }
  return json_response(200, o);
}

Response fail(unsigned status, int code, std::string message)
{
  json::object err{{"code", code}, {"message", std::move(message)}};
  return json_response(status, json::object{{"success", false},
                                            {"errors", json::array{std::move(err)}},
                                            {"messages", json::array{}},
                                            {"result", nullptr}});
}

std::map<std::string, std::string> parse_query(std::string_view query)
{
  std::map<std::string, std::string> out;
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view part = query.substr(0, amp);
    const std::size_t eq = part.find('=');
    out[url_decode(part.substr(0, eq))] = eq == std::string_view::npos ? "" : url_decode(part.substr(eq + 1));
    if (amp == std::string_view::npos) {
      break;
    }
    query.remove_prefix(amp + 1);
  }
  return out;
}

std::vector<std::string> split_path(std::string_view path)
{
  std::vector<std::string> out;
  while (!path.empty()) {
    if (path.front() == '/') {
      path.remove_prefix(1);
      continue;
    }
    const std::size_t slash = path.find('/');
    out.push_back(url_decode(path.substr(0, slash)));
    if (slash == std::string_view::npos) {
      break;
    }
    path.remove_prefix(slash);
  }
  return out;
}

bool parse_int(const std::string& text, long long& out)
{
  if (text.empty() || text.size() > 9 || !std::all_of(text.begin(), text.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; })) {
    return false;
  }
  out = std::stoll(text);
  return true;
}

// Paginates `items`; an error response for bad page/per_page.
std::optional<Response> paginate(const std::map<std::string, std::string>& query, const json::array& items, Response& out)
{
  long long page = 1, per_page = 20;
  if (auto it = query.find("page"); it != query.end() && (!parse_int(it->second, page) || page < 1)) {
    return fail(400, k_bad_pagination, "page must be an integer >= 1");
  }
  if (auto it = query.find("per_page"); it != query.end() && (!parse_int(it->second, per_page) || per_page < 5 || per_page > 50)) {
    return fail(400, k_bad_pagination, "per_page must be an integer between 5 and 50");
  }
  json::array slice;
  const auto total = static_cast<long long>(items.size());
  for (long long i = (page - 1) * per_page; i < std::min(total, page * per_page); ++i) {
    slice.push_back(items[static_cast<std::size_t>(i)]);
  }
  const long long count = static_cast<long long>(slice.size());
  const long long total_pages = total == 0 ? 1 : (total + per_page - 1) / per_page;
  out = ok(std::move(slice), json::object{{"page", page}, {"per_page", per_page}, {"count", count},
                                          {"total_count", total}, {"total_pages", total_pages}});
  return std::nullopt;
}

bool name_matches(std::string_view filter, const std::string& name)
{
  auto starts = [](std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; };
  const std::string n = to_lower(name);
  struct Op {
    std::string_view prefix;
    bool case_sensitive;
  };
  for (const Op& op : {Op{"starts_with_case_sensitive:", true}, Op{"ends_with_case_sensitive:", true},
                       Op{"contains_case_sensitive:", true}, Op{"starts_with:", false}, Op{"ends_with:", false},
                       Op{"contains:", false}, Op{"not_equal:", false}}) {
    if (!starts(filter, op.prefix)) {
      continue;
    }
    const std::string arg = op.case_sensitive ? std::string(filter.substr(op.prefix.size())) : to_lower(filter.substr(op.prefix.size()));
    const std::string subject = op.case_sensitive ? name : n;
    const std::string_view kind = op.prefix.substr(0, op.prefix.find('_'));
    if (op.prefix == "not_equal:") {
      return subject != arg;
    }
    if (kind == "starts") {
      return starts(subject, arg);
    }
    if (kind == "ends") {
      return subject.size() >= arg.size() && subject.compare(subject.size() - arg.size(), arg.size(), arg) == 0;
    }
    return subject.find(arg) != std::string::npos;
  }
  return n == to_lower(filter);
}

const char* k_epoch = "2024-01-01T00:00:00Z";

} // namespace

std::string url_decode(std::string_view text)
{
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] == '%' && i + 2 < text.size() + 0 && i + 2 <= text.size() - 1
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
    return fail(404, k_no_route, "No route for the URI");
  }
  ++m_api_requests;
  const std::uint64_t n = m_api_requests - m_fault_base;
  Faults& f = m_options.faults;
  std::chrono::milliseconds delay{0};
  if (f.delay_ms > 0 && (f.delay_nth == 0 || f.delay_nth == n)) {
    delay = std::chrono::milliseconds(f.delay_ms);
    if (f.delay_nth == n) {
      f.delay_nth = 0;
      f.delay_ms = 0;
    }
  }
  Response response;
  if (f.drop_nth != 0 && f.drop_nth == n) {
    f.drop_nth = 0;
    response.action = Response::Action::drop;
  } else if (f.fail_nth != 0 && f.fail_nth == n) {
    f.fail_nth = 0;
    response = fail(500, k_internal, "Internal server error (injected fault)");
  } else if (f.answer_429_nth != 0 && f.answer_429_nth == n) {
    f.answer_429_nth = 0;
    response = fail(429, k_rate_limited, "Rate limited (injected fault)");
    response.headers.emplace_back("Retry-After", std::to_string(f.retry_after_seconds));
  } else {
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
    if (quota != 0 && m_window_count > quota) {
      ++m_rate_limited;
      response = fail(429, k_rate_limited, "Rate limited. Please wait and consider throttling your request speed");
      response.headers.emplace_back("Retry-After", std::to_string(reset_s));
    } else {
      response = dispatch(request, path.substr(prefix.size()), query);
    }
    if (quota != 0) {
      const std::uint64_t remaining = m_window_count >= quota ? 0 : quota - m_window_count;
      const long long window_s = std::max<long long>(1, m_options.rate_limit.window.count() / 1000);
      response.headers.emplace_back("Ratelimit", "\"default\";r=" + std::to_string(remaining) + ";t=" + std::to_string(reset_s));
      response.headers.emplace_back("Ratelimit-Policy", "\"default\";q=" + std::to_string(quota) + ";w=" + std::to_string(window_s));
    }
  }
  response.delay = delay;
  response.headers.emplace_back("cf-ray", random_hex(8) + "-EMU");
  if (m_log.size() >= 1000) {
    m_log.erase(m_log.begin());
  }
  m_log.push_back(json::object{{"method", request.method},
                               {"path", std::string(path)},
                               {"status", response.action == Response::Action::drop ? 0U : response.status}});
  return response;
}

Response Service::admin(const Request& request, std::string_view path)
{
  if (path == "/__emulator/health" && request.method == "GET") {
    return json_response(200, json::object{{"ok", true}});
  }
  if (path == "/__emulator/state" && request.method == "GET") {
    return json_response(200, admin_state());
  }
  if (path == "/__emulator/faults" && request.method == "POST") {
    boost::system::error_code ec;
    json::value body = json::parse(request.body, ec);
    if (ec || !body.is_object()) {
      return fail(400, k_bad_body, "faults: expected a JSON object");
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
        return fail(400, k_bad_body, "faults: rate_limit needs requests and window_seconds");
      }
      if (!v.is_int64() || v.as_int64() < 0) {
        return fail(400, k_bad_body, "faults: " + std::string(kv.key()) + " must be a non-negative integer");
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
        return fail(400, k_bad_body, "faults: unknown key " + std::string(kv.key()));
      }
    }
    m_fault_base = m_api_requests;
    return json_response(200, admin_state().as_object().at("faults"));
  }
  return fail(404, k_no_route, "No route for the URI");
}

Response Service::dispatch(const Request& request, std::string_view path, std::string_view query_text)
{
  const std::vector<std::string> seg = split_path(path);
  const std::map<std::string, std::string> query = parse_query(query_text);
  const std::string& method = request.method;
  const auto now_wall = std::chrono::system_clock::now();

  // ---- authentication ----
  Principal who;
  const std::string email = request.header("X-Auth-Email");
  const std::string key = request.header("X-Auth-Key");
  const std::string authorization = request.header("Authorization");
  if (!key.empty() || !email.empty()) {
    if (email.empty() || email.find('@') == std::string::npos) {
      return fail(400, k_invalid_headers, "Invalid request headers");
    }
    const bool hex = key.size() >= 37 && key.size() <= 45
                     && std::all_of(key.begin(), key.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0 || (c >= 'a' && c <= 'f'); });
    if (!hex && key.rfind("cfk_", 0) != 0) {
      return fail(400, k_invalid_headers, "Invalid request headers");
    }
    const UserRecord* user = m_state.find_user_by_email(email);
    if (user == nullptr || !(user->global_key == Secret(key))) {
      return fail(403, k_unknown_key, "Unknown X-Auth-Key or X-Auth-Email");
    }
    who.user = user;
  } else if (!authorization.empty()) {
    if (authorization.rfind("Bearer ", 0) != 0 || authorization.size() <= 7 || authorization.find(' ', 7) != std::string::npos) {
      return fail(400, k_invalid_headers, "Invalid format for Authorization header");
    }
    TokenRecord* token = m_state.find_token_by_value(Secret(std::string_view(authorization).substr(7)));
    if (token == nullptr || token->status != "active" || m_clock->now() < token->valid_from) {
      return fail(401, k_invalid_token, "Invalid API Token");
    }
    if (token->not_before) {
      if (auto nb = parse_rfc3339(*token->not_before); nb && now_wall < *nb) {
        return fail(401, k_invalid_token, "Invalid API Token");
      }
    }
    if (token->expires_on) {
      if (auto exp = parse_rfc3339(*token->expires_on); exp && now_wall >= *exp) {
        token->status = "expired";
        return fail(401, k_invalid_token, "Invalid API Token");
      }
    }
    if (!token->condition_key.empty()) {
      bool in = token->ip_in.empty();
      for (const std::string& c : token->ip_in) {
        in = in || ip_in_cidr(request.client_ip, c);
      }
      for (const std::string& c : token->ip_not_in) {
        in = in && !ip_in_cidr(request.client_ip, c);
      }
      if (!in) {
        return fail(403, k_ip_denied, "Cannot use the access token from location: " + request.client_ip);
      }
    }
    who.user = m_state.find_user(token->owner_user);
    who.token = token;
    token->last_used_on = format_rfc3339(now_wall);
  } else {
    return fail(400, k_missing_auth, "Missing X-Auth-Key, X-Auth-Email or Authorization headers");
  }
  if (who.user == nullptr) {
    return fail(403, k_auth_error, "Authentication error");
  }
  const UserRecord& user = *who.user;
  auto forbidden = [] { return fail(403, k_auth_error, "Authentication error"); };
  auto not_found = [] { return fail(404, k_no_route, "No route for the URI"); };

  // ---- /user ----
  if (seg.size() == 1 && seg[0] == "user" && method == "GET") {
    if (!m_state.allowed(who, m_state.group_ids({"User Details Read", "User Details Write"}), {Resource::Kind::user, user.id, {}})) {
      return forbidden();
    }
    return ok(json::object{{"id", user.id}, {"email", user.email}, {"first_name", nullptr}, {"last_name", nullptr},
                           {"username", user.id}, {"telephone", nullptr}, {"country", nullptr}, {"zipcode", nullptr},
                           {"two_factor_authentication_enabled", false}, {"two_factor_authentication_locked", false},
                           {"has_pro_zones", false}, {"has_business_zones", false}, {"has_enterprise_zones", false},
                           {"suspended", false}, {"betas", json::array{}}, {"organizations", json::array{}},
                           {"created_on", k_epoch}, {"modified_on", k_epoch}});
  }

  // ---- /accounts ----
  if (seg.size() == 1 && seg[0] == "accounts" && method == "GET") {
    json::array items;
    const auto name_filter = query.find("name");
    for (const AccountRecord& a : m_state.accounts) {
      if (!m_state.user_in_account(user, a.id)) {
        continue;
      }
      if (who.token != nullptr && !who.token->owner_account.empty() && who.token->owner_account != a.id) {
        continue;
      }
      if (name_filter != query.end() && !name_matches(name_filter->second, a.name)) {
        continue;
      }
      items.push_back(json::object{{"id", a.id}, {"name", a.name}, {"type", "standard"}, {"created_on", k_epoch},
                                   {"settings", json::object{{"enforce_twofactor", false}, {"abuse_contact_email", nullptr}}}});
    }
    Response r;
    if (auto err = paginate(query, items, r)) {
      return *err;
    }
    return r;
  }

  // ---- /zones ----
  auto zone_json = [&](const ZoneRecord& z) {
    const AccountRecord* a = m_state.find_account(z.account_id);
    return json::object{{"id", z.id}, {"name", z.name}, {"status", z.status}, {"paused", false}, {"type", "full"},
                        {"development_mode", 0},
                        {"owner", json::object{{"id", user.id}, {"name", user.email}, {"type", "user"}}},
                        {"account", json::object{{"id", z.account_id}, {"name", a != nullptr ? a->name : ""}}},
                        {"meta", json::object{{"step", 2}, {"custom_certificate_quota", 0}, {"page_rule_quota", 3},
                                              {"phishing_detected", false}}},
                        {"name_servers", json::array{"ada.ns.cloudflare.com", "bob.ns.cloudflare.com"}},
                        {"original_name_servers", nullptr}, {"original_registrar", nullptr}, {"original_dnshost", nullptr},
                        {"created_on", k_epoch}, {"modified_on", k_epoch}, {"activated_on", k_epoch},
                        {"permissions", json::array{}}};
  };
  if (seg.size() == 1 && seg[0] == "zones" && method == "GET") {
    if (auto it = query.find("status"); it != query.end()
        && it->second != "initializing" && it->second != "pending" && it->second != "active" && it->second != "moved") {
      return fail(400, k_bad_pagination, "status must be one of initializing, pending, active, moved");
    }
    std::vector<const ZoneRecord*> matches;
    for (const ZoneRecord& z : m_state.zones) {
      if (!m_state.user_in_account(user, z.account_id)) {
        continue;
      }
      if (who.token != nullptr && !m_state.token_sees_zone(*who.token, z)) {
        continue;
      }
      if (auto it = query.find("name"); it != query.end() && !name_matches(it->second, z.name)) {
        continue;
      }
      if (auto it = query.find("account.id"); it != query.end() && it->second != z.account_id) {
        continue;
      }
      if (auto it = query.find("status"); it != query.end() && it->second != z.status) {
        continue;
      }
      matches.push_back(&z);
    }
    std::sort(matches.begin(), matches.end(), [](const ZoneRecord* a, const ZoneRecord* b) { return a->name < b->name; });
    json::array items;
    for (const ZoneRecord* z : matches) {
      items.push_back(zone_json(*z));
    }
    Response r;
    if (auto err = paginate(query, items, r)) {
      return *err;
    }
    return r;
  }
  if (seg.size() >= 2 && seg[0] == "zones") {
    const ZoneRecord* zone = m_state.find_zone(seg[1]);
    if (zone == nullptr || !m_state.user_in_account(user, zone->account_id)) {
      return fail(404, 1001, "Invalid zone identifier");
    }
    const Resource res{Resource::Kind::zone, zone->id, zone->account_id};
    auto need = [&](std::initializer_list<std::string_view> names) { return m_state.allowed(who, m_state.group_ids(names), res); };
    if (seg.size() == 2 && method == "GET") {
      return need({"Zone Read", "Zone Write"}) ? ok(zone_json(*zone)) : forbidden();
    }
    if (seg.size() >= 3 && seg[2] == "dns_records") {
      if (seg.size() == 3 && method == "GET") {
        if (!need({"DNS Read", "DNS Write"})) {
          return forbidden();
        }
        json::array items;
        for (const DnsRecord& r : m_state.dns_records) {
          if (r.zone_id == zone->id) {
            items.push_back(json::object{{"id", r.id}, {"type", r.type}, {"name", r.name}, {"content", r.content},
                                         {"zone_id", r.zone_id}, {"zone_name", zone->name}});
          }
        }
        Response r;
        if (auto err = paginate(query, items, r)) {
          return *err;
        }
        return r;
      }
      if (seg.size() == 3 && method == "POST") {
        if (!need({"DNS Write"})) {
          return forbidden();
        }
        boost::system::error_code ec;
        json::value body = json::parse(request.body, ec);
        if (ec || !body.is_object() || !body.as_object().contains("type") || !body.as_object().contains("name")
            || !body.as_object().at("type").is_string() || !body.as_object().at("name").is_string()) {
          return fail(400, k_bad_body, "DNS record needs type and name");
        }
        DnsRecord rec{random_hex(16), zone->id, std::string(body.as_object().at("type").as_string()),
                      std::string(body.as_object().at("name").as_string()), ""};
        if (const json::value* c = body.as_object().if_contains("content"); c != nullptr && c->is_string()) {
          rec.content = std::string(c->as_string());
        }
        m_state.dns_records.push_back(rec);
        (void)save_state();
        return ok(json::object{{"id", rec.id}, {"type", rec.type}, {"name", rec.name}, {"content", rec.content}, {"zone_id", rec.zone_id}});
      }
      if (seg.size() == 4 && method == "DELETE") {
        if (!need({"DNS Write"})) {
          return forbidden();
        }
        auto it = std::find_if(m_state.dns_records.begin(), m_state.dns_records.end(),
                               [&](const DnsRecord& r) { return r.id == seg[3] && r.zone_id == zone->id; });
        if (it == m_state.dns_records.end()) {
          return fail(404, 81044, "Record does not exist.");
        }
        m_state.dns_records.erase(it);
        (void)save_state();
        return ok(json::object{{"id", seg[3]}});
      }
    }
    if (seg.size() >= 3 && seg[2] == "settings") {
      if (seg.size() == 3 && method == "GET") {
        if (!need({"Zone Settings Read", "Zone Settings Write"})) {
          return forbidden();
        }
        return ok(json::array{json::object{{"id", "ssl"}, {"value", "full"}, {"editable", true}, {"modified_on", k_epoch}},
                              json::object{{"id", "always_use_https"}, {"value", "on"}, {"editable", true}, {"modified_on", k_epoch}}});
      }
      if (seg.size() == 4 && (method == "PATCH" || method == "GET")) {
        if (!need(method == "GET" ? std::initializer_list<std::string_view>{"Zone Settings Read", "Zone Settings Write"}
                                  : std::initializer_list<std::string_view>{"Zone Settings Write"})) {
          return forbidden();
        }
        return ok(json::object{{"id", seg[3]}, {"value", "on"}, {"editable", true}, {"modified_on", k_epoch}});
      }
    }
    if (seg.size() == 3 && seg[2] == "purge_cache" && method == "POST") {
      return need({"Cache Purge"}) ? ok(json::object{{"id", zone->id}}) : forbidden();
    }
    if (seg.size() == 4 && seg[2] == "analytics" && seg[3] == "dashboard" && method == "GET") {
      return need({"Analytics Read"})
               ? ok(json::object{{"totals", json::object{{"requests", json::object{{"all", 0}}}}}, {"timeseries", json::array{}}})
               : forbidden();
    }
    return not_found();
  }

  // ---- tokens: /user/tokens... and /accounts/{id}/tokens... ----
  std::string account_id;
  std::size_t base = 0;
  if (seg.size() >= 2 && seg[0] == "user" && seg[1] == "tokens") {
    base = 2;
  } else if (seg.size() >= 3 && seg[0] == "accounts" && seg[2] == "tokens") {
    account_id = seg[1];
    base = 3;
    if (m_state.find_account(account_id) == nullptr || !m_state.user_in_account(user, account_id)) {
      return forbidden();
    }
  } else {
    return not_found();
  }
  const bool account_owned = !account_id.empty();
  const Resource owner_res = account_owned ? Resource{Resource::Kind::account, account_id, {}}
                                           : Resource{Resource::Kind::user, user.id, {}};
  const std::set<std::string> read_groups = account_owned
                                              ? m_state.group_ids({"Account API Tokens Read", "Account API Tokens Write"})
                                              : m_state.group_ids({"API Tokens Read", "API Tokens Write"});
  const std::set<std::string> write_groups = account_owned ? m_state.group_ids({"Account API Tokens Write"})
                                                           : m_state.group_ids({"API Tokens Write"});
  auto owns = [&](const TokenRecord& t) {
    return account_owned ? t.owner_account == account_id : (t.owner_account.empty() && t.owner_user == user.id);
  };
  const std::size_t rest = seg.size() - base;

  if (rest == 1 && seg[base] == "verify" && method == "GET") {
    if (who.token == nullptr || account_owned != !who.token->owner_account.empty()
        || (account_owned && who.token->owner_account != account_id)) {
      return fail(401, k_invalid_token, "Invalid API Token");
    }
    json::object r{{"id", who.token->id}, {"status", who.token->status}};
    if (who.token->not_before) {
      r["not_before"] = *who.token->not_before;
    }
    if (who.token->expires_on) {
      r["expires_on"] = *who.token->expires_on;
    }
    return ok(std::move(r), std::nullopt,
              json::array{json::object{{"code", 10000}, {"message", "This API Token is valid and active"}, {"type", nullptr}}});
  }
  if (rest == 1 && seg[base] == "permission_groups" && method == "GET") {
    if (!m_state.allowed(who, read_groups, owner_res)) {
      return forbidden();
    }
    json::array items;
    for (const PermissionGroupRecord& g : m_state.permission_groups) {
      if (account_owned && g.scope == "com.cloudflare.api.user") {
        continue;
      }
      if (auto it = query.find("name"); it != query.end() && g.name != it->second) {
        continue;
      }
      if (auto it = query.find("scope"); it != query.end() && g.scope != it->second) {
        continue;
      }
      items.push_back(json::object{{"id", g.id}, {"name", g.name}, {"scopes", json::array{json::value(g.scope)}}});
    }
    return ok(std::move(items));
  }
  if (rest == 0 && method == "GET") {
    if (!m_state.allowed(who, read_groups, owner_res)) {
      return forbidden();
    }
    json::array items;
    for (const TokenRecord& t : m_state.tokens) {
      if (owns(t)) {
        items.push_back(m_state.token_json(t));
      }
    }
    Response r;
    if (auto err = paginate(query, items, r)) {
      return *err;
    }
    return r;
  }
  if (rest == 0 && method == "POST") {
    if (!m_state.allowed(who, write_groups, owner_res)) {
      return forbidden();
    }
    std::size_t count = 0;
    for (const TokenRecord& t : m_state.tokens) {
      count += owns(t) ? 1U : 0U;
    }
    if (count >= (account_owned ? 500U : 50U)) {
      return fail(400, k_quota, "Token quota reached");
    }
    boost::system::error_code ec;
    json::value body = json::parse(request.body, ec);
    if (ec || !body.is_object()) {
      return fail(400, k_bad_body, "Invalid request body: expected a JSON object");
    }
    const json::object& o = body.as_object();
    TokenRecord tok;
    const json::value* name = o.if_contains("name");
    if (name == nullptr || !name->is_string() || name->as_string().empty() || name->as_string().size() > 120) {
      return fail(400, k_bad_body, "name is required and must be at most 120 characters");
    }
    tok.name = std::string(name->as_string());
    const json::value* policies = o.if_contains("policies");
    if (policies == nullptr || !policies->is_array() || policies->as_array().empty()) {
      return fail(400, k_bad_policy, "policies must be a non-empty array");
    }
    std::size_t pi = 0;
    for (const json::value& pv : policies->as_array()) {
      const std::string where = "policies[" + std::to_string(pi++) + "]";
      if (!pv.is_object()) {
        return fail(400, k_bad_policy, where + " must be an object");
      }
      const json::object& po = pv.as_object();
      PolicyRecord pol;
      pol.id = random_hex(16);
      const json::value* effect = po.if_contains("effect");
      if (effect == nullptr || !effect->is_string() || (effect->as_string() != "allow" && effect->as_string() != "deny")) {
        return fail(400, k_bad_policy, where + ".effect must be allow or deny");
      }
      pol.allow = effect->as_string() == "allow";
      const json::value* groups = po.if_contains("permission_groups");
      if (groups == nullptr || !groups->is_array() || groups->as_array().empty()) {
        return fail(400, k_bad_policy, where + ".permission_groups must be a non-empty array");
      }
      std::set<std::string> scopes;
      for (const json::value& g : groups->as_array()) {
        if (!g.is_object() || !g.as_object().contains("id") || !g.as_object().at("id").is_string()) {
          return fail(400, k_bad_group, where + ".permission_groups[] needs an id");
        }
        const std::string gid(g.as_object().at("id").as_string());
        const PermissionGroupRecord* rec = m_state.find_group(gid);
        if (rec == nullptr) {
          return fail(400, k_bad_group, "Permission group " + gid + " does not exist");
        }
        if (account_owned && rec->scope == "com.cloudflare.api.user") {
          return fail(400, k_bad_group, "Permission group " + gid + " cannot be used by an account-owned token");
        }
        scopes.insert(rec->scope);
        pol.permission_groups.push_back(gid);
      }
      const json::value* resources = po.if_contains("resources");
      if (resources == nullptr || !resources->is_object() || resources->as_object().empty()) {
        return fail(400, k_bad_resource, where + ".resources must be a non-empty object");
      }
      std::set<std::string> resource_scopes;
      for (const auto& kv : resources->as_object()) {
        const std::string k(kv.key());
        const json::value& v = kv.value();
        auto bad = [&](const std::string& why) { return fail(400, k_bad_resource, where + ".resources: " + why + ": " + k); };
        if (k.rfind(k_zone_prefix, 0) == 0) {
          const std::string id = k.substr(k_zone_prefix.size());
          if (!v.is_string() || v.as_string() != "*") {
            return bad("value must be \"*\"");
          }
          if (id != "*") {
            const ZoneRecord* z = m_state.find_zone(id);
            if (z == nullptr || !m_state.user_in_account(user, z->account_id) || (account_owned && z->account_id != account_id)) {
              return bad("unknown zone");
            }
          }
          resource_scopes.insert("com.cloudflare.api.account.zone");
        } else if (k.rfind(k_account_prefix, 0) == 0) {
          const std::string id = k.substr(k_account_prefix.size());
          if (id != "*" && (m_state.find_account(id) == nullptr || !m_state.user_in_account(user, id) || (account_owned && id != account_id))) {
            return bad("unknown account");
          }
          if (v.is_string()) {
            if (v.as_string() != "*") {
              return bad("value must be \"*\"");
            }
            resource_scopes.insert("com.cloudflare.api.account");
          } else if (v.is_object() && !v.as_object().empty()) {
            for (const auto& inner : v.as_object()) {
              const std::string ik(inner.key());
              if (ik.rfind(k_zone_prefix, 0) != 0 || !inner.value().is_string() || inner.value().as_string() != "*") {
                return bad("nested resources must be zone keys with value \"*\"");
              }
              const std::string zid = ik.substr(k_zone_prefix.size());
              if (zid != "*") {
                const ZoneRecord* z = m_state.find_zone(zid);
                if (z == nullptr || (id != "*" && z->account_id != id)) {
                  return bad("zone is not in that account");
                }
              }
            }
            resource_scopes.insert("com.cloudflare.api.account.zone");
          } else {
            return bad("value must be \"*\" or an object of zone keys");
          }
        } else if (k.rfind(k_user_prefix, 0) == 0) {
          if (account_owned || k.substr(k_user_prefix.size()) != user.id || !v.is_string() || v.as_string() != "*") {
            return bad("only the calling user can be named");
          }
          resource_scopes.insert("com.cloudflare.api.user");
        } else if (k.rfind(k_r2_prefix, 0) == 0) {
          resource_scopes.insert("com.cloudflare.edge.r2.bucket");
        } else {
          return bad("unknown resource type");
        }
      }
      for (const std::string& gid : pol.permission_groups) {
        const PermissionGroupRecord* rec = m_state.find_group(gid);
        if (resource_scopes.count(rec->scope) == 0) {
          return fail(400, k_bad_group, "Permission group " + gid + " (" + rec->name + ", scope " + rec->scope
                                          + ") does not apply to any resource of " + where);
        }
      }
      pol.resources = resources->as_object();
      tok.policies.push_back(std::move(pol));
    }
    if (const json::value* cond = o.if_contains("condition"); cond != nullptr && !cond->is_null()) {
      if (!cond->is_object()) {
        return fail(400, k_bad_condition, "condition must be an object");
      }
      for (const auto& kv : cond->as_object()) {
        if (kv.key() != "request.ip" && kv.key() != "request_ip") {
          return fail(400, k_bad_condition, "condition: unknown key " + std::string(kv.key()));
        }
        if (!tok.condition_key.empty()) {
          return fail(400, k_bad_condition, "condition: give request.ip once");
        }
        tok.condition_key = std::string(kv.key());
        if (!kv.value().is_object()) {
          return fail(400, k_bad_condition, "condition." + tok.condition_key + " must be an object");
        }
        for (const auto& list : kv.value().as_object()) {
          if ((list.key() != "in" && list.key() != "not_in") || !list.value().is_array()) {
            return fail(400, k_bad_condition, "condition." + tok.condition_key + " takes arrays in and not_in");
          }
          std::vector<std::string>& dst = list.key() == "in" ? tok.ip_in : tok.ip_not_in;
          for (const json::value& c : list.value().as_array()) {
            if (!c.is_string() || !is_valid_cidr(c.as_string())) {
              return fail(400, k_bad_condition, "condition: every entry must be in CIDR notation (e.g. 192.0.2.1/32)");
            }
            dst.emplace_back(c.as_string());
          }
        }
        if (tok.ip_in.empty() && tok.ip_not_in.empty()) {
          return fail(400, k_bad_condition, "condition." + tok.condition_key + " must not be empty");
        }
      }
    }
    std::optional<std::chrono::system_clock::time_point> nb, exp;
    for (const char* field : {"not_before", "expires_on"}) {
      if (const json::value* d = o.if_contains(field); d != nullptr && !d->is_null()) {
        auto tp = d->is_string() ? parse_rfc3339(d->as_string()) : std::nullopt;
        if (!tp) {
          return fail(400, k_bad_date, std::string(field) + " must be an RFC 3339 date-time such as 2030-01-01T00:00:00Z");
        }
        (std::string_view(field) == "not_before" ? nb : exp) = tp;
        (std::string_view(field) == "not_before" ? tok.not_before : tok.expires_on) = format_rfc3339(*tp);
      }
    }
    if (exp && *exp <= now_wall) {
      return fail(400, k_bad_date, "expires_on must be in the future");
    }
    if (exp && nb && *exp <= *nb) {
      return fail(400, k_bad_date, "expires_on must be after not_before");
    }
    tok.id = random_hex(16);
    tok.owner_user = user.id;
    tok.owner_account = account_id;
    tok.issued_on = format_rfc3339(now_wall);
    tok.modified_on = tok.issued_on;
    tok.valid_from = m_clock->now() + std::chrono::seconds(m_options.faults.token_propagation_seconds);
    Secret value = random_token_value();
    tok.value_sha256 = hash_secret(value);
    json::value result = m_state.token_json(tok);
    result.as_object()["value"] = value.expose_secret_value_for_use_in_credential_slot();
    m_state.tokens.push_back(std::move(tok));
    (void)save_state();
    return ok(std::move(result));
  }
  if (rest >= 1) {
    TokenRecord* token = m_state.find_token(seg[base]);
    if (token == nullptr || !owns(*token)) {
      if (!m_state.allowed(who, read_groups, owner_res)) {
        return forbidden();
      }
      return fail(404, 1003, "Token not found");
    }
    if (rest == 1 && method == "GET") {
      return m_state.allowed(who, read_groups, owner_res) ? ok(m_state.token_json(*token)) : forbidden();
    }
    if (rest == 1 && method == "DELETE") {
      if (!m_state.allowed(who, write_groups, owner_res)) {
        return forbidden();
      }
      const std::string id = token->id;
      m_state.tokens.erase(std::remove_if(m_state.tokens.begin(), m_state.tokens.end(),
                                          [&](const TokenRecord& t) { return t.id == id; }),
                           m_state.tokens.end());
      (void)save_state();
      return ok(json::object{{"id", id}});
    }
    if (rest == 1 && method == "PUT") {
      if (!m_state.allowed(who, write_groups, owner_res)) {
        return forbidden();
      }
      boost::system::error_code ec;
      json::value body = json::parse(request.body, ec);
      if (ec || !body.is_object()) {
        return fail(400, k_bad_body, "Invalid request body: expected a JSON object");
      }
      if (const json::value* st = body.as_object().if_contains("status"); st != nullptr) {
        if (!st->is_string() || (st->as_string() != "active" && st->as_string() != "disabled")) {
          return fail(400, k_bad_body, "status must be active or disabled");
        }
        token->status = std::string(st->as_string());
      }
      if (const json::value* nm = body.as_object().if_contains("name"); nm != nullptr && nm->is_string() && !nm->as_string().empty()) {
        token->name = std::string(nm->as_string());
      }
      token->modified_on = format_rfc3339(now_wall);
      (void)save_state();
      return ok(m_state.token_json(*token));
    }
    if (rest == 2 && seg[base + 1] == "value" && method == "PUT") {
      if (!m_state.allowed(who, write_groups, owner_res)) {
        return forbidden();
      }
      Secret value = random_token_value();
      token->value_sha256 = hash_secret(value);
      token->modified_on = format_rfc3339(now_wall);
      (void)save_state();
      return ok(json::value(value.expose_secret_value_for_use_in_credential_slot()));
    }
  }
  return not_found();
}

} // namespace cfmigrate::emulator
