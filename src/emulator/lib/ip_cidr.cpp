// CIDR checks for token IP conditions (IPv4 and IPv6).
#include <cfmigrate/emulator/state.hpp>

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>

namespace cfmigrate::emulator {

namespace {

enum class IpFamily { v4, v6 };

struct IpAddress {
  IpFamily family = IpFamily::v4;
  std::array<unsigned char, 16> bytes{};
};

std::optional<IpAddress> parse_ip(std::string_view text)
{
  const std::string s(text);
  IpAddress out;
  in_addr a4{};
  if (inet_pton(AF_INET, s.c_str(), &a4) == 1) {
    out.family = IpFamily::v4;
    std::memcpy(out.bytes.data(), &a4, 4);
    return out;
  }
  in6_addr a6{};
  if (inet_pton(AF_INET6, s.c_str(), &a6) == 1) {
    out.family = IpFamily::v6;
    std::memcpy(out.bytes.data(), &a6, 16);
    return out;
  }
  return std::nullopt;
}

} // namespace

bool is_valid_cidr(std::string_view cidr)
{
  const std::size_t slash = cidr.find('/');
  if (slash == std::string_view::npos) {
    return false;
  }
  const std::optional<IpAddress> address = parse_ip(cidr.substr(0, slash));
  if (!address) {
    return false;
  }
  const std::string_view bits = cidr.substr(slash + 1);
  if (bits.empty() || bits.size() > 3 || !std::all_of(bits.begin(), bits.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; })) {
    return false;
  }
  const int n = std::stoi(std::string(bits));
  return n >= 0 && n <= (address->family == IpFamily::v4 ? 32 : 128);
}

bool ip_in_cidr(std::string_view ip, std::string_view cidr)
{
  if (!is_valid_cidr(cidr)) {
    return false;
  }
  const std::size_t slash = cidr.find('/');
  const std::optional<IpAddress> net = parse_ip(cidr.substr(0, slash));
  const std::optional<IpAddress> addr = parse_ip(ip);
  if (!net || !addr || net->family != addr->family) {
    return false;
  }
  int bits = std::stoi(std::string(cidr.substr(slash + 1)));
  for (std::size_t i = 0; bits > 0; ++i, bits -= 8) {
    const unsigned mask = bits >= 8 ? 0xffU : (0xffU << (8 - bits)) & 0xffU;
    if ((net->bytes[i] & mask) != (addr->bytes[i] & mask)) {
      return false;
    }
  }
  return true;
}

} // namespace cfmigrate::emulator
