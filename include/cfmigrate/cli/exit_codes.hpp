#pragma once
// Exit codes (docs/exit-codes.md). Terraform's -detailed-exitcode convention: 0 nothing found or
// nothing to change, 2 findings or changes, 1 error.

namespace cfmigrate::cli {

inline constexpr int k_exit_ok = 0;
inline constexpr int k_exit_error = 1;
inline constexpr int k_exit_found = 2;
inline constexpr int k_exit_usage = 64;  // bad command line (sysexits EX_USAGE)

} // namespace cfmigrate::cli
