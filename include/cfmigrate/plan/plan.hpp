#pragma once
// The plan: what a migration will do, with no secret values. Written by `plan`, read by `show`
// and `apply` (docs/plan-format.md, "format": "cfmigrate.plan/1").

#include <cfmigrate/cloudflare/api_types.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cfmigrate::plan {

inline constexpr const char* k_plan_format = "cfmigrate.plan/1";

// The state of a file when it was planned; apply refuses to touch a file that no longer matches.
struct FileState {
  std::string path;      // as on the scanned system
  std::uint64_t size = 0;
  std::int64_t mtime_ns = 0;
  std::uint64_t inode = 0;
  std::uint32_t mode = 0;
  std::uint32_t uid = 0;
  std::uint32_t gid = 0;
  std::string sha256;
};

// The credential that creates a group's tokens (never its value).
struct CreatorCredential {
  std::string fingerprint;  // of the Global key or bootstrap token
  std::string kind;         // "global_key" | "bootstrap_token"
  std::string email;        // for global_key
  std::string source;       // "/etc/x.ini:2", "env:CLOUDFLARE_API_KEY", "env:CLOUDFLARE_API_TOKEN"
  std::string user_id;
  std::string account_id;
  std::string account_name;
};

struct PermissionRef {
  std::string id;
  std::string name;   // API name, "DNS Write"
  std::string scope;  // "zone" | "account" | "user"
};

struct PlannedToken {
  std::string key;              // "t1", "t2", … referenced by edits
  std::string name;             // cfmigrate/<host>/<program>/<short-id>
  std::string program;          // recipe id
  std::string credential;       // fingerprint of the CreatorCredential that creates it
  std::vector<PermissionRef> permissions;
  std::vector<std::string> zones;     // zone names the token is limited to (empty when account-wide)
  std::vector<std::string> zone_ids;
  bool account_wide = false;          // all zones of the account (broad scope)
  std::string scope_reason;           // why this zone scope
  std::vector<cloudflare::Policy> policies;
  std::vector<std::string> allow_ips; // request.ip in
  std::optional<std::string> expires_on;
  std::vector<std::string> files;     // files that will hold it
};

// One part of a replacement: literal text or the value of a planned token.
struct ReplacementPart {
  std::string text;       // literal (never a secret)
  std::string token_key;  // when not empty: the token's value goes here
  bool base64 = false;    // encode the token value
};

struct Change {
  std::size_t offset = 0;
  std::size_t length = 0;
  std::vector<ReplacementPart> replacement;
  std::string reason;
};

struct FileEdit {
  std::string path;
  std::string program;
  std::vector<Change> changes;  // sorted by offset, non-overlapping, against FileState's content
};

struct ManualItem {
  std::string program;
  std::string path;
  std::uint32_t line = 0;
  std::string why;
  std::vector<std::string> steps;
  std::vector<PermissionRef> permissions;  // what a token for it needs, when one helps
  std::vector<std::string> zones;
};

struct Warning {
  std::string code;  // broad_scope, unknown_zone, no_email, unresolved_reference, …
  std::string message;
};

struct Plan {
  std::string format = k_plan_format;
  std::string plan_id;
  std::string tool_version;
  std::string host;
  std::string root;
  std::string created;   // RFC 3339 UTC
  std::string api_base;
  std::vector<CreatorCredential> credentials;
  std::vector<FileState> files;
  std::vector<PlannedToken> tokens;
  std::vector<FileEdit> edits;
  std::vector<ManualItem> manual;
  std::vector<Warning> warnings;
  std::vector<std::string> reload;  // what to reload afterwards, per program

  bool has_changes() const { return !tokens.empty() || !edits.empty(); }
  const PlannedToken* token(const std::string& key) const;
  const FileState* file(const std::string& path) const;
};

} // namespace cfmigrate::plan
