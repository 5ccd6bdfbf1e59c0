#include <cfmigrate/cloudflare/endpoint.hpp>

#include <cfmigrate/util/text.hpp>

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace cfmigrate::cloudflare {

namespace {

bool is_ipv6_literal(std::string_view host)
{
  in6_addr addr{};
  return inet_pton(AF_INET6, std::string(host).c_str(), &addr) == 1;
}

bool is_ipv4_literal(std::string_view host)
{
  in_addr addr{};
  return inet_pton(AF_INET, std::string(host).c_str(), &addr) == 1;
}

} // namespace

std::string Endpoint::host_header() const
{
  const std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  const bool default_port = (scheme == Scheme::https && port == 443) || (scheme == Scheme::http && port == 80);
  return default_port ? h : h + ":" + std::to_string(port);
}

std::string Endpoint::origin() const
{
  const std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return std::string(scheme == Scheme::https ? "https://" : "http://") + h + ":" + std::to_string(port);
}

bool is_loopback_host(std::string_view host)
{
  const std::string h = to_lower(host);
  if (h == "localhost" || h == "::1") {
    return true;
  }
  if (is_ipv4_literal(h)) {
    return h.rfind("127.", 0) == 0;
  }
  if (is_ipv6_literal(h)) {
    in6_addr addr{};
    inet_pton(AF_INET6, h.c_str(), &addr);
    in6_addr loop = IN6ADDR_LOOPBACK_INIT;
    return std::equal(std::begin(addr.s6_addr), std::end(addr.s6_addr), std::begin(loop.s6_addr));
  }
  return false;
}

bool is_ip_literal(std::string_view host)
{
  return is_ipv4_literal(host) || is_ipv6_literal(host);
}

Result<Endpoint> parse_api_base(std::string_view url)
{
  Endpoint ep;
  std::string_view rest = url;
  const std::string scheme_part = to_lower(rest.substr(0, rest.find("://")));
  if (rest.find("://") == std::string_view::npos) {
    return make_error(ErrorCode::invalid_argument, "API base URL must start with https:// or http://");
  }
  rest.remove_prefix(scheme_part.size() + 3);
  if (scheme_part == "https") {
    ep.scheme = Scheme::https;
    ep.port = 443;
  } else if (scheme_part == "http") {
    ep.scheme = Scheme::http;
    ep.port = 80;
  } else {
    return make_error(ErrorCode::invalid_argument, "API base URL must use https:// (or http:// for loopback)");
  }
  if (rest.find_first_of("?#") != std::string_view::npos) {
    return make_error(ErrorCode::invalid_argument, "API base URL must not contain a query or fragment");
  }
  const std::size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash);
  if (authority.find('@') != std::string_view::npos) {
    return make_error(ErrorCode::invalid_argument,
                      "API base URL must not contain user info (credentials belong in the credential options)");
  }
  std::string_view port_text;
  if (!authority.empty() && authority.front() == '[') {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) {
      return make_error(ErrorCode::invalid_argument, "API base URL has an unterminated IPv6 literal");
    }
    ep.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') {
        return make_error(ErrorCode::invalid_argument, "API base URL has a malformed host");
      }
      port_text = after.substr(1);
    }
  } else {
    const std::size_t colon = authority.find(':');
    ep.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) {
      port_text = authority.substr(colon + 1);
    }
  }
  if (ep.host.empty()) {
    return make_error(ErrorCode::invalid_argument, "API base URL has no host");
  }
  ep.host = to_lower(ep.host);
  if (!port_text.empty()) {
    unsigned long port = 0;
    for (char c : port_text) {
      if (std::isdigit(static_cast<unsigned char>(c)) == 0) {
        return make_error(ErrorCode::invalid_argument, "API base URL has a non-numeric port");
      }
      port = port * 10 + static_cast<unsigned long>(c - '0');
      if (port > 65535) {
        break;
      }
    }
    if (port == 0 || port > 65535) {
      return make_error(ErrorCode::invalid_argument, "API base URL port must be 1..65535");
    }
    ep.port = static_cast<std::uint16_t>(port);
  }
  std::string prefix(path);
  while (!prefix.empty() && prefix.back() == '/') {
    prefix.pop_back();
  }
  ep.path_prefix = prefix;
  if (ep.scheme == Scheme::http && !is_loopback_host(ep.host)) {
    return make_error(ErrorCode::invalid_argument,
                      "plain http:// is accepted only for loopback hosts (127.0.0.1, ::1, localhost); host "
                        + ep.host + " needs https://");
  }
  return ep;
}

std::string url_encode(std::string_view text)
{
  static constexpr char k_hex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
      out += ch;
    } else {
      out += '%';
      out += k_hex[c >> 4];
      out += k_hex[c & 0x0f];
    }
  }
  return out;
}

namespace {

const char* env_either(const char* upper, const char* lower_name)
{
  const char* v = std::getenv(upper);
  if (v == nullptr || *v == '\0') {
    v = std::getenv(lower_name);
  }
  return (v != nullptr && *v != '\0') ? v : nullptr;
}

} // namespace

Result<ProxySettings> ProxySettings::from_environment()
{
  ProxySettings settings;
  if (const char* p = env_either("HTTPS_PROXY", "https_proxy")) {
    std::string url(p);
    if (url.find("://") == std::string::npos) {
      url = "http://" + url;
    }
    // The proxy itself is spoken to in plain HTTP (CONNECT), so accept http:// for any host here.
    if (to_lower(url.substr(0, 7)) != "http://") {
      return make_error(ErrorCode::invalid_argument, "HTTPS_PROXY must be an http:// proxy URL");
    }
    std::string_view rest = std::string_view(url).substr(7);
    if (rest.find('@') != std::string_view::npos) {
      return make_error(ErrorCode::invalid_argument, "HTTPS_PROXY with user info is not supported");
    }
    Endpoint ep;
    const std::size_t slash = rest.find('/');
    std::string_view authority = rest.substr(0, slash);
    const std::size_t colon = authority.rfind(':');
    ep.scheme = Scheme::http;
    ep.port = 8080;
    if (colon != std::string_view::npos && authority.find(']') == std::string_view::npos) {
      ep.host = std::string(authority.substr(0, colon));
      const std::string port_text(authority.substr(colon + 1));
      char* end = nullptr;
      const long port = std::strtol(port_text.c_str(), &end, 10);
      if (end == nullptr || *end != '\0' || port <= 0 || port > 65535) {
        return make_error(ErrorCode::invalid_argument, "HTTPS_PROXY has an invalid port");
      }
      ep.port = static_cast<std::uint16_t>(port);
    } else {
      ep.host = std::string(authority);
    }
    if (!ep.host.empty() && ep.host.front() == '[') {
      ep.host = ep.host.substr(1, ep.host.size() - 2);
    }
    if (ep.host.empty()) {
      return make_error(ErrorCode::invalid_argument, "HTTPS_PROXY has no host");
    }
    settings.proxy = ep;
  }
  if (const char* np = env_either("NO_PROXY", "no_proxy")) {
    std::string_view list(np);
    while (!list.empty()) {
      const std::size_t comma = list.find(',');
      std::string item = to_lower(list.substr(0, comma));
      item.erase(0, item.find_first_not_of(" \t"));
      item.erase(item.find_last_not_of(" \t") + 1);
      if (!item.empty()) {
        settings.no_proxy.push_back(item);
      }
      if (comma == std::string_view::npos) {
        break;
      }
      list.remove_prefix(comma + 1);
    }
  }
  return settings;
}

bool ProxySettings::applies_to(std::string_view host) const
{
  if (!proxy || is_loopback_host(host)) {
    return false;
  }
  const std::string h = to_lower(host);
  for (const std::string& entry : no_proxy) {
    if (entry == "*") {
      return false;
    }
    std::string suffix = entry;
    if (!suffix.empty() && suffix.front() == '.') {
      suffix.erase(0, 1);
    }
    if (h == suffix || (h.size() > suffix.size() && h.compare(h.size() - suffix.size(), suffix.size(), suffix) == 0
                        && h[h.size() - suffix.size() - 1] == '.')) {
      return false;
    }
  }
  return true;
}

} // namespace cfmigrate::cloudflare
