#pragma once
// What a process that holds credentials owes the machine it runs on (docs/security.md):
// no core dump with the Global key in it, no credential or descriptor leaking into a hook.

#include <cfmigrate/util/result.hpp>

#include <map>
#include <string>
#include <vector>

namespace cfmigrate {

// PR_SET_DUMPABLE 0 (no core, no ptrace by the same uid, /proc/self/environ root-only) and
// RLIMIT_CORE 0. Called first thing by every command that can hold a credential.
void forbid_core_dumps();

// The environment a hook gets: this process's, less every variable that can carry a
// credential (CLOUDFLARE_*, CF_*, CFMIGRATE_* and names that say key, token, secret or
// password), plus `extra`.
std::vector<std::string> scrubbed_environment(char** environ_in, const std::map<std::string, std::string>& extra);

// True for a variable name a hook must not inherit.
bool is_credential_variable(const std::string& name);

// Runs `/bin/sh -c command` with the scrubbed environment, standard input from /dev/null and no
// descriptor but 0, 1 and 2 (everything else is closed in the child, whatever its CLOEXEC flag).
// Returns the exit status (128 + signal when killed).
[[nodiscard]] Result<int> run_hook(const std::string& command, const std::map<std::string, std::string>& extra);

} // namespace cfmigrate
