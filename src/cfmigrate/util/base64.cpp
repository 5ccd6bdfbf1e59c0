#include <cfmigrate/util/base64.hpp>

#include <openssl/evp.h>

#include <algorithm>
#include <limits>

namespace cfmigrate {

namespace {

bool in_alphabet(char c)
{
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
}

// EVP_DecodeBlock alone skips surrounding whitespace and accepts '=' in odd places; the checks
// here make "valid" mean exactly what base64_encode writes.
bool is_padded_base64(std::string_view text, std::size_t& padding)
{
  if (text.size() % 4 != 0) {
    return false;
  }
  const std::size_t body = text.find('=');
  padding = body == std::string_view::npos ? 0 : text.size() - body;
  if (padding > 2) {
    return false;
  }
  const std::string_view digits = text.substr(0, text.size() - padding);
  return std::all_of(digits.begin(), digits.end(), in_alphabet)
         && std::all_of(text.end() - static_cast<std::ptrdiff_t>(padding), text.end(), [](char c) { return c == '='; });
}

} // namespace

std::string base64_encode(std::string_view bytes)
{
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                      reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(std::max(written, 0)));
  return out;
}

Result<std::string> base64_decode(std::string_view text)
{
  std::size_t padding = 0;
  if (!is_padded_base64(text, padding) || text.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
    return make_error(ErrorCode::parse, "not valid base64");
  }
  std::string out(text.size() / 4 * 3, '\0');
  const int written = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                      reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  if (written < 0) {
    return make_error(ErrorCode::parse, "not valid base64");
  }
  // EVP_DecodeBlock counts the padding as zero bytes.
  out.resize(static_cast<std::size_t>(written) - padding);
  return out;
}

} // namespace cfmigrate
