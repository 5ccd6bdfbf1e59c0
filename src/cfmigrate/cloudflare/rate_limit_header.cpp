#include <cfmigrate/cloudflare/rate_limit_header.hpp>

#include <algorithm>
#include <charconv>

namespace cfmigrate::cloudflare {

namespace {

std::string_view trim(std::string_view s)
{
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

std::optional<long long> number(std::string_view s)
{
  long long v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || v < 0) {
    return std::nullopt;
  }
  return v;
}

} // namespace

std::optional<std::chrono::seconds> exhausted_for(std::string_view value)
{
  std::optional<std::chrono::seconds> longest;
  while (!value.empty()) {
    std::size_t comma = value.find(',');
    std::string_view item = value.substr(0, comma);
    value = comma == std::string_view::npos ? std::string_view() : value.substr(comma + 1);
    std::optional<long long> remaining;
    std::optional<long long> reset;
    // The policy name, then ;key=value parameters.
    for (std::size_t semi = item.find(';'); semi != std::string_view::npos;) {
      std::size_t next = item.find(';', semi + 1);
      std::string_view param = trim(item.substr(semi + 1, next == std::string_view::npos ? next : next - semi - 1));
      if (param.starts_with("r=")) {
        remaining = number(param.substr(2));
      } else if (param.starts_with("t=")) {
        reset = number(param.substr(2));
      }
      semi = next;
    }
    if (remaining && *remaining == 0 && reset) {
      std::chrono::seconds wait(std::max<long long>(1, *reset));
      longest = longest ? std::max(*longest, wait) : wait;
    }
  }
  return longest;
}

} // namespace cfmigrate::cloudflare
