#pragma once
// The command-line entry point, in the library so tests can call it in-process.

#include <iosfwd>

namespace cfmigrate::cli {

// Parses argv, runs one subcommand, returns the process exit code (cli/exit_codes.hpp).
// Never throws: a last-resort handler prints a redacted message and returns 1.
int run(int argc, char** argv, std::ostream& out, std::ostream& err);

} // namespace cfmigrate::cli
