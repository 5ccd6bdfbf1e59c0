#include <cfmigrate/util/sha256.hpp>

#include <openssl/evp.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <memory>
#include <unistd.h>

namespace cfmigrate {

namespace {

struct DigestContext {
  DigestContext() : ctx(EVP_MD_CTX_new()) { EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr); }
  ~DigestContext() { EVP_MD_CTX_free(ctx); }
  DigestContext(const DigestContext&) = delete;
  DigestContext& operator=(const DigestContext&) = delete;

  void update(const void* data, std::size_t size) { EVP_DigestUpdate(ctx, data, size); }

  std::string hex()
  {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    EVP_DigestFinal_ex(ctx, digest.data(), &length);
    static constexpr char k_digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(length * 2);
    for (unsigned int i = 0; i < length; ++i) {
      out.push_back(k_digits[digest[i] >> 4]);
      out.push_back(k_digits[digest[i] & 0xf]);
    }
    return out;
  }

  EVP_MD_CTX* ctx;
};

} // namespace

std::string sha256_hex(std::string_view bytes)
{
  DigestContext context;
  context.update(bytes.data(), bytes.size());
  return context.hex();
}

Result<std::string> sha256_file_hex(const std::string& path)
{
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return make_error(ErrorCode::io, std::string("cannot open: ") + std::strerror(errno), path);
  }
  DigestContext context;
  std::array<char, 65536> buffer{};
  for (;;) {
    ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      int saved = errno;
      ::close(fd);
      return make_error(ErrorCode::io, std::string("cannot read: ") + std::strerror(saved), path);
    }
    if (n == 0) {
      break;
    }
    context.update(buffer.data(), static_cast<std::size_t>(n));
  }
  ::close(fd);
  return context.hex();
}

} // namespace cfmigrate
