#include <cfmigrate/plan/zone_scope.hpp>

#include <cfmigrate/util/text.hpp>

#include <algorithm>
#include <cctype>
#include <map>

namespace cfmigrate::plan {

namespace {

bool is_label_char(char c)
{
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-';
}

bool is_hex(char c)
{
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

bool cloudflare_host(std::string_view host)
{
  return host == "cloudflare.com" || host.ends_with(".cloudflare.com") || host.ends_with(".cloudflareclient.com");
}

} // namespace

std::set<std::string> host_names_in(std::string_view text)
{
  std::set<std::string> out;
  std::size_t i = 0;
  while (i < text.size()) {
    if (!is_label_char(text[i]) || (i > 0 && (is_label_char(text[i - 1]) || text[i - 1] == '.'))) {
      ++i;
      continue;
    }
    // A run of labels separated by dots.
    std::size_t start = i;
    std::size_t end = i;
    std::size_t labels = 0;
    bool last_alpha_tld = false;
    while (end < text.size()) {
      std::size_t label_start = end;
      while (end < text.size() && is_label_char(text[end])) {
        ++end;
      }
      if (end == label_start) {
        break;
      }
      ++labels;
      std::string_view label = text.substr(label_start, end - label_start);
      last_alpha_tld = label.size() >= 2 && std::all_of(label.begin(), label.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; });
      if (end < text.size() && text[end] == '.' && end + 1 < text.size() && is_label_char(text[end + 1])) {
        ++end;
        continue;
      }
      break;
    }
    bool after_at = start > 0 && text[start - 1] == '@';
    if (labels >= 2 && last_alpha_tld && !after_at) {
      std::string host = to_lower(text.substr(start, end - start));
      if (!cloudflare_host(host)) {
        out.insert(host);
      }
    }
    i = end > i ? end : i + 1;
  }
  return out;
}

std::set<std::string> hex32_in(std::string_view text)
{
  std::set<std::string> out;
  std::size_t run = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i < text.size() && is_hex(text[i])) {
      ++run;
      continue;
    }
    if (run == 32) {
      out.insert(std::string(text.substr(i - 32, 32)));
    }
    run = 0;
  }
  return out;
}

const cloudflare::Zone* zone_for_host(const std::vector<cloudflare::Zone>& zones, std::string_view host)
{
  const cloudflare::Zone* best = nullptr;
  for (const auto& z : zones) {
    bool match = host == z.name || (host.size() > z.name.size() && host.ends_with(z.name) && host[host.size() - z.name.size() - 1] == '.');
    if (match && (best == nullptr || z.name.size() > best->name.size())) {
      best = &z;
    }
  }
  return best;
}

std::vector<const cloudflare::Zone*> zones_in(const std::vector<cloudflare::Zone>& zones, std::string_view text)
{
  std::map<std::string, const cloudflare::Zone*> found;
  for (const auto& host : host_names_in(text)) {
    if (const cloudflare::Zone* z = zone_for_host(zones, host)) {
      found[z->name] = z;
    }
  }
  for (const auto& id : hex32_in(text)) {
    for (const auto& z : zones) {
      if (z.id == id) {
        found[z.name] = &z;
      }
    }
  }
  std::vector<const cloudflare::Zone*> out;
  for (const auto& [name, z] : found) {
    out.push_back(z);
  }
  return out;
}

} // namespace cfmigrate::plan
