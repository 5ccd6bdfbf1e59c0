#pragma once
// `cfmigrate scan`: find every Global API Key usage.

#include <cfmigrate/cli/command_line.hpp>
#include <cfmigrate/scan/scanner.hpp>

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace cfmigrate::cli {

// scan's command line, validated: --threads 0 (auto) to 64, --max-file-size a whole number,
// --format human | json | sarif.
struct ScanCommandOptions {
  scan::ScanOptions scan;
  std::string format = "human";
  std::string recipes_dir;               // empty: embedded recipes only
  std::optional<std::string> host_name;  // unset: this machine's
  std::optional<std::string> output;     // unset: stdout
};

inline constexpr unsigned k_max_scan_threads = 64;

using ScanCommandLine = CommandLine<ScanCommandOptions>;
ScanCommandLine parse_scan_command_line(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

// `args` are the arguments after "scan". Returns the exit code.
int scan_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

} // namespace cfmigrate::cli
