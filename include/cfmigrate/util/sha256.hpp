#pragma once
// SHA-256 through OpenSSL's EVP interface.

#include <cfmigrate/util/result.hpp>

#include <string>
#include <string_view>

namespace cfmigrate {

// Lowercase hex SHA-256 of the bytes.
std::string sha256_hex(std::string_view bytes);

// Lowercase hex SHA-256 of a file's content; an error if it cannot be read.
Result<std::string> sha256_file_hex(const std::string& path);

} // namespace cfmigrate
