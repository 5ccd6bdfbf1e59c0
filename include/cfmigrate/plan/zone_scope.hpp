#pragma once
// Which zones a configuration touches: host names and zone ids found in its text, mapped to the
// zones the credential can see by longest matching suffix.

#include <cfmigrate/cloudflare/api_types.hpp>

#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace cfmigrate::plan {

// Lower-cased host names in `text` (a.b.tld shapes). Names right after '@' (e-mail domains) and
// Cloudflare's own API and dashboard hosts are left out.
std::set<std::string> host_names_in(std::string_view text);

// 32-hex runs in `text` (candidate zone ids).
std::set<std::string> hex32_in(std::string_view text);

// The zone whose name is the longest suffix of `host` (on a label boundary), or nullptr.
const cloudflare::Zone* zone_for_host(const std::vector<cloudflare::Zone>& zones, std::string_view host);

// Zones named by host names or ids in `text`, sorted by name, without duplicates.
std::vector<const cloudflare::Zone*> zones_in(const std::vector<cloudflare::Zone>& zones, std::string_view text);

} // namespace cfmigrate::plan
