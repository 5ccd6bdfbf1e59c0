#include <cfmigrate/util/display_text.hpp>

#include <cfmigrate/util/hex.hpp>

#include <algorithm>
#include <cstdint>

namespace cfmigrate {

namespace {

// Length of the well-formed UTF-8 sequence starting at `at`, or 0 when the byte there starts none.
std::size_t utf8_sequence_length(std::string_view s, std::size_t at)
{
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char b0 = byte(at);
  if (b0 < 0x80) {
    return 1;
  }
  std::size_t length = 0;
  unsigned char low = 0x80;
  unsigned char high = 0xbf;
  if (b0 >= 0xc2 && b0 <= 0xdf) {
    length = 2;
  } else if (b0 >= 0xe0 && b0 <= 0xef) {
    length = 3;
    low = b0 == 0xe0 ? 0xa0 : 0x80;   // no overlong forms
    high = b0 == 0xed ? 0x9f : 0xbf;  // no surrogates
  } else if (b0 >= 0xf0 && b0 <= 0xf4) {
    length = 4;
    low = b0 == 0xf0 ? 0x90 : 0x80;
    high = b0 == 0xf4 ? 0x8f : 0xbf;  // nothing past U+10FFFF
  } else {
    return 0;
  }
  if (at + length > s.size()) {
    return 0;
  }
  if (byte(at + 1) < low || byte(at + 1) > high) {
    return 0;
  }
  for (std::size_t i = 2; i < length; ++i) {
    if (byte(at + i) < 0x80 || byte(at + i) > 0xbf) {
      return 0;
    }
  }
  return length;
}

void append_hex_escape(std::string& out, char c)
{
  out += "\\x";
  out += to_hex(std::string_view(&c, 1));
}

} // namespace

bool is_valid_utf8(std::string_view bytes)
{
  for (std::size_t at = 0; at < bytes.size();) {
    const std::size_t n = utf8_sequence_length(bytes, at);
    if (n == 0) {
      return false;
    }
    at += n;
  }
  return true;
}

std::string escape_for_terminal(std::string_view bytes)
{
  std::string out;
  out.reserve(bytes.size());
  for (std::size_t at = 0; at < bytes.size();) {
    const auto c = static_cast<unsigned char>(bytes[at]);
    const std::size_t n = utf8_sequence_length(bytes, at);
    const bool c1_control = n == 2 && c == 0xc2 && static_cast<unsigned char>(bytes[at + 1]) < 0xa0;
    if (n == 0 || c < 0x20 || c == 0x7f || c1_control) {
      append_hex_escape(out, bytes[at]);
      ++at;
      continue;
    }
    if (c == '\\') {
      out += "\\\\";
    } else {
      out.append(bytes.substr(at, n));
    }
    at += n;
  }
  return out;
}

std::string escape_lines_for_terminal(std::string_view text)
{
  std::string out;
  out.reserve(text.size());
  while (!text.empty()) {
    const std::size_t cut = std::min(text.find_first_of("\n\t"), text.size());
    out += escape_for_terminal(text.substr(0, cut));
    if (cut < text.size()) {
      out += text[cut];
    }
    text.remove_prefix(std::min(cut + 1, text.size()));
  }
  return out;
}

std::string utf8_display(std::string_view bytes)
{
  if (is_valid_utf8(bytes)) {
    return std::string(bytes);
  }
  std::string out;
  for (std::size_t at = 0; at < bytes.size();) {
    const std::size_t n = utf8_sequence_length(bytes, at);
    if (n == 0) {
      out += "\xef\xbf\xbd";  // U+FFFD
      ++at;
    } else {
      out.append(bytes.substr(at, n));
      at += n;
    }
  }
  return out;
}

} // namespace cfmigrate
