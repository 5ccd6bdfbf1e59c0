#include <cfmigrate/cli/status_command.hpp>

#include <cfmigrate/cli/common_options.hpp>
#include <cfmigrate/cli/exec_command_options.hpp>
#include <cfmigrate/cli/exit_codes.hpp>
#include <cfmigrate/cli/option_values.hpp>
#include <cfmigrate/exec/status.hpp>
#include <cfmigrate/util/display_text.hpp>
#include <cfmigrate/util/json_writer.hpp>

#include <ostream>

namespace cfmigrate::cli {

namespace po = boost::program_options;

namespace {

struct StatusCommandOptions {
  std::string state_dir;
  bool json = false;
};

void write_human(std::ostream& out, const exec::StatusReport& report)
{
  if (report.migrations.empty()) {
    out << "No migrations in " << escape_for_terminal(report.state_dir) << "\n";
  }
  for (const auto& m : report.migrations) {
    out << escape_for_terminal(m.plan_id) << "  " << exec::to_string(m.state) << "  host " << escape_for_terminal(m.host) << "  started "
        << escape_for_terminal(m.created) << "\n";
    for (const auto& t : m.tokens) {
      out << "  token " << escape_for_terminal(t.name) << "  " << escape_for_terminal(t.state) << "\n";
    }
    for (const auto& f : m.files) {
      out << "  file  " << escape_for_terminal(f.path) << "  " << escape_for_terminal(f.state) << "\n";
    }
    for (const auto& f : m.failures) {
      out << "  failed at " << escape_for_terminal(f.step) << ": " << escape_for_terminal(f.message) << "\n";
    }
  }
}

} // namespace

int status_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err)
{
  po::options_description d("cfmigrate status [options]\n\nEvery migration in the state dir, its steps and state.\n"
                            + exit_codes_help("status") + "\n\noptions");
  d.add_options()("help,h", "show this help")(
    "state-dir", po::value<std::string>()->default_value(k_default_state_dir), "where journals and backups live")(
    "format", po::value<std::string>()->default_value("human"), "human | json");
  ParsedCommandLine p = parse_command_line(args, d, nullptr, 0, out, err, "status");
  if (p.exit_code >= 0) {
    return p.exit_code;
  }
  auto format = parse_choice("--format", p.vm["format"].as<std::string>(), {"human", "json"});
  if (!format) {
    err << "cfmigrate status: " << escape_for_terminal(format.error().describe()) << "\n";
    return k_exit_usage;
  }
  StatusCommandOptions options{p.vm["state-dir"].as<std::string>(), *format == "json"};

  auto report = exec::read_status(options.state_dir);
  if (!report) {
    err << "cfmigrate status: " << escape_for_terminal(report.error().describe()) << "\n";
    return k_exit_error;
  }
  for (const auto& problem : report->problems) {
    err << "cfmigrate status: " << escape_for_terminal(problem) << "\n";
  }
  if (options.json) {
    write_json(out, exec::to_json(*report, this_host_name()));
  } else {
    write_human(out, *report);
  }
  return k_exit_ok;
}

} // namespace cfmigrate::cli
