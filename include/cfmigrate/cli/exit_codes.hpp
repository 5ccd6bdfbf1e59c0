#pragma once
// Exit codes (docs/exit-codes.md). Terraform's -detailed-exitcode convention: 0 nothing found or
// nothing to change, 2 findings or changes, 1 error.

namespace cfmigrate::cli {

inline constexpr int k_exit_ok = 0;
inline constexpr int k_exit_error = 1;
inline constexpr int k_exit_found = 2;
inline constexpr int k_exit_stale = 3;        // apply: a file differs from the plan; nothing changed
inline constexpr int k_exit_locked = 4;       // apply/rollback: another run holds the state lock
inline constexpr int k_exit_incompatible = 5; // apply: plan for another host or an incompatible version
inline constexpr int k_exit_usage = 64;  // bad command line (sysexits EX_USAGE)

} // namespace cfmigrate::cli
