#include <cfmigrate/util/rfc3339.hpp>

#include <cctype>
#include <ctime>

namespace cfmigrate {

std::string format_rfc3339(std::chrono::system_clock::time_point tp)
{
  const std::time_t t = std::chrono::system_clock::to_time_t(tp);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  const std::size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return std::string(buf, n);
}

namespace {

bool read_number(std::string_view text, std::size_t pos, std::size_t len, int& out)
{
  if (pos + len > text.size()) {
    return false;
  }
  int v = 0;
  for (std::size_t i = pos; i < pos + len; ++i) {
    if (std::isdigit(static_cast<unsigned char>(text[i])) == 0) {
      return false;
    }
    v = v * 10 + (text[i] - '0');
  }
  out = v;
  return true;
}

} // namespace

std::optional<std::chrono::system_clock::time_point> parse_rfc3339(std::string_view text)
{
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (text.size() < 20 || !read_number(text, 0, 4, year) || text[4] != '-'
      || !read_number(text, 5, 2, month) || text[7] != '-' || !read_number(text, 8, 2, day)
      || (text[10] != 'T' && text[10] != 't') || !read_number(text, 11, 2, hour) || text[13] != ':'
      || !read_number(text, 14, 2, minute) || text[16] != ':' || !read_number(text, 17, 2, second)) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    return std::nullopt;
  }
  std::size_t pos = 19;
  if (text[pos] == '.') {
    ++pos;
    const std::size_t start = pos;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos])) != 0) {
      ++pos;
    }
    if (pos == start) {
      return std::nullopt;
    }
  }
  long offset_seconds = 0;
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    ++pos;
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    int oh = 0, om = 0;
    if (!read_number(text, pos + 1, 2, oh) || pos + 3 >= text.size() || text[pos + 3] != ':'
        || !read_number(text, pos + 4, 2, om) || oh > 23 || om > 59) {
      return std::nullopt;
    }
    offset_seconds = (text[pos] == '+' ? 1 : -1) * (oh * 3600L + om * 60L);
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != text.size()) {
    return std::nullopt;
  }
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  const std::time_t t = timegm(&tm);
  return std::chrono::system_clock::from_time_t(t - offset_seconds);
}

} // namespace cfmigrate
