#include <cfmigrate/plan/api_call_inference.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <regex>
#include <set>

namespace cfmigrate::plan {

namespace {

using recipe::PermissionScope;

// One row of the endpoint table: a path pattern (segments; ":id" matches one segment, a trailing
// "*" any rest) and the groups for reading and for writing.
struct Row {
  const char* pattern;
  const char* read;   // nullptr: no permission needed / not readable
  const char* write;
  PermissionScope scope;
  bool unsupported = false;  // no token group exists: Global key only
};

constexpr std::array k_rows = {
  Row{"/user/tokens/verify", nullptr, nullptr, PermissionScope::user},
  Row{"/user/firewall/*", nullptr, nullptr, PermissionScope::user, true},
  Row{"/user/load_balancers/*", nullptr, nullptr, PermissionScope::user, true},
  Row{"/user/billing/*", nullptr, nullptr, PermissionScope::user, true},
  Row{"/user/tokens*", "API Tokens Read", "API Tokens Write", PermissionScope::user},
  Row{"/user", "User Details Read", "User Details Write", PermissionScope::user},
  Row{"/memberships*", "Memberships Read", "Memberships Write", PermissionScope::user},
  Row{"/zones", "Zone Read", "Zone Write", PermissionScope::zone},
  Row{"/zones/:id", "Zone Read", "Zone Write", PermissionScope::zone},
  Row{"/zones/:id/dns_records*", "DNS Read", "DNS Write", PermissionScope::zone},
  Row{"/zones/:id/purge_cache", "Cache Purge", "Cache Purge", PermissionScope::zone},
  Row{"/zones/:id/settings*", "Zone Settings Read", "Zone Settings Write", PermissionScope::zone},
  Row{"/zones/:id/dnssec*", "Zone Settings Read", "Zone Settings Write", PermissionScope::zone},
  Row{"/zones/:id/cache/*", "Zone Settings Read", "Zone Settings Write", PermissionScope::zone},
  Row{"/zones/:id/analytics/*", "Analytics Read", "Analytics Read", PermissionScope::zone},
  Row{"/zones/:id/logs/*", "Logs Read", "Logs Write", PermissionScope::zone},
  Row{"/zones/:id/firewall/*", "Firewall Services Read", "Firewall Services Write", PermissionScope::zone},
  Row{"/zones/:id/filters*", "Firewall Services Read", "Firewall Services Write", PermissionScope::zone},
  Row{"/zones/:id/pagerules*", "Page Rules Read", "Page Rules Write", PermissionScope::zone},
  Row{"/zones/:id/ssl/*", "SSL and Certificates Read", "SSL and Certificates Write", PermissionScope::zone},
  Row{"/zones/:id/custom_certificates*", "SSL and Certificates Read", "SSL and Certificates Write", PermissionScope::zone},
  Row{"/zones/:id/custom_hostnames*", "SSL and Certificates Read", "SSL and Certificates Write", PermissionScope::zone},
  Row{"/zones/:id/workers/routes*", "Workers Routes Read", "Workers Routes Write", PermissionScope::zone},
  Row{"/zones/:id/load_balancers*", "Load Balancers Read", "Load Balancers Write", PermissionScope::zone},
  Row{"/accounts", "Account Settings Read", "Account Settings Write", PermissionScope::account},
  Row{"/accounts/:id", "Account Settings Read", "Account Settings Write", PermissionScope::account},
  Row{"/accounts/:id/workers/scripts/:id/tails*", "Workers Tail Read", "Workers Tail Read", PermissionScope::account},
  Row{"/accounts/:id/workers/*", "Workers Scripts Read", "Workers Scripts Write", PermissionScope::account},
  Row{"/accounts/:id/storage/kv/*", "Workers KV Storage Read", "Workers KV Storage Write", PermissionScope::account},
  Row{"/accounts/:id/r2/*", "Workers R2 Storage Read", "Workers R2 Storage Write", PermissionScope::account},
  Row{"/accounts/:id/d1/*", "D1 Read", "D1 Write", PermissionScope::account},
  Row{"/accounts/:id/pages/*", "Pages Read", "Pages Write", PermissionScope::account},
  Row{"/accounts/:id/firewall/access_rules/*", "Account Firewall Access Rules Read", "Account Firewall Access Rules Write",
      PermissionScope::account},
  Row{"/graphql", "Analytics Read", "Analytics Read", PermissionScope::zone},
};

std::vector<std::string_view> segments(std::string_view path)
{
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < path.size()) {
    while (i < path.size() && path[i] == '/') {
      ++i;
    }
    std::size_t start = i;
    while (i < path.size() && path[i] != '/') {
      ++i;
    }
    if (i > start) {
      out.push_back(path.substr(start, i - start));
    }
  }
  return out;
}

bool matches(std::string_view pattern, std::string_view path)
{
  auto p = segments(pattern);
  auto s = segments(path);
  for (std::size_t i = 0; i < p.size(); ++i) {
    std::string_view seg = p[i];
    if (seg == "*") {
      return true;
    }
    bool prefix = seg.ends_with("*");
    if (prefix) {
      seg.remove_suffix(1);
    }
    if (i >= s.size()) {
      return false;
    }
    if (seg == ":id") {
      continue;
    }
    if (prefix) {
      return s[i].starts_with(seg) && (i + 1 == p.size());
    }
    if (s[i] != seg) {
      return false;
    }
  }
  return p.size() == s.size();
}

bool is_hex32(std::string_view s)
{
  return s.size() == 32 && std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// Path segments that are ids or variables become ":id".
std::string normalise(std::string_view raw)
{
  std::string out;
  for (std::string_view seg : segments(raw)) {
    bool variable = seg.find('$') != std::string_view::npos || seg.find('{') != std::string_view::npos
                    || seg.find('+') != std::string_view::npos || seg.find('%') != std::string_view::npos;
    out += '/';
    out += (variable || is_hex32(seg)) ? std::string(":id") : std::string(seg);
  }
  return out.empty() ? "/" : out;
}

std::string upper(std::string s)
{
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return s;
}

// The command around position `at`: the line plus the lines joined to it by trailing backslashes.
std::string_view command_around(std::string_view text, std::size_t at)
{
  std::size_t start = text.rfind('\n', at);
  start = start == std::string_view::npos ? 0 : start + 1;
  while (start >= 2 && text[start - 2] == '\\') {
    std::size_t prev = text.rfind('\n', start - 2);
    start = prev == std::string_view::npos ? 0 : prev + 1;
    if (start == 0) {
      break;
    }
  }
  std::size_t end = at;
  for (;;) {
    std::size_t nl = text.find('\n', end);
    if (nl == std::string_view::npos) {
      end = text.size();
      break;
    }
    std::size_t last = nl;
    while (last > 0 && (text[last - 1] == ' ' || text[last - 1] == '\r')) {
      --last;
    }
    if (last > 0 && text[last - 1] == '\\') {
      end = nl + 1;
      continue;
    }
    end = nl;
    break;
  }
  return text.substr(start, end - start);
}

std::string method_of(std::string_view command)
{
  static const std::regex k_explicit(R"((?:-X|--request)\s*['"]?([A-Za-z]+))");
  static const std::regex k_library(R"(\b(?:requests|session|http|axios|client|Http)\.(get|post|put|patch|delete)\s*\()",
                                    std::regex::icase);
  static const std::regex k_method_field(R"(method['"]?\s*(?:=>|:|=)\s*['"]([A-Za-z]+)['"])", std::regex::icase);
  static const std::regex k_go(R"(NewRequest(?:WithContext)?\s*\((?:[^,]*,\s*)?(?:http\.Method|")([A-Za-z]+))");
  std::match_results<std::string_view::const_iterator> m;
  for (const auto* re : {&k_explicit, &k_library, &k_method_field, &k_go}) {
    if (std::regex_search(command.begin(), command.end(), m, *re)) {
      return upper(m[1].str());
    }
  }
  static const std::regex k_data(R"((?:\s-d\b|\s-F\b|--data|--form|--json|\bjson\s*=|\bdata\s*=))");
  if (std::regex_search(command.begin(), command.end(), k_data)) {
    return "POST";
  }
  return "GET";
}

} // namespace

std::vector<ApiCall> find_api_calls(std::string_view text)
{
  std::vector<ApiCall> calls;
  static constexpr std::string_view k_marker = "/client/v4";
  for (std::size_t at = text.find(k_marker); at != std::string_view::npos; at = text.find(k_marker, at + 1)) {
    std::size_t start = at + k_marker.size();
    std::size_t end = start;
    while (end < text.size()) {
      char c = text[end];
      if (c == '"' || c == '\'' || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '?' || c == '`' || c == ')'
          || c == ',' || c == ';') {
        break;
      }
      ++end;
    }
    ApiCall call;
    call.path = normalise(text.substr(start, end - start));
    call.method = method_of(command_around(text, at));
    call.line = static_cast<std::uint32_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n') + 1);
    calls.push_back(std::move(call));
  }
  return calls;
}

Inference infer_permissions(const std::vector<ApiCall>& calls)
{
  Inference out;
  std::set<std::pair<std::string, int>> seen;
  for (const auto& call : calls) {
    const Row* row = nullptr;
    for (const auto& r : k_rows) {
      if (matches(r.pattern, call.path)) {
        row = &r;
        break;
      }
    }
    if (row == nullptr) {
      out.unknown.push_back(call);
      continue;
    }
    if (row->unsupported) {
      out.unsupported.push_back(call);
      continue;
    }
    const char* group = call.method == "GET" ? row->read : row->write;
    if (group == nullptr) {
      continue;
    }
    if (seen.insert({group, static_cast<int>(row->scope)}).second) {
      out.permissions.push_back({group, row->scope});
    }
  }
  std::sort(out.permissions.begin(), out.permissions.end(), [](const auto& a, const auto& b) { return a.group < b.group; });
  return out;
}

} // namespace cfmigrate::plan
