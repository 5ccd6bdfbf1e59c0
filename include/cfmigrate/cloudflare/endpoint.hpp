#pragma once
// Where the Cloudflare API lives: scheme, host, port and path prefix of the API base URL,
// plus the proxy settings that decide how to reach it.

#include <cfmigrate/util/result.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cfmigrate::cloudflare {

inline constexpr std::string_view k_default_api_base = "https://api.cloudflare.com/client/v4";

enum class Scheme { http, https };

struct Endpoint {
  Scheme scheme = Scheme::https;
  std::string host; // IPv6 literals without brackets
  std::uint16_t port = 443;
  std::string path_prefix; // "" or e.g. "/client/v4", never with a trailing slash

  // Value of the Host header ("host" or "host:port" when the port is not the default).
  std::string host_header() const;
  // "https://host:port" (brackets around IPv6 literals). Contains no credentials.
  std::string origin() const;
};

// True for "localhost", 127.0.0.0/8 and ::1. No name resolution is done.
bool is_loopback_host(std::string_view host);

// True when the host is an IPv4 or IPv6 literal.
bool is_ip_literal(std::string_view host);

// Parses an API base URL "scheme://host[:port][/prefix]". Errors (invalid_argument) for an empty
// string, another scheme, user info, a query or fragment, a bad port, and for http:// to a host
// that is not loopback. The message never repeats user info.
[[nodiscard]] Result<Endpoint> parse_api_base(std::string_view url);

// Percent-encodes everything except RFC 3986 unreserved characters.
std::string url_encode(std::string_view text);

// HTTPS_PROXY / NO_PROXY handling (CONNECT tunnels only).
struct ProxySettings {
  std::optional<Endpoint> proxy; // http://host:port of the proxy
  std::vector<std::string> no_proxy; // host suffixes, "*" means everything

  // From HTTPS_PROXY / https_proxy and NO_PROXY / no_proxy. An unparsable proxy URL is an error.
  [[nodiscard]] static Result<ProxySettings> from_environment();
  // Whether requests to `host` go through the proxy (loopback hosts never do).
  bool applies_to(std::string_view host) const;
};

} // namespace cfmigrate::cloudflare
