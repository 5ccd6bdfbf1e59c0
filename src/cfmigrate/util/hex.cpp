#include <cfmigrate/util/hex.hpp>

#include <openssl/rand.h>

#include <chrono>
#include <cstdint>
#include <vector>

#include <unistd.h>

namespace cfmigrate {

namespace {

int nibble(char c)
{
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  return -1;
}

// Used only if OpenSSL's generator fails: uniqueness, not secrecy, is what callers need
// (temp files are created with O_EXCL, ids are checked against existing ones).
void fill_pseudo_random(std::vector<unsigned char>& bytes)
{
  auto seed = static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count())
              ^ (static_cast<std::uint64_t>(::getpid()) << 32U);
  for (auto& b : bytes) {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    b = static_cast<unsigned char>(seed >> 56U);
  }
}

} // namespace

std::string to_hex(std::string_view bytes)
{
  static constexpr char k_digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const char c : bytes) {
    const auto b = static_cast<unsigned char>(c);
    out.push_back(k_digits[b >> 4U]);
    out.push_back(k_digits[b & 0xfU]);
  }
  return out;
}

std::optional<std::string> from_hex(std::string_view hex)
{
  if (hex.size() % 2 != 0) {
    return std::nullopt;
  }
  std::string out;
  out.reserve(hex.size() / 2);
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const int hi = nibble(hex[i]);
    const int lo = nibble(hex[i + 1]);
    if (hi < 0 || lo < 0) {
      return std::nullopt;
    }
    out.push_back(static_cast<char>((hi << 4) | lo));
  }
  return out;
}

std::string random_hex(std::size_t bytes)
{
  std::vector<unsigned char> buffer(bytes);
  if (RAND_bytes(buffer.data(), static_cast<int>(buffer.size())) != 1) {
    fill_pseudo_random(buffer);
  }
  return to_hex(std::string_view(reinterpret_cast<const char*>(buffer.data()), buffer.size()));
}

} // namespace cfmigrate
