#include <cfmigrate/util/sha256.hpp>

#include <cfmigrate/util/hex.hpp>

#include <openssl/evp.h>

#include <array>

namespace cfmigrate {

std::string sha256_hex(std::string_view bytes)
{
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_MD_CTX* context = EVP_MD_CTX_new();
  EVP_DigestInit_ex(context, EVP_sha256(), nullptr);
  EVP_DigestUpdate(context, bytes.data(), bytes.size());
  EVP_DigestFinal_ex(context, digest.data(), &length);
  EVP_MD_CTX_free(context);
  return to_hex(std::string_view(reinterpret_cast<const char*>(digest.data()), length));
}

} // namespace cfmigrate
