#include <cfmigrate/cli/rollback_command.hpp>

#include <cfmigrate/cli/common_options.hpp>
#include <cfmigrate/cli/exec_command_options.hpp>
#include <cfmigrate/cli/exit_codes.hpp>
#include <cfmigrate/exec/executor.hpp>
#include <cfmigrate/util/display_text.hpp>

#include <ostream>

namespace cfmigrate::cli {

namespace po = boost::program_options;

int rollback_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
                     const FaultInjectorFactory& faults)
{
  po::options_description d("cfmigrate rollback [PLAN-ID | --last] [options]\n\n"
                            "Restores every file apply rewrote (while it still holds what apply wrote) and then\n"
                            "deletes the tokens apply created.\n"
                            + exit_codes_help("rollback") + "\n\noptions");
  add_exec_options(d);
  d.add_options()("last", "the most recent migration")("force", "restore files changed since apply too (their current "
                                                                "content is backed up first)")(
    "recipes", po::value<std::string>(), "load more recipes from DIR");
  ParsedCommandLine p = parse_command_line(args, d, "plan-id", 1, out, err, "rollback");
  if (p.exit_code >= 0) {
    return p.exit_code;
  }
  std::optional<std::string> id = plan_id_argument(p.vm, err, "rollback");
  if (!id) {
    return k_exit_usage;
  }
  const std::string& plan_id = *id;
  if (plan_id.empty() && p.vm.count("last") == 0) {
    err << "cfmigrate rollback: name a PLAN-ID or use --last\n";
    return k_exit_usage;
  }
  auto options = exec_options(p.vm);
  if (!options) {
    err << "cfmigrate rollback: " << escape_for_terminal(options.error().describe()) << "\n";
    return k_exit_usage;
  }
  options->force = p.vm.count("force") != 0;
  options->log = &out;
  if (p.vm.count("yes") == 0 && !confirm(out, "Roll back " + (plan_id.empty() ? std::string("the last migration") : plan_id) + "?")) {
    err << "cfmigrate rollback: not confirmed (use --yes when not on a terminal)\n";
    return k_exit_error;
  }
  auto index = index_from(p.vm);
  if (!index) {
    err << "cfmigrate rollback: " << escape_for_terminal(index.error().describe()) << "\n";
    return k_exit_error;
  }
  exec::FaultInjector injector = faults();
  auto report = exec::rollback_migration(*index, plan_id, *options, injector);
  if (!report) {
    err << "cfmigrate rollback: " << escape_for_terminal(report.error().describe()) << "\n";
    return k_exit_error;
  }
  out << "cfmigrate rollback: " << escape_for_terminal(report->message) << "\n";
  for (const auto& line : report->identity_conflicts) {
    out << "  left alone (identity changed): " << escape_for_terminal(line) << "\n";
  }
  for (const auto& line : report->not_undone) {
    out << "  not undone: " << escape_for_terminal(line) << "\n";
  }
  for (const auto& diff : report->conflict_diffs) {
    out << escape_lines_for_terminal(diff);  // file contents a user may have written
  }
  return exit_code_for(report->outcome);
}

} // namespace cfmigrate::cli
