#pragma once
// Lowercase hexadecimal text of bytes (digests, xattr values in backup sidecars, random ids).

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace cfmigrate {

// Two lowercase hex digits per byte.
std::string to_hex(std::string_view bytes);

// The bytes `hex` spells; nullopt for an odd length or any character outside [0-9a-f]
// (what to_hex writes is the only form accepted, so a round trip is exact).
std::optional<std::string> from_hex(std::string_view hex);

// `bytes` random bytes as hex (16 bytes -> 32 digits). For ids and temp names: unique, not secret.
std::string random_hex(std::size_t bytes);

} // namespace cfmigrate
