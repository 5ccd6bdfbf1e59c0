// Token values and how the state remembers token values (their SHA-256 only).
#include <cfmigrate/emulator/state.hpp>

#include <cfmigrate/util/sha256.hpp>

#include <openssl/rand.h>

#include <algorithm>
#include <array>

namespace cfmigrate::emulator {

std::string hash_secret(const Secret& value)
{
  return sha256_hex(value.expose_secret_value_for_use_in_credential_slot());
}

Secret random_token_value()
{
  static constexpr char k_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
  std::array<unsigned char, 40> buf{};
  RAND_bytes(buf.data(), static_cast<int>(buf.size()));
  std::string value(40, 'x');
  for (std::size_t i = 0; i < buf.size(); ++i) {
    value[i] = k_alphabet[buf[i] % 64];
  }
  Secret s(value);
  std::fill(value.begin(), value.end(), '\0');
  return s;
}

} // namespace cfmigrate::emulator
