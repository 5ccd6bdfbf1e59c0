#pragma once
// Secret: the only type that holds a Global API Key or an API token value.
// Move-only, no conversions, prints as a placeholder, wiped on destruction, no JSON mapping.
// The one accessor is deliberately long so every use is easy to find with grep.

#include <iosfwd>
#include <string>
#include <string_view>

namespace cfmigrate {

class Secret {
public:
  Secret() = default;
  explicit Secret(std::string_view value) : m_value(value) {}
  Secret(const Secret&) = delete;
  Secret& operator=(const Secret&) = delete;
  Secret(Secret&& other) noexcept;
  Secret& operator=(Secret&& other) noexcept;
  ~Secret();

  // An explicit copy, so that duplicating a secret is visible at the call site.
  Secret clone() const { return Secret(m_value); }

  bool empty() const { return m_value.empty(); }
  std::size_t size() const { return m_value.size(); }

  // Stable short identifier: "sha256:" + the first 16 hex digits of SHA-256(value).
  // The same key gives the same fingerprint on every host, so a fleet can group by it.
  std::string fingerprint() const;

  // The raw value. Only for the Cloudflare auth header, the file editor and comparisons.
  std::string_view expose_secret_value_for_use_in_credential_slot() const { return m_value; }

  bool operator==(const Secret& other) const;

private:
  void wipe();
  std::string m_value;
};

// Streams a fixed placeholder, never the value.
std::ostream& operator<<(std::ostream& os, const Secret& secret);

inline constexpr std::string_view k_redacted = "********";

// Fingerprint of arbitrary bytes, same format as Secret::fingerprint().
std::string fingerprint_of(std::string_view bytes);

} // namespace cfmigrate
