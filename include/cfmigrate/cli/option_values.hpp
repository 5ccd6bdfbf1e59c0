#pragma once
// Checks for option values that program_options cannot make: it accepts "-1" for an unsigned
// option by wrapping it to 4294967295, and knows nothing of ranges, CIDRs or dates. Every check
// returns an error whose message is one line naming the option (the caller prints it as a usage
// error, exit 64).

#include <cfmigrate/util/result.hpp>

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

namespace cfmigrate::cli {

// A decimal whole number in [min, max]: digits only (no sign, no spaces, no hex), no overflow.
[[nodiscard]] Result<std::uint64_t> parse_whole_number(std::string_view option, std::string_view text, std::uint64_t min,
                                                       std::uint64_t max);

// `text` when it is one of `allowed`.
[[nodiscard]] Result<std::string> parse_choice(std::string_view option, std::string_view text,
                                               std::initializer_list<std::string_view> allowed);

// An IPv4 or IPv6 address, with an optional prefix length ("192.0.2.0/24", "2001:db8::/32").
[[nodiscard]] Status check_ip_or_cidr(std::string_view option, std::string_view text);

// A date (YYYY-MM-DD, midnight UTC) or RFC 3339 time later than `now`, as RFC 3339 UTC.
[[nodiscard]] Result<std::string> parse_future_time(std::string_view option, std::string_view text,
                                                    std::chrono::system_clock::time_point now);

} // namespace cfmigrate::cli
