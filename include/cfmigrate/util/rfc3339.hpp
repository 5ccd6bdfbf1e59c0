#pragma once
// RFC 3339 UTC timestamps as the Cloudflare API uses them ("2018-07-01T05:20:00Z").

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace cfmigrate {

// "YYYY-MM-DDTHH:MM:SSZ" for the given instant (sub-second part dropped).
std::string format_rfc3339(std::chrono::system_clock::time_point tp);

// Parses "YYYY-MM-DDTHH:MM:SS[.fff](Z|+HH:MM|-HH:MM)". Returns nullopt for anything else,
// including an empty string and out-of-range fields.
std::optional<std::chrono::system_clock::time_point> parse_rfc3339(std::string_view text);

} // namespace cfmigrate
