#include <cfmigrate/cloudflare/client.hpp>
#include <cfmigrate/cloudflare/rate_limit_header.hpp>

#include <boost/json/serialize.hpp>

#include <cstdlib>

namespace cfmigrate::cloudflare {

namespace json = boost::json;

namespace {

// Defence in depth: whatever a server echoes, the credential never reaches an error message.
std::string redact(std::string text, const Secret& secret)
{
  const std::string_view value = secret.expose_secret_value_for_use_in_credential_slot();
  if (value.size() < 4) {
    return text;
  }
  for (std::size_t pos = text.find(value); pos != std::string::npos; pos = text.find(value, pos)) {
    text.replace(pos, value.size(), k_redacted);
    pos += k_redacted.size();
  }
  return text;
}

ErrorCode error_code_for_status(unsigned status)
{
  switch (status) {
  case 401:
  case 403: return ErrorCode::auth;
  case 404: return ErrorCode::not_found;
  case 409: return ErrorCode::conflict;
  case 429: return ErrorCode::rate_limited;
  case 400:
  case 422: return ErrorCode::api;
  default: return ErrorCode::http;
  }
}

} // namespace

ClientOptions ClientOptions::from_environment()
{
  ClientOptions options;
  if (const char* base = std::getenv("CFMIGRATE_API_BASE"); base != nullptr && *base != '\0') {
    options.api_base = base;
  }
  if (const char* ca = std::getenv("CFMIGRATE_CA_FILE"); ca != nullptr && *ca != '\0') {
    options.ca_file = ca;
  }
  return options;
}

Client::Client(ClientOptions options, Credentials credentials, Endpoint endpoint, std::unique_ptr<Transport> transport)
  : m_options(std::move(options)), m_credentials(std::move(credentials)), m_endpoint(std::move(endpoint)),
    m_transport(std::move(transport))
{
  m_limiter = m_options.limiter ? m_options.limiter : std::make_shared<RateLimiter>(m_options.rate_limit);
}

Result<std::unique_ptr<Client>> Client::create(ClientOptions options, Credentials credentials)
{
  CFM_TRY(Endpoint endpoint, parse_api_base(options.api_base));
  SessionOptions session;
  session.endpoint = endpoint;
  session.ca_file = options.ca_file;
  session.timeouts = options.timeouts;
  session.body_limit = options.body_limit;
  if (options.proxy) {
    session.proxy = *options.proxy;
  } else {
    CFM_TRY(ProxySettings proxy, ProxySettings::from_environment());
    session.proxy = std::move(proxy);
  }
  CFM_TRY(std::unique_ptr<HttpsSession> transport, HttpsSession::create(std::move(session)));
  return std::unique_ptr<Client>(
    new Client(std::move(options), std::move(credentials), std::move(endpoint), std::move(transport)));
}

Result<std::unique_ptr<Client>> Client::create_with_transport(ClientOptions options, Credentials credentials,
                                                              std::unique_ptr<Transport> transport)
{
  CFM_TRY(Endpoint endpoint, parse_api_base(options.api_base));
  return std::unique_ptr<Client>(
    new Client(std::move(options), std::move(credentials), std::move(endpoint), std::move(transport)));
}

Result<Envelope> Client::call(const std::string& method, const std::string& path, const std::string& query,
                              const std::string& body, Idempotency idempotency)
{
  return call_as(m_credentials, method, path, query, body, idempotency, nullptr);
}

Result<Envelope> Client::call_as(const Credentials& credentials, const std::string& method, const std::string& path,
                                 const std::string& query, const std::string& body, Idempotency idempotency,
                                 bool* outcome_unknown)
{
  const std::string what = method + " " + path;
  for (unsigned attempt = 1;; ++attempt) {
    const Clock::time_point slot = m_limiter->acquire();
    HttpRequest request;
    request.method = method;
    request.target = m_endpoint.path_prefix + path + (query.empty() ? "" : "?" + query);
    request.body = body;
    credentials.apply(request);
    SendInfo info;
    const auto started = std::chrono::steady_clock::now();
    Result<HttpResponse> response = m_transport->send(request, info);
    m_limiter->finished(slot);  // the server counted it somewhere between acquire and now
    HttpLogEntry log{method, m_endpoint.host, m_endpoint.path_prefix + path, 0, {}, attempt, {}};
    log.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    AttemptOutcome outcome;
    if (response) {
      log.status = response->status;
      log.cf_ray = response->header("cf-ray").value_or("");
      outcome.http_status = response->status;
      if (auto ra = response->header("retry-after")) {
        outcome.retry_after = parse_retry_after(*ra);
      }
    } else {
      outcome.request_written = info.request_written;
    }
    if (m_options.on_exchange) {
      m_options.on_exchange(log);
    }
    if (response && response->status == 429 && outcome.retry_after) {
      m_limiter->pause_for(*outcome.retry_after);
    }
    // The server says its window is spent while this limiter still sees room: another process
    // (the plan before this apply, another run) spent part of it. Wait for the reset instead of
    // meeting a 429. Not when this limiter is waiting anyway (its own pace is the tighter one),
    // nor when pacing is switched off.
    if (response && m_limiter->limit().requests != 0) {
      if (auto header = response->header("ratelimit")) {
        if (auto wait = exhausted_for(*header); wait && m_limiter->delay_until_available() == Clock::duration::zero()) {
          m_limiter->pause_for(*wait);
        }
      }
    }
    const bool failed = !response || response->status == 429 || response->status >= 500 || response->status == 408;
    if (failed) {
      const RetryDecision decision = m_options.retry.decide(attempt, idempotency, outcome);
      if (decision.retry) {
        m_limiter->clock().sleep_for(decision.delay);
        continue;
      }
      if (decision.outcome_unknown && outcome_unknown != nullptr) {
        *outcome_unknown = true;
      }
    }
    if (!response) {
      return make_error(ErrorCode::network, redact(what + ": " + response.error().message(), credentials.secret()));
    }
    const unsigned status = response->status;
    Result<Envelope> envelope = parse_envelope(response->body);
    if (status / 100 == 2) {
      if (!envelope) {
        return make_error(ErrorCode::parse, what + ": " + envelope.error().message()).with_http(static_cast<int>(status));
      }
      if (!envelope->success) {
        const int code = envelope->errors.empty() ? 0 : static_cast<int>(envelope->errors.front().code);
        return make_error(ErrorCode::api, redact(what + ": Cloudflare reported failure: " + describe_api_errors(envelope->errors),
                                                 credentials.secret()))
          .with_http(static_cast<int>(status), code);
      }
      return std::move(*envelope);
    }
    std::string message = what + ": HTTP " + std::to_string(status);
    int code = 0;
    if (envelope && !envelope->errors.empty()) {
      code = static_cast<int>(envelope->errors.front().code);
      message += " (" + describe_api_errors(envelope->errors) + ")";
    }
    if (status == 429) {
      message += outcome.retry_after ? "; retry after " + std::to_string(outcome.retry_after->count() / 1000) + " s"
                                     : "; rate limited";
    }
    if (outcome_unknown != nullptr && *outcome_unknown) {
      message += "; the request may have been executed";
    }
    return make_error(error_code_for_status(status), redact(message, credentials.secret()))
      .with_http(static_cast<int>(status), code);
  }
}

Result<std::vector<json::value>> Client::get_all_pages(const std::string& path, const std::string& query)
{
  constexpr long long k_per_page = 50;
  constexpr long long k_max_pages = 10'000;
  std::vector<json::value> items;
  for (long long page = 1; page <= k_max_pages; ++page) {
    std::string q = query.empty() ? "" : query + "&";
    q += "page=" + std::to_string(page) + "&per_page=" + std::to_string(k_per_page);
    CFM_TRY(Envelope env, call(std::string("GET"), path, q, std::string(), Idempotency::idempotent));
    if (!env.result.is_array()) {
      return make_error(ErrorCode::parse, "GET " + path + ": result is not a list");
    }
    const json::array& arr = env.result.as_array();
    if (arr.empty()) {
      return items;
    }
    for (const json::value& v : arr) {
      items.push_back(v);
    }
    if (env.result_info) {
      const ResultInfo& info = *env.result_info;
      if (info.total_pages && page >= *info.total_pages) {
        return items;
      }
      if (!info.total_pages && info.total_count > 0 && page * k_per_page >= info.total_count) {
        return items;
      }
    }
    if (static_cast<long long>(arr.size()) < k_per_page) {
      return items;
    }
  }
  return make_error(ErrorCode::api, "GET " + path + ": more than 10000 pages; giving up");
}

std::string Client::tokens_path(const TokenOwner& owner) const
{
  return owner.is_account() ? "/accounts/" + url_encode(owner.account_id) + "/tokens" : std::string("/user/tokens");
}

Result<User> Client::get_user()
{
  CFM_TRY(Envelope env, call("GET", "/user", "", "", Idempotency::idempotent));
  return user_from_json(env.result);
}

Result<std::vector<Account>> Client::list_accounts()
{
  CFM_TRY(std::vector<json::value> items, get_all_pages("/accounts", ""));
  std::vector<Account> out;
  for (const json::value& v : items) {
    CFM_TRY(Account a, account_from_json(v));
    out.push_back(std::move(a));
  }
  return out;
}

Result<std::vector<Zone>> Client::list_zones(const ZoneFilter& filter)
{
  std::string query;
  auto add = [&query](const char* key, const std::optional<std::string>& value) {
    if (value) {
      query += (query.empty() ? "" : "&") + std::string(key) + "=" + url_encode(*value);
    }
  };
  add("name", filter.name);
  add("account.id", filter.account_id);
  add("status", filter.status);
  CFM_TRY(std::vector<json::value> items, get_all_pages("/zones", query));
  std::vector<Zone> out;
  for (const json::value& v : items) {
    CFM_TRY(Zone z, zone_from_json(v));
    out.push_back(std::move(z));
  }
  return out;
}

Result<std::vector<PermissionGroup>> Client::list_permission_groups(const TokenOwner& owner)
{
  CFM_TRY(Envelope env, call("GET", tokens_path(owner) + "/permission_groups", "", "", Idempotency::idempotent));
  if (!env.result.is_array()) {
    return make_error(ErrorCode::parse, "permission groups: result is not a list");
  }
  std::vector<PermissionGroup> out;
  for (const json::value& v : env.result.as_array()) {
    CFM_TRY(PermissionGroup g, permission_group_from_json(v));
    out.push_back(std::move(g));
  }
  return out;
}

Result<CreatedToken> Client::create_token(const TokenOwner& owner, const TokenSpec& spec)
{
  const std::string body = json::serialize(to_json(spec));
  for (int round = 0; round < 2; ++round) {
    bool unknown = false;
    Result<Envelope> env = call_as(m_credentials, "POST", tokens_path(owner), "", body, Idempotency::not_idempotent, &unknown);
    if (env) {
      return created_token_from_json(env->result);
    }
    if (!unknown) {
      return env.error();
    }
    // The create may have happened. Look before trying again.
    Result<std::vector<Token>> existing = find_tokens_by_name(owner, spec.name);
    if (!existing) {
      return make_error(ErrorCode::conflict, "token create outcome unknown (" + env.error().message()
                                               + ") and the follow-up lookup failed: " + existing.error().message());
    }
    if (!existing->empty()) {
      std::string ids;
      for (const Token& t : *existing) {
        ids += (ids.empty() ? "" : ", ") + t.id;
      }
      return make_error(ErrorCode::conflict, "token create outcome unknown; a token named '" + spec.name
                                               + "' exists (id " + ids + ") but its value was not received")
        .with_http(env.error().http_status(), env.error().api_code());
    }
  }
  return make_error(ErrorCode::network, "token create failed twice with an unknown outcome; nothing was created");
}

Result<Token> Client::get_token(const TokenOwner& owner, const std::string& token_id)
{
  CFM_TRY(Envelope env, call("GET", tokens_path(owner) + "/" + url_encode(token_id), "", "", Idempotency::idempotent));
  return token_from_json(env.result);
}

Result<std::vector<Token>> Client::list_tokens(const TokenOwner& owner)
{
  CFM_TRY(std::vector<json::value> items, get_all_pages(tokens_path(owner), ""));
  std::vector<Token> out;
  for (const json::value& v : items) {
    CFM_TRY(Token t, token_from_json(v));
    out.push_back(std::move(t));
  }
  return out;
}

Result<std::vector<Token>> Client::find_tokens_by_name(const TokenOwner& owner, const std::string& name)
{
  CFM_TRY(std::vector<Token> all, list_tokens(owner));
  std::vector<Token> out;
  for (Token& t : all) {
    if (t.name == name) {
      out.push_back(std::move(t));
    }
  }
  return out;
}

Result<TokenVerification> Client::verify_token(const TokenOwner& owner, const Secret& token)
{
  const Credentials bearer(BearerToken{token.clone()});
  CFM_TRY(Envelope env, call_as(bearer, "GET", tokens_path(owner) + "/verify", "", "", Idempotency::idempotent, nullptr));
  return verification_from_json(env.result);
}

Result<TokenVerification> Client::wait_until_token_valid(const TokenOwner& owner, const Secret& token,
                                                         std::chrono::milliseconds timeout)
{
  Clock& clock = m_limiter->clock();
  const auto deadline = clock.now() + timeout;
  std::chrono::milliseconds pause{250};
  for (;;) {
    Result<TokenVerification> v = verify_token(owner, token);
    if (v && v->status == "active") {
      return v;
    }
    if (!v && v.error().code() != ErrorCode::auth) {
      return v;
    }
    if (clock.now() + pause > deadline) {
      if (v) {
        return make_error(ErrorCode::auth, "token is " + v->status + ", not active");
      }
      return v;
    }
    clock.sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(2000));
  }
}

Status Client::delete_token(const TokenOwner& owner, const std::string& token_id)
{
  CFM_TRY(Envelope env, call("DELETE", tokens_path(owner) + "/" + url_encode(token_id), "", "", Idempotency::idempotent));
  (void)env;
  return {};
}

} // namespace cfmigrate::cloudflare
