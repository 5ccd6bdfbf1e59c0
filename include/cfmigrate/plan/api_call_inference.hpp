#pragma once
// Permissions for code that calls the API itself (scripts, python-cloudflare programs): the API
// calls in the text (method + path after /client/v4) mapped to permission groups with the
// endpoint table of docs/reference/consumers.md §3 (Read for GET, Edit/Write otherwise).

#include <cfmigrate/recipe/recipe.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace cfmigrate::plan {

struct ApiCall {
  std::string method;  // GET, POST, PUT, PATCH, DELETE
  std::string path;    // after /client/v4, variables normalised to ":id" ("/zones/:id/purge_cache")
  std::uint32_t line = 0;
};

// Calls to api.cloudflare.com/client/v4 written in shell (curl), Python, PHP, Go or JS.
std::vector<ApiCall> find_api_calls(std::string_view text);

struct Inference {
  std::vector<recipe::Permission> permissions;  // sorted, no duplicates
  std::vector<ApiCall> unsupported;             // calls no token can make (/user/firewall/…)
  std::vector<ApiCall> unknown;                 // calls not in the table
};

Inference infer_permissions(const std::vector<ApiCall>& calls);

} // namespace cfmigrate::plan
