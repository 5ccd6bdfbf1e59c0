#include <cfmigrate/cli/run.hpp>

#include <cfmigrate/cli/apply_command.hpp>
#include <cfmigrate/cli/exit_codes.hpp>
#include <cfmigrate/cli/finalize_command.hpp>
#include <cfmigrate/cli/plan_command.hpp>
#include <cfmigrate/cli/recipes_command.hpp>
#include <cfmigrate/cli/report_command.hpp>
#include <cfmigrate/cli/rollback_command.hpp>
#include <cfmigrate/cli/scan_command.hpp>
#include <cfmigrate/cli/show_command.hpp>
#include <cfmigrate/cli/status_command.hpp>
#include <cfmigrate/util/checked_output.hpp>
#include <cfmigrate/util/process_hygiene.hpp>
#include <cfmigrate/util/version.hpp>

#include <exception>
#include <functional>
#include <map>
#include <ostream>

namespace cfmigrate::cli {

namespace {

using Command = std::function<int(const std::vector<std::string>&, std::ostream&, std::ostream&, const FaultInjectorFactory&)>;
using PlainCommand = int (*)(const std::vector<std::string>&, std::ostream&, std::ostream&);

// A command that never injects faults (all but apply and rollback).
template<PlainCommand command>
int without_faults(const std::vector<std::string>& args, std::ostream& out, std::ostream& err, const FaultInjectorFactory&)
{
  return command(args, out, err);
}

const std::map<std::string, std::pair<Command, const char*>>& commands()
{
  static const std::map<std::string, std::pair<Command, const char*>> k_commands = {
    {"scan", {without_faults<scan_command>, "find every Global API Key usage (read-only)"}},
    {"plan", {without_faults<plan_command>, "show and save what a migration would do (changes nothing)"}},
    {"show", {without_faults<show_command>, "render a saved plan file"}},
    {"apply", {apply_command, "create the tokens and rewrite the files of a plan (journalled)"}},
    {"rollback", {rollback_command, "undo an apply: restore the files, delete the tokens"}},
    {"status", {without_faults<status_command>, "every migration in the state dir and its state"}},
    {"finalize", {without_faults<finalize_command>, "delete backups and check no Global key usage remains"}},
    {"report", {without_faults<report_command>, "merge many hosts' scan/plan/status JSON into one fleet report"}},
    {"recipes", {without_faults<recipes_command>, "list the per-program recipes after validating them"}},
  };
  return k_commands;
}

void usage(std::ostream& os)
{
  os << "usage: cfmigrate <command> [options]\n\n"
        "Moves servers off the Cloudflare Global API Key onto scoped API tokens.\n\ncommands:\n";
  for (const auto& [name, entry] : commands()) {
    os << "  " << name << std::string(10 - name.size(), ' ') << entry.second << "\n";
  }
  os << "\n`cfmigrate <command> --help` describes a command's options. Secrets are never taken from the\n"
        "command line and never printed: keys show as sha256 fingerprints.\n";
}

// Whatever a command printed to stdout must have arrived: a full disk or a closed pipe is an error
// (exit 1) with a message, not the command's usual exit code.
int checked_exit(const std::string& command, int code, std::ostream& out, std::ostream& err)
{
  if (code == k_exit_error) {
    return code;  // the command has reported its own failure (perhaps this very one)
  }
  if (auto flushed = write_output_stream(out, {}, "standard output"); !flushed) {
    err << "cfmigrate " << command << ": " << flushed.error().describe() << "\n";
    return k_exit_error;
  }
  return code;
}

} // namespace

int run(int argc, char** argv, std::ostream& out, std::ostream& err, const FaultInjectorFactory& faults)
{
  // Every command may hold the Global key: no core file, no ptrace by the same uid.
  forbid_core_dumps();
  report_broken_pipes();
  try {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
      usage(args.empty() ? err : out);
      return args.empty() ? k_exit_usage : k_exit_ok;
    }
    if (args[0] == "--version" || args[0] == "version") {
      out << "cfmigrate " << tool_version() << "\n";
      return k_exit_ok;
    }
    auto it = commands().find(args[0]);
    if (it == commands().end()) {
      err << "cfmigrate: unknown command '" << args[0] << "'\n";
      usage(err);
      return k_exit_usage;
    }
    const std::string command = args[0];
    args.erase(args.begin());
    const int code = it->second.first(args, out, err, faults);
    return checked_exit(command, code, out, err);
  } catch (const std::exception&) {
    // The message could in theory carry input bytes; say only that it failed.
    err << "cfmigrate: internal error (unexpected exception); nothing was printed from its message\n";
    return k_exit_error;
  } catch (...) {
    err << "cfmigrate: internal error\n";
    return k_exit_error;
  }
}

} // namespace cfmigrate::cli
