#pragma once
// The cfmigrate-emulator command line; src/emulator/main.cpp only forwards here.

#include <iosfwd>

namespace cfmigrate::emulator {

// Parses the options (see docs/emulator.md), loads the seed, prepares TLS, prints
// "listening <base URL> ca=<CA path>" as the first stdout line, and serves until SIGINT/SIGTERM.
// Returns 0 after a clean stop, 2 for usage errors, 1 for start-up failures.
int run_emulator(int argc, char** argv, std::ostream& out, std::ostream& err);

} // namespace cfmigrate::emulator
