#pragma once
// What apply, rollback, status and finalize share on the command line: the state directory,
// host and root, confirmation, recipes, and the mapping of an exec::Outcome to an exit code.

#include <cfmigrate/recipe/recipe_index.hpp>
#include <cfmigrate/exec/executor.hpp>
#include <cfmigrate/scan/detector.hpp>
#include <cfmigrate/util/result.hpp>

#include <boost/program_options.hpp>

#include <iosfwd>
#include <optional>
#include <string>

namespace cfmigrate::cli {

inline constexpr const char* k_default_state_dir = "/var/lib/cfmigrate";

// --help, --state-dir, --host-name, --root, --yes and the API options.
void add_exec_options(boost::program_options::options_description& description);
// ExecOptions from those options and the environment's credentials.
[[nodiscard]] Result<exec::ExecOptions> exec_options(const boost::program_options::variables_map& vm);

// Asks `question` on a terminal; false (not confirmed) when stdin is not one.
bool confirm(std::ostream& out, const std::string& question);

// The recipe index (embedded recipes, then --recipes DIR).
[[nodiscard]] Result<recipe::RecipeIndex> index_from(const boost::program_options::variables_map& vm);

int exit_code_for(exec::Outcome outcome);

// The single PLAN-ID positional, validated as a migration id ("" when absent). A bad id is
// reported on `err` and yields nullopt: the caller exits with k_exit_usage.
std::optional<std::string> plan_id_argument(const boost::program_options::variables_map& vm, std::ostream& err,
                                            const char* command);

} // namespace cfmigrate::cli
