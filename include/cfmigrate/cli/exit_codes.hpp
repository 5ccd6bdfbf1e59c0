#pragma once
// Exit codes (docs/exit-codes.md). Terraform's -detailed-exitcode convention: 0 nothing found or
// nothing to change, 2 findings or changes, 1 error. What each code means for each command is
// written once, in exit_code_table(): it makes the "Exit: ..." line of every --help, and a unit
// test compares its markdown with the table in docs/exit-codes.md.

#include <string>
#include <string_view>
#include <vector>

namespace cfmigrate::cli {

inline constexpr int k_exit_ok = 0;
inline constexpr int k_exit_error = 1;
inline constexpr int k_exit_found = 2;
inline constexpr int k_exit_stale = 3;        // apply: a file differs from the plan; nothing changed
inline constexpr int k_exit_locked = 4;       // apply/rollback/finalize: another run holds the state lock
inline constexpr int k_exit_incompatible = 5; // apply: plan for another host or an incompatible version
inline constexpr int k_exit_usage = 64;  // bad command line (sysexits EX_USAGE)

struct ExitCodeMeaning {
  int code;
  std::string_view meaning;
};

struct CommandExitCodes {
  std::string_view command;
  std::vector<ExitCodeMeaning> codes;  // ascending
};

// Every command, in `cfmigrate --help` order.
const std::vector<CommandExitCodes>& exit_code_table();

// "Exit: 0 applied, 1 failed, ... 64 bad command line." wrapped at 88 columns, for --help.
std::string exit_codes_help(std::string_view command);

// The table as markdown rows (header included), as docs/exit-codes.md holds it.
std::string exit_codes_markdown();

} // namespace cfmigrate::cli
