#pragma once
// The two ways to authenticate against the Cloudflare API. Values live only in Secret.

#include <cfmigrate/cloudflare/https_session.hpp>
#include <cfmigrate/util/secret.hpp>

#include <string>
#include <variant>
#include <vector>

namespace cfmigrate::cloudflare {

// X-Auth-Email + X-Auth-Key (the Global API Key being migrated away from).
struct GlobalKey {
  std::string email;
  Secret key;
};

// Authorization: Bearer <token> (an API token, e.g. a bootstrap token with API Tokens Write).
struct BearerToken {
  Secret token;
};

class Credentials {
public:
  explicit Credentials(GlobalKey key) : m_value(std::move(key)) {}
  explicit Credentials(BearerToken token) : m_value(std::move(token)) {}

  bool is_global_key() const { return std::holds_alternative<GlobalKey>(m_value); }
  bool is_bearer() const { return std::holds_alternative<BearerToken>(m_value); }
  // "global key for <email>" or "API token sha256:…" — safe to print.
  std::string describe() const;
  // The credential's own secret (key or token), e.g. to redact it from messages.
  const Secret& secret() const;

  // Appends the authentication headers (as SecretHeader, never plain headers).
  void apply(HttpRequest& request) const;

  Credentials clone() const;

private:
  std::variant<GlobalKey, BearerToken> m_value;
};

} // namespace cfmigrate::cloudflare
