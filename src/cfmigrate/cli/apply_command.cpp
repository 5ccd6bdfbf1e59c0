#include <cfmigrate/cli/apply_command.hpp>

#include <cfmigrate/cli/common_options.hpp>
#include <cfmigrate/cli/exec_command_options.hpp>
#include <cfmigrate/cli/exit_codes.hpp>
#include <cfmigrate/cli/option_values.hpp>
#include <cfmigrate/exec/executor.hpp>
#include <cfmigrate/exec/plan_authentication.hpp>
#include <cfmigrate/util/display_text.hpp>

#include <ostream>

namespace cfmigrate::cli {

namespace po = boost::program_options;

int apply_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
                  const FaultInjectorFactory& faults)
{
  po::options_description d("cfmigrate apply PLAN-FILE [options]\n\n"
                            "Creates and verifies the plan's tokens, then rewrites each file atomically (backup\n"
                            "first, journal before every step). On failure everything this apply did is rolled\n"
                            "back unless --no-rollback.\n"
                            + exit_codes_help("apply") + "\n\noptions");
  add_exec_options(d);
  d.add_options()
    ("dry-run", "run the same steps without changing anything")
    ("resume", "continue an interrupted apply from its journal")
    ("no-rollback", "on failure keep what was done, for --resume")
    ("trust-plan", "apply a plan not signed with this state dir's key (made on another machine, or edited); review it first")
    ("post-hook", po::value<std::string>(), "shell command run once per program after success (CFMIGRATE_PROGRAM set)")
    ("verify-timeout", po::value<std::string>()->default_value("60"), "seconds to wait for a new token to become valid (1 to 3600)")
    ("recipes", po::value<std::string>(), "load more recipes from DIR");
  ParsedCommandLine p = parse_command_line(args, d, "plan-file", 1, out, err, "apply");
  if (p.exit_code >= 0) {
    return p.exit_code;
  }
  if (p.vm.count("plan-file") == 0) {
    err << "cfmigrate apply: a PLAN-FILE is required\n";
    return k_exit_usage;
  }
  auto options = exec_options(p.vm);
  if (!options) {
    err << "cfmigrate apply: " << escape_for_terminal(options.error().describe()) << "\n";
    return k_exit_usage;
  }
  const auto trust = p.vm.count("trust-plan") != 0 ? exec::PlanTrust::trust_unsigned : exec::PlanTrust::require_signature;
  auto plan = exec::read_authenticated_plan(p.vm["plan-file"].as<std::vector<std::string>>().front(), options->state_dir, trust);
  if (!plan) {
    err << "cfmigrate apply: " << escape_for_terminal(plan.error().describe()) << "\n";
    return plan.error().code() == ErrorCode::unsupported ? k_exit_incompatible : k_exit_error;
  }
  options->dry_run = p.vm.count("dry-run") != 0;
  options->resume = p.vm.count("resume") != 0;
  options->no_rollback = p.vm.count("no-rollback") != 0;
  // Text, not unsigned: program_options would wrap "-1" into a timeout of 136 years.
  auto timeout = parse_whole_number("--verify-timeout", p.vm["verify-timeout"].as<std::string>(), 1, 3600);
  if (!timeout) {
    err << "cfmigrate apply: " << escape_for_terminal(timeout.error().describe()) << "\n";
    return k_exit_usage;
  }
  options->verify_timeout = std::chrono::seconds(*timeout);
  if (p.vm.count("post-hook") != 0) {
    options->post_hook = p.vm["post-hook"].as<std::string>();
  }
  options->log = &out;
  if (!plan->has_changes()) {
    out << "Plan " << plan->plan_id << " changes nothing.\n";
    return k_exit_ok;
  }
  if (!options->dry_run && p.vm.count("yes") == 0
      && !confirm(out, "Create " + std::to_string(plan->tokens.size()) + " token(s) and rewrite " + std::to_string(plan->edits.size())
                           + " file(s) on " + plan->host + "?")) {
    err << "cfmigrate apply: not confirmed (use --yes when not on a terminal)\n";
    return k_exit_error;
  }
  auto index = index_from(p.vm);
  if (!index) {
    err << "cfmigrate apply: " << escape_for_terminal(index.error().describe()) << "\n";
    return k_exit_error;
  }
  exec::FaultInjector injector = faults();
  auto report = exec::apply_plan(*index, *plan, *options, injector);
  if (!report) {
    err << "cfmigrate apply: " << escape_for_terminal(report.error().describe()) << "\n";
    return k_exit_error;
  }
  (report->outcome == exec::Outcome::done || report->outcome == exec::Outcome::nothing ? out : err)
    << "cfmigrate apply: " << report->message << "\n";
  if (report->outcome == exec::Outcome::done && !options->dry_run) {
    out << "Created " << report->tokens_created << " token(s), rewrote " << report->files_written << " file(s).\n";
    if (!report->reload.empty()) {
      out << "Now reload or check:\n";
      for (const auto& r : report->reload) {
        out << "  " << r << "\n";
      }
    }
    out << "When everything works: cfmigrate finalize " << plan->plan_id << " (deletes the backups, which hold the Global key)\n";
  }
  return exit_code_for(report->outcome);
}

} // namespace cfmigrate::cli
