#include <cfmigrate/cloudflare/credentials.hpp>

#include <openssl/crypto.h>

namespace cfmigrate::cloudflare {

std::string Credentials::describe() const
{
  if (const auto* key = std::get_if<GlobalKey>(&m_value)) {
    return "global API key for " + key->email;
  }
  return "API token " + std::get<BearerToken>(m_value).token.fingerprint();
}

const Secret& Credentials::secret() const
{
  if (const auto* key = std::get_if<GlobalKey>(&m_value)) {
    return key->key;
  }
  return std::get<BearerToken>(m_value).token;
}

void Credentials::apply(HttpRequest& request) const
{
  if (const auto* key = std::get_if<GlobalKey>(&m_value)) {
    request.headers.push_back({"X-Auth-Email", key->email});
    request.secret_headers.push_back({"X-Auth-Key", key->key.clone()});
    return;
  }
  const Secret& token = std::get<BearerToken>(m_value).token;
  std::string header = "Bearer ";
  header += token.expose_secret_value_for_use_in_credential_slot();
  request.secret_headers.push_back({"Authorization", Secret(header)});
  OPENSSL_cleanse(header.data(), header.size());
}

Credentials Credentials::clone() const
{
  if (const auto* key = std::get_if<GlobalKey>(&m_value)) {
    return Credentials(GlobalKey{key->email, key->key.clone()});
  }
  return Credentials(BearerToken{std::get<BearerToken>(m_value).token.clone()});
}

} // namespace cfmigrate::cloudflare
