#include <cfmigrate/cli/option_values.hpp>

#include <cfmigrate/util/join.hpp>
#include <cfmigrate/util/rfc3339.hpp>

#include <arpa/inet.h>
#include <charconv>

namespace cfmigrate::cli {

namespace {

Error usage_error(std::string_view option, std::string_view what)
{
  return Error(ErrorCode::invalid_argument, std::string(option) + " must be " + std::string(what));
}

} // namespace

Result<std::uint64_t> parse_whole_number(std::string_view option, std::string_view text, std::uint64_t min,
                                         std::uint64_t max)
{
  const std::string range = "a whole number from " + std::to_string(min) + " to " + std::to_string(max);
  std::uint64_t value = 0;
  const char* end = text.data() + text.size();
  // from_chars takes no sign and no leading spaces; it reports overflow instead of wrapping.
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end || value < min || value > max) {
    return usage_error(option, range);
  }
  return value;
}

Result<std::string> parse_choice(std::string_view option, std::string_view text,
                                 std::initializer_list<std::string_view> allowed)
{
  std::set<std::string> names;
  for (std::string_view a : allowed) {
    if (a == text) {
      return std::string(text);
    }
    names.emplace(a);
  }
  return usage_error(option, "one of " + join(names, ", "));
}

Status check_ip_or_cidr(std::string_view option, std::string_view text)
{
  const std::string_view::size_type slash = text.find('/');
  const std::string address(text.substr(0, slash));
  unsigned char buffer[16];
  int max_prefix = 0;
  if (::inet_pton(AF_INET, address.c_str(), buffer) == 1) {
    max_prefix = 32;
  } else if (::inet_pton(AF_INET6, address.c_str(), buffer) == 1) {
    max_prefix = 128;
  } else {
    return usage_error(option, "an IP address or CIDR (192.0.2.0/24, 2001:db8::/32)");
  }
  if (slash != std::string_view::npos
      && !parse_whole_number(option, text.substr(slash + 1), 0, static_cast<std::uint64_t>(max_prefix))) {
    return usage_error(option, "an IP address or CIDR with a prefix length from 0 to " + std::to_string(max_prefix));
  }
  return {};
}

Result<std::string> parse_future_time(std::string_view option, std::string_view text,
                                      std::chrono::system_clock::time_point now)
{
  std::string full(text);
  if (full.size() == 10) {
    full += "T00:00:00Z";
  }
  auto when = parse_rfc3339(full);
  if (!when) {
    return usage_error(option, "a date (YYYY-MM-DD) or RFC 3339 time");
  }
  if (*when <= now) {
    return usage_error(option, "in the future");
  }
  return format_rfc3339(*when);
}

} // namespace cfmigrate::cli
