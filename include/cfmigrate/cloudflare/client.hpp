#pragma once
// cloudflare::Client: typed calls to the Cloudflare v4 API. Every call returns a Result; HTTP
// statuses and Cloudflare error bodies become typed errors (auth, not_found, rate_limited, api,
// http, network) carrying the HTTP status and the first Cloudflare error code. Error messages never
// contain the credential or a token value. Requests pass the client-side rate limiter; idempotent
// calls are retried with backoff; a token create is never retried blindly.

#include <cfmigrate/cloudflare/api_types.hpp>
#include <cfmigrate/cloudflare/credentials.hpp>
#include <cfmigrate/cloudflare/endpoint.hpp>
#include <cfmigrate/cloudflare/https_session.hpp>
#include <cfmigrate/cloudflare/rate_limiter.hpp>
#include <cfmigrate/cloudflare/retry_policy.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace cfmigrate::cloudflare {

// One line of the HTTP log: what happened, never headers or bodies.
struct HttpLogEntry {
  std::string method;
  std::string host;
  std::string path; // without the query string
  unsigned status = 0; // 0 when the transport failed
  std::string cf_ray;
  unsigned attempt = 1;
  std::chrono::milliseconds elapsed{0};
};

struct ClientOptions {
  std::string api_base = std::string(k_default_api_base);
  std::string ca_file;                    // empty: system CA store
  Timeouts timeouts;
  RateLimit rate_limit = k_cloudflare_rate_limit;
  // When set, used instead of a limiter built from rate_limit (share one between clients).
  std::shared_ptr<RateLimiter> limiter;
  RetryPolicy retry;
  std::optional<ProxySettings> proxy;     // unset: from HTTPS_PROXY / NO_PROXY
  std::size_t body_limit = 16 * 1024 * 1024;
  std::function<void(const HttpLogEntry&)> on_exchange; // optional HTTP log sink

  // api_base from CFMIGRATE_API_BASE and ca_file from CFMIGRATE_CA_FILE when set; other fields default.
  static ClientOptions from_environment();
};

// Whose tokens a call is about: the user's, or an account's (account-owned tokens).
struct TokenOwner {
  std::string account_id; // empty: the user

  static TokenOwner user() { return {}; }
  static TokenOwner account(std::string id) { return TokenOwner{std::move(id)}; }
  bool is_account() const { return !account_id.empty(); }
};

struct ZoneFilter {
  std::optional<std::string> name;       // exact name or an operator form like "contains:.org"
  std::optional<std::string> account_id;
  std::optional<std::string> status;
};

class Client {
public:
  // Parses api_base (http:// only for loopback), loads the CA file, builds the limiter.
  // Does not connect. Errors: invalid_argument.
  [[nodiscard]] static Result<std::unique_ptr<Client>> create(ClientOptions options, Credentials credentials);
  // For tests: a client over any Transport (no TLS set-up).
  [[nodiscard]] static Result<std::unique_ptr<Client>> create_with_transport(ClientOptions options, Credentials credentials,
                                                                             std::unique_ptr<Transport> transport);

  [[nodiscard]] Result<User> get_user();
  [[nodiscard]] Result<std::vector<Account>> list_accounts();
  // All pages (per_page 50).
  [[nodiscard]] Result<std::vector<Zone>> list_zones(const ZoneFilter& filter = {});
  // The permission groups available to the owner's tokens.
  [[nodiscard]] Result<std::vector<PermissionGroup>> list_permission_groups(const TokenOwner& owner = TokenOwner::user());

  // POST /user/tokens or /accounts/{id}/tokens. Never repeated once the request may have reached
  // Cloudflare: after an unknown outcome the tokens named spec.name are looked up; if none exists
  // the create is tried again, otherwise a conflict error lists the ids found (their value is lost;
  // the caller decides whether to delete them).
  [[nodiscard]] Result<CreatedToken> create_token(const TokenOwner& owner, const TokenSpec& spec);
  [[nodiscard]] Result<Token> get_token(const TokenOwner& owner, const std::string& token_id);
  // All pages.
  [[nodiscard]] Result<std::vector<Token>> list_tokens(const TokenOwner& owner = TokenOwner::user());
  // Tokens whose name is exactly `name` (names are not unique).
  [[nodiscard]] Result<std::vector<Token>> find_tokens_by_name(const TokenOwner& owner, const std::string& name);
  // GET .../tokens/verify authenticated with `token` (not with the client's credentials).
  [[nodiscard]] Result<TokenVerification> verify_token(const TokenOwner& owner, const Secret& token);
  // Polls verify_token until it answers "active" or `timeout` passes (new tokens can take a while
  // to propagate). The last error when it never became valid.
  [[nodiscard]] Result<TokenVerification> wait_until_token_valid(const TokenOwner& owner, const Secret& token,
                                                                 std::chrono::milliseconds timeout);
  [[nodiscard]] Status delete_token(const TokenOwner& owner, const std::string& token_id);

  // A raw call for endpoints without a typed wrapper. `path` is relative to the API base
  // ("/zones/<id>/dns_records"), `query` already encoded. Body empty for none.
  [[nodiscard]] Result<Envelope> call(const std::string& method, const std::string& path, const std::string& query,
                                      const std::string& body, Idempotency idempotency);

  const Endpoint& endpoint() const { return m_endpoint; }
  RateLimiter& limiter() { return *m_limiter; }

private:
  Client(ClientOptions options, Credentials credentials, Endpoint endpoint, std::unique_ptr<Transport> transport);

  struct Outcome;
  Result<Envelope> call_as(const Credentials& credentials, const std::string& method, const std::string& path,
                           const std::string& query, const std::string& body, Idempotency idempotency,
                           bool* outcome_unknown);
  Result<std::vector<boost::json::value>> get_all_pages(const std::string& path, const std::string& query);
  std::string tokens_path(const TokenOwner& owner) const;

  ClientOptions m_options;
  Credentials m_credentials;
  Endpoint m_endpoint;
  std::unique_ptr<Transport> m_transport;
  std::shared_ptr<RateLimiter> m_limiter;
};

} // namespace cfmigrate::cloudflare
