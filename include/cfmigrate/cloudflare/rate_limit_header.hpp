#pragma once
// Cloudflare's `Ratelimit` answer header (docs/reference/cloudflare-api.md, rate limits), sent with
// every answer: `"default";r=50;t=30` — requests remaining in the current window and seconds until
// it resets; several policies may be listed, comma-separated.

#include <chrono>
#include <optional>
#include <string_view>

namespace cfmigrate::cloudflare {

// How long to wait before the next request when a policy in `value` has no request left (r=0):
// its reset time t (the longest of such policies, at least one second); nullopt when every policy
// has requests left or the header does not parse.
std::optional<std::chrono::seconds> exhausted_for(std::string_view value);

} // namespace cfmigrate::cloudflare
