#pragma once
// Standard base64 (RFC 4648 alphabet, '=' padding) through OpenSSL.

#include <cfmigrate/util/result.hpp>

#include <string>
#include <string_view>

namespace cfmigrate {

// Padded base64 of the bytes, on one line.
std::string base64_encode(std::string_view bytes);

// The bytes `text` encodes. ErrorCode::parse (never partial output) unless `text` is padded base64:
// a multiple of four characters from the alphabet, with at most two '=' and only at the end.
// No whitespace is skipped. The message never quotes the input (it may be a secret).
[[nodiscard]] Result<std::string> base64_decode(std::string_view text);

} // namespace cfmigrate
