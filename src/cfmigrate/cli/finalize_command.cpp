#include <cfmigrate/cli/finalize_command.hpp>

#include <cfmigrate/cli/common_options.hpp>
#include <cfmigrate/cli/exec_command_options.hpp>
#include <cfmigrate/cli/exit_codes.hpp>
#include <cfmigrate/exec/finalize.hpp>
#include <cfmigrate/util/display_text.hpp>

#include <ostream>

namespace cfmigrate::cli {

namespace po = boost::program_options;

int finalize_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err)
{
  po::options_description d("cfmigrate finalize PLAN-ID [options]\n\n"
                            "Once the migrated programs work: deletes the backups (they hold the Global key),\n"
                            "re-scans the host, and says whether any usage of the plan's Global keys remains —\n"
                            "the condition for rolling the key in the dashboard.\n"
                            + exit_codes_help("finalize") + "\n\noptions");
  d.add_options()("help,h", "show this help")(
    "state-dir", po::value<std::string>()->default_value(k_default_state_dir), "where journals and backups live")(
    "root", po::value<std::string>(), "the filesystem root (default: the plan's)")(
    "recipes", po::value<std::string>(), "load more recipes from DIR");
  ParsedCommandLine p = parse_command_line(args, d, "plan-id", 1, out, err, "finalize");
  if (p.exit_code >= 0) {
    return p.exit_code;
  }
  std::optional<std::string> id = plan_id_argument(p.vm, err, "finalize");
  if (!id) {
    return k_exit_usage;
  }
  if (id->empty()) {
    err << "cfmigrate finalize: a PLAN-ID is required\n";
    return k_exit_usage;
  }
  exec::FinalizeOptions options{p.vm["state-dir"].as<std::string>(), *id,
                                p.vm.count("root") != 0 ? p.vm["root"].as<std::string>() : std::string()};
  auto index = index_from(p.vm);
  if (!index) {
    err << "cfmigrate finalize: " << escape_for_terminal(index.error().describe()) << "\n";
    return k_exit_error;
  }

  auto report = exec::finalize_migration(*index, options);
  if (!report) {
    err << "cfmigrate finalize: " << escape_for_terminal(report.error().describe()) << "\n";
    return report.error().code() == ErrorCode::locked ? k_exit_locked : k_exit_error;
  }
  out << "Deleted " << report->backups_removed << " backup file(s).\n";
  if (report->remaining.empty()) {
    out << "No usage of the migrated Global key(s) remains on this host: it can be rolled in the dashboard once every "
           "other host says the same.\n";
    return k_exit_ok;
  }
  out << "Global key usage remains (" << report->remaining.size() << "):\n";
  for (const auto& r : report->remaining) {
    out << "  " << r << "\n";
  }
  return k_exit_found;
}

} // namespace cfmigrate::cli
