#pragma once
// The planner: scan results + what the credential sees on Cloudflare -> a Plan (tokens with
// minimal permissions and zone scope, byte-exact edits, manual items, warnings). Changes nothing.

#include <cfmigrate/cloudflare/client.hpp>
#include <cfmigrate/plan/masked_diff.hpp>
#include <cfmigrate/plan/plan.hpp>
#include <cfmigrate/scan/detector.hpp>
#include <cfmigrate/scan/scanner.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cfmigrate::plan {

enum class GroupBy { file, program, host };

struct PlanOptions {
  scan::ScanOptions scan;                  // what to scan (root, paths, excludes)
  std::string from_scan;                   // a `scan --format json` file: plan those files instead of scanning
  std::string host;                        // host name for token names (default: this machine's)
  std::vector<std::string> zones;          // --zone: restrict every token to these zones
  GroupBy group_by = GroupBy::file;
  std::vector<std::string> allow_ips;      // token condition request.ip.in
  std::optional<std::string> expires_on;   // RFC 3339
  cloudflare::ClientOptions client;
  // From the environment (CLOUDFLARE_API_TOKEN, or CLOUDFLARE_EMAIL + CLOUDFLARE_API_KEY); when
  // unset each key on disk creates its own tokens with its paired e-mail.
  std::optional<cloudflare::Credentials> credentials;
  std::string credentials_source;          // "env:CLOUDFLARE_API_TOKEN" …
};

// What `plan` shows besides the plan itself: the files' content, to render masked diffs.
struct PlanResult {
  Plan plan;
  std::map<std::string, std::string> contents;      // path -> content as planned
  std::map<std::string, std::vector<Mask>> masks;   // path -> credential spans to hide
};

// Errors only when nothing sensible can be planned (bad root, unreadable scan file); problems
// with one key or file become manual items and warnings in the plan.
[[nodiscard]] Result<PlanResult> make_plan(const recipe::RecipeIndex& index, const PlanOptions& options);

} // namespace cfmigrate::plan
