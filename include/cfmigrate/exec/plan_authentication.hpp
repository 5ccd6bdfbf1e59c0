#pragma once
// Plans are untrusted input (docs/security.md): a plan file can be edited by whoever can write
// where it lies. `plan -o FILE` signs the plan with HMAC-SHA256 under a key kept in the state
// directory (<state>/plan.key: 64 hex digits, 0600, owned by the effective user, created on first
// use); `apply` refuses a plan whose MAC does not match that key unless the user says the plan
// is trusted (`--trust-plan`: made on another machine, or reviewed after an edit). The MAC
// format is plan/plan_signature.hpp's.

#include <cfmigrate/plan/plan.hpp>
#include <cfmigrate/util/result.hpp>
#include <cfmigrate/util/secret.hpp>

#include <string>

namespace cfmigrate::exec {

enum class KeyCreation { create_if_missing, existing_only };

// The plan key of `state_dir`. With create_if_missing, a missing state directory is created
// (ensure_private_directory) and a new key written with O_EXCL (two plans racing both end up
// with the one key that won). Errors: not_found (no key, existing_only), conflict (a key file
// that is a link, not ours, readable by others, or not 64 hex digits), io.
[[nodiscard]] Result<Secret> plan_key(const std::string& state_dir, KeyCreation creation);

// Writes `plan` to `path` (atomically, 0600 when new) with its MAC under the state dir's key.
[[nodiscard]] Status write_signed_plan_file(const plan::Plan& plan, const std::string& path, const std::string& state_dir);

enum class PlanTrust { require_signature, trust_unsigned };

// Reads and validates the plan at `path`; with require_signature also checks its MAC against
// the state dir's key: a missing or wrong MAC is ErrorCode::conflict with a message that says
// why and how to go on (review, then --trust-plan).
[[nodiscard]] Result<plan::Plan> read_authenticated_plan(const std::string& path, const std::string& state_dir,
                                                         PlanTrust trust);

} // namespace cfmigrate::exec
