#pragma once
// The command-line entry point, in the library so tests can call it in-process.

#include <cfmigrate/exec/fault_injection.hpp>

#include <functional>
#include <iosfwd>

namespace cfmigrate::cli {

// Makes the fault injector apply and rollback run with. The shipped binary uses the default
// (never fails); the test executable cfmigrate-with-faults passes one that reads CFMIGRATE_FAIL_AT.
using FaultInjectorFactory = std::function<exec::FaultInjector()>;

inline exec::FaultInjector no_faults()
{
  return {};
}

// Parses argv, runs one subcommand, returns the process exit code (cli/exit_codes.hpp).
// Never throws: a last-resort handler prints a redacted message and returns 1.
int run(int argc, char** argv, std::ostream& out, std::ostream& err, const FaultInjectorFactory& faults = no_faults);

} // namespace cfmigrate::cli
