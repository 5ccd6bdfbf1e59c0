#include <cfmigrate/cli/apply_command.hpp>

#include <cfmigrate/cli/common_options.hpp>
#include <cfmigrate/cli/exit_codes.hpp>
#include <cfmigrate/exec/backup_store.hpp>
#include <cfmigrate/exec/executor.hpp>
#include <cfmigrate/exec/journal.hpp>
#include <cfmigrate/plan/plan_file.hpp>
#include <cfmigrate/plan/planner.hpp>
#include <cfmigrate/recipe/recipe_index.hpp>
#include <cfmigrate/scan/report_writer.hpp>
#include <cfmigrate/scan/scanner.hpp>
#include <cfmigrate/util/file_lock.hpp>

#include <cfmigrate/util/json_writer.hpp>

#include <boost/json.hpp>

#include <iostream>
#include <set>
#include <unistd.h>

namespace cfmigrate::cli {

namespace po = boost::program_options;
namespace json = boost::json;

namespace {

const char* k_default_state_dir = "/var/lib/cfmigrate";

int exit_code_for(exec::Outcome outcome)
{
  switch (outcome) {
  case exec::Outcome::done:
  case exec::Outcome::nothing: return k_exit_ok;
  case exec::Outcome::failed: return k_exit_error;
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

} // namespace

int apply_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err)
{
  po::options_description d("cfmigrate apply PLAN-FILE [options]\n\n"
                            "Creates and verifies the plan's tokens, then rewrites each file atomically (backup\n"
                            "first, journal before every step). On failure everything this apply did is rolled\n"
                            "back unless --no-rollback. Exit: 0 applied, 1 failed, 3 stale plan, 4 locked,\n"
                            "5 plan for another host or version.\n\noptions");
  add_exec_options(d);
  d.add_options()
    ("dry-run", "run the same steps without changing anything")
    ("resume", "continue an interrupted apply from its journal")
    ("no-rollback", "on failure keep what was done, for --resume")
    ("post-hook", po::value<std::string>(), "shell command run once per program after success (CFMIGRATE_PROGRAM set)")
    ("verify-timeout", po::value<unsigned>()->default_value(60), "seconds to wait for a new token to become valid")
    ("recipes", po::value<std::string>(), "load more recipes from DIR");
  ParsedCommandLine p = parse_command_line(args, d, "plan-file", 1, out, err, "apply");
  if (p.exit_code >= 0) {
    return p.exit_code;
  }
  if (p.vm.count("plan-file") == 0) {
    err << "cfmigrate apply: a PLAN-FILE is required\n";
    return k_exit_usage;
  }
  auto plan = plan::read_plan_file(p.vm["plan-file"].as<std::vector<std::string>>().front());
  if (!plan) {
    err << "cfmigrate apply: " << plan.error().describe() << "\n";
    return plan.error().code() == ErrorCode::unsupported ? k_exit_incompatible : k_exit_error;
  }
  auto options = exec_options(p.vm);
  if (!options) {
    err << "cfmigrate apply: " << options.error().describe() << "\n";
    return k_exit_usage;
  }
  options->dry_run = p.vm.count("dry-run") != 0;
  options->resume = p.vm.count("resume") != 0;
  options->no_rollback = p.vm.count("no-rollback") != 0;
  options->verify_timeout = std::chrono::seconds(p.vm["verify-timeout"].as<unsigned>());
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
    err << "cfmigrate apply: " << index.error().describe() << "\n";
    return k_exit_error;
  }
  exec::FaultInjector faults = exec::FaultInjector::from_environment();
  auto report = exec::apply_plan(*index, *plan, *options, faults);
  if (!report) {
    err << "cfmigrate apply: " << report.error().describe() << "\n";
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

int rollback_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err)
{
  po::options_description d("cfmigrate rollback [PLAN-ID | --last] [options]\n\n"
                            "Restores every file apply rewrote (while it still holds what apply wrote) and then\n"
                            "deletes the tokens apply created. Exit: 0 done, 1 error, 2 files left in conflict,\n"
                            "4 locked.\n\noptions");
  add_exec_options(d);
  d.add_options()("last", "the most recent migration")("force", "restore files changed since apply too (their current "
                                                                "content is backed up first)")(
    "recipes", po::value<std::string>(), "load more recipes from DIR");
  ParsedCommandLine p = parse_command_line(args, d, "plan-id", 1, out, err, "rollback");
  if (p.exit_code >= 0) {
    return p.exit_code;
  }
  std::string plan_id = p.vm.count("plan-id") != 0 ? p.vm["plan-id"].as<std::vector<std::string>>().front() : std::string();
  if (plan_id.empty() && p.vm.count("last") == 0) {
    err << "cfmigrate rollback: name a PLAN-ID or use --last\n";
    return k_exit_usage;
  }
  auto options = exec_options(p.vm);
  if (!options) {
    err << "cfmigrate rollback: " << options.error().describe() << "\n";
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
    err << "cfmigrate rollback: " << index.error().describe() << "\n";
    return k_exit_error;
  }
  exec::FaultInjector faults = exec::FaultInjector::from_environment();
  auto report = exec::rollback_migration(*index, plan_id, *options, faults);
  if (!report) {
    err << "cfmigrate rollback: " << report.error().describe() << "\n";
    return k_exit_error;
  }
  out << "cfmigrate rollback: " << report->message << "\n";
  for (const auto& diff : report->conflict_diffs) {
    out << diff;
  }
  return exit_code_for(report->outcome);
}

int status_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err)
{
  po::options_description d("cfmigrate status [options]\n\nEvery migration in the state dir, its steps and state.\n\noptions");
  d.add_options()("help,h", "show this help")(
    "state-dir", po::value<std::string>()->default_value(k_default_state_dir), "where journals and backups live")(
    "format", po::value<std::string>()->default_value("human"), "human | json");
  ParsedCommandLine p = parse_command_line(args, d, nullptr, 0, out, err, "status");
  if (p.exit_code >= 0) {
    return p.exit_code;
  }
  std::string state_dir = p.vm["state-dir"].as<std::string>();
  auto ids = exec::list_migrations(state_dir);
  if (!ids) {
    err << "cfmigrate status: " << ids.error().describe() << "\n";
    return k_exit_error;
  }
  json::array migrations;
  for (const auto& id : *ids) {
    auto summary = exec::read_summary(exec::migration_paths(state_dir + "/migrations/" + id));
    if (!summary) {
      err << "cfmigrate status: " << id << ": " << summary.error().describe() << "\n";
      continue;
    }
    migrations.push_back(exec::to_json(*summary));
  }
  if (p.vm["format"].as<std::string>() == "json") {
    write_json(out, json::object{{"format", "cfmigrate.status/1"}, {"host", this_host_name()}, {"state_dir", state_dir},
                                       {"migrations", std::move(migrations)}});
    return k_exit_ok;
  }
  if (migrations.empty()) {
    out << "No migrations in " << state_dir << "\n";
  }
  for (const auto& m : migrations) {
    const auto& o = m.as_object();
    auto text = [](const json::value& v) { return std::string(v.as_string()); };
    out << text(o.at("plan_id")) << "  " << text(o.at("state")) << "  host " << text(o.at("host")) << "  started "
        << text(o.at("created")) << "\n";
    for (const auto& t : o.at("tokens").as_array()) {
      out << "  token " << text(t.at("name")) << "  " << text(t.at("state")) << "\n";
    }
    for (const auto& f : o.at("files").as_array()) {
      out << "  file  " << text(f.at("path")) << "  " << text(f.at("state")) << "\n";
    }
    for (const auto& f : o.at("failures").as_array()) {
      out << "  failed at " << text(f.at("step")) << ": " << text(f.at("message")) << "\n";
    }
  }
  return k_exit_ok;
}

int finalize_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err)
{
  po::options_description d("cfmigrate finalize PLAN-ID [options]\n\n"
                            "Once the migrated programs work: deletes the backups (they hold the Global key),\n"
                            "re-scans the host, and says whether any usage of the plan's Global keys remains —\n"
                            "the condition for rolling the key in the dashboard. Exit: 0 none remains, 2 some\n"
                            "remain, 1 error.\n\noptions");
  d.add_options()("help,h", "show this help")(
    "state-dir", po::value<std::string>()->default_value(k_default_state_dir), "where journals and backups live")(
    "root", po::value<std::string>(), "the filesystem root (default: the plan's)")(
    "recipes", po::value<std::string>(), "load more recipes from DIR");
  ParsedCommandLine p = parse_command_line(args, d, "plan-id", 1, out, err, "finalize");
  if (p.exit_code >= 0) {
    return p.exit_code;
  }
  if (p.vm.count("plan-id") == 0) {
    err << "cfmigrate finalize: a PLAN-ID is required\n";
    return k_exit_usage;
  }
  std::string id = p.vm["plan-id"].as<std::vector<std::string>>().front();
  std::string state_dir = p.vm["state-dir"].as<std::string>();
  exec::MigrationPaths paths = exec::migration_paths(state_dir + "/migrations/" + id);
  auto lock = FileLock::acquire(state_dir + "/lock");
  if (!lock) {
    err << "cfmigrate finalize: " << lock.error().describe() << "\n";
    return lock.error().code() == ErrorCode::locked ? k_exit_locked : k_exit_error;
  }
  auto summary = exec::read_summary(paths);
  auto plan = plan::read_plan_file(paths.plan);
  if (!summary || !plan) {
    err << "cfmigrate finalize: no migration " << id << " in " << state_dir << "\n";
    return k_exit_error;
  }
  if (summary->state != exec::MigrationState::applied && summary->state != exec::MigrationState::finalized) {
    err << "cfmigrate finalize: migration " << id << " is " << exec::to_string(summary->state) << ", not applied\n";
    return k_exit_error;
  }
  auto store = exec::BackupStore::open(paths.backups);
  auto journal = exec::Journal::open(paths.journal);
  if (!store || !journal) {
    err << "cfmigrate finalize: cannot open the migration's state\n";
    return k_exit_error;
  }
  auto removed = store->remove_all();
  if (!removed) {
    err << "cfmigrate finalize: " << removed.error().describe() << "\n";
    return k_exit_error;
  }
  (void)journal->append(json::object{{"type", "finalized"}, {"backups_removed", *removed}});
  out << "Deleted " << *removed << " backup file(s).\n";

  auto recipes = recipes_from(p.vm);
  if (!recipes) {
    err << "cfmigrate finalize: " << recipes.error().describe() << "\n";
    return k_exit_error;
  }
  recipe::RecipeIndex index(*recipes);
  scan::ScanOptions scan_options;
  scan_options.root = p.vm.count("root") != 0 ? p.vm["root"].as<std::string>() : plan->root;
  for (const auto& f : plan->files) {
    scan_options.paths.push_back(f.path);  // the migrated files ...
  }
  for (const auto& place : scan::default_scan_paths()) {
    scan_options.paths.push_back(place);   // ... and the usual places
  }
  auto report = scan::run_scan(index, scan_options);
  if (!report) {
    err << "cfmigrate finalize: " << report.error().describe() << "\n";
    return k_exit_error;
  }
  std::set<std::string> keys;
  for (const auto& c : plan->credentials) {
    if (c.kind == "global_key") {
      keys.insert(c.fingerprint);
    }
  }
  std::set<std::string> remaining;
  for (const auto& f : report->findings) {
    if (f.credential == scan::Credential::global_key && (keys.empty() || keys.count(f.fingerprint) != 0)) {
      remaining.insert(f.path + ":" + std::to_string(f.setting.line) + "  " + f.program + "  " + f.fingerprint);
    }
  }
  if (remaining.empty()) {
    out << "No usage of the migrated Global key(s) remains on this host: it can be rolled in the dashboard once every "
           "other host says the same.\n";
    return k_exit_ok;
  }
  out << "Global key usage remains (" << remaining.size() << "):\n";
  for (const auto& r : remaining) {
    out << "  " << r << "\n";
  }
  return k_exit_found;
}

} // namespace cfmigrate::cli
