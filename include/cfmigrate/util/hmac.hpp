#pragma once
// HMAC-SHA256 (OpenSSL), for authenticating the plan files cfmigrate itself wrote.

#include <string>
#include <string_view>

namespace cfmigrate {

// Lower-case hex HMAC-SHA256 of `data` under `key`.
std::string hmac_sha256_hex(std::string_view key, std::string_view data);

// Compares two MACs in time independent of where they differ.
bool macs_equal(std::string_view a, std::string_view b);

} // namespace cfmigrate
