#include <cfmigrate/util/secret.hpp>
#include <cfmigrate/util/sha256.hpp>

#include <openssl/crypto.h>

#include <ostream>

namespace cfmigrate {

Secret::Secret(Secret&& other) noexcept : m_value(std::move(other.m_value))
{
  other.wipe();
}

Secret& Secret::operator=(Secret&& other) noexcept
{
  if (this != &other) {
    wipe();
    m_value = std::move(other.m_value);
    other.wipe();
  }
  return *this;
}

Secret::~Secret()
{
  wipe();
}

void Secret::wipe()
{
  if (!m_value.empty()) {
    OPENSSL_cleanse(m_value.data(), m_value.size());
  }
  m_value.clear();
}

std::string Secret::fingerprint() const
{
  return fingerprint_of(m_value);
}

bool Secret::operator==(const Secret& other) const
{
  return m_value.size() == other.m_value.size()
         && CRYPTO_memcmp(m_value.data(), other.m_value.data(), m_value.size()) == 0;
}

std::ostream& operator<<(std::ostream& os, const Secret&)
{
  return os << k_redacted;
}

std::string fingerprint_of(std::string_view bytes)
{
  return "sha256:" + sha256_hex(bytes).substr(0, 16);
}

} // namespace cfmigrate
