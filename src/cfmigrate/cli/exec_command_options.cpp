#include <cfmigrate/recipe/recipe_index.hpp>
#include <cfmigrate/cli/exec_command_options.hpp>

#include <cfmigrate/cli/common_options.hpp>
#include <cfmigrate/cli/exit_codes.hpp>
#include <cfmigrate/exec/state_dir.hpp>

#include <iostream>
#include <unistd.h>

namespace cfmigrate::cli {

namespace po = boost::program_options;

int exit_code_for(exec::Outcome outcome)
{
  switch (outcome) {
  case exec::Outcome::done:
  case exec::Outcome::nothing: return k_exit_ok;
  case exec::Outcome::failed:
  case exec::Outcome::damaged: return k_exit_error;
  case exec::Outcome::stale: return k_exit_stale;
  case exec::Outcome::locked: return k_exit_locked;
  case exec::Outcome::incompatible: return k_exit_incompatible;
  case exec::Outcome::conflicts: return k_exit_found;
  }
  return k_exit_error;
}

Result<exec::ExecOptions> exec_options(const po::variables_map& vm)
{
  exec::ExecOptions options;
  options.state_dir = vm["state-dir"].as<std::string>();
  options.host = vm.count("host-name") != 0 ? vm["host-name"].as<std::string>() : this_host_name();
  if (vm.count("root") != 0) {
    options.root = vm["root"].as<std::string>();
  }
  CFM_TRY(options.client, client_options(vm));
  EnvironmentCredentials env = credentials_from_environment();
  if (env.credentials) {
    options.credentials = std::move(env.credentials);
  }
  return options;
}

void add_exec_options(po::options_description& d)
{
  d.add_options()
    ("help,h", "show this help")
    ("state-dir", po::value<std::string>()->default_value(k_default_state_dir), "where journals and backups live (0700)")
    ("host-name", po::value<std::string>(), "this host's name as the plan knows it (default: the machine's)")
    ("root", po::value<std::string>(), "the filesystem root the plan's paths are under (default: the plan's)")
    ("yes,y", "do not ask for confirmation");
  add_api_options(d);
}

bool confirm(std::ostream& out, const std::string& question)
{
  if (::isatty(STDIN_FILENO) == 0) {
    return false;
  }
  out << question << " [y/N] " << std::flush;
  std::string answer;
  std::getline(std::cin, answer);
  return answer == "y" || answer == "Y" || answer == "yes";
}

Result<recipe::RecipeIndex> index_from(const po::variables_map& vm)
{
  CFM_TRY(std::vector<recipe::Recipe> recipes, recipes_from(vm));
  return recipe::RecipeIndex(recipes);
}

std::optional<std::string> plan_id_argument(const po::variables_map& vm, std::ostream& err, const char* command)
{
  if (vm.count("plan-id") == 0) {
    return std::string();
  }
  std::string id = vm["plan-id"].as<std::vector<std::string>>().front();
  if (!exec::is_valid_migration_id(id)) {
    err << "cfmigrate " << command << ": not a plan id (expected 1-128 characters of A-Z a-z 0-9 . _ -)\n";
    return std::nullopt;
  }
  return id;
}

} // namespace cfmigrate::cli
