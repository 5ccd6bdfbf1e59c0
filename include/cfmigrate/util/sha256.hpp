#pragma once
// SHA-256 through OpenSSL's EVP interface.

#include <string>
#include <string_view>

namespace cfmigrate {

// Lowercase hex SHA-256 of the bytes.
std::string sha256_hex(std::string_view bytes);

} // namespace cfmigrate
