#include <cfmigrate/recipe/recipe_index.hpp>
#include <cfmigrate/cli/plan_command.hpp>

#include <cfmigrate/cli/common_options.hpp>
#include <cfmigrate/cli/exit_codes.hpp>
#include <cfmigrate/cli/option_values.hpp>
#include <cfmigrate/recipe/recipe_loader.hpp>
#include <cfmigrate/cli/exec_command_options.hpp>
#include <cfmigrate/exec/plan_authentication.hpp>
#include <cfmigrate/util/checked_output.hpp>
#include <cfmigrate/util/display_text.hpp>
#include <cfmigrate/plan/plan_file.hpp>
#include <cfmigrate/plan/plan_renderer.hpp>
#include <cfmigrate/plan/planner.hpp>
#include <cfmigrate/scan/report_writer.hpp>

#include <ostream>
#include <sstream>

namespace cfmigrate::cli {

namespace po = boost::program_options;

namespace {

po::options_description plan_options()
{
  po::options_description d("cfmigrate plan [options] [PATH...]\n\n"
                            "Shows what a migration would do: tokens with minimal permissions and zones, masked\n"
                            "diffs of every file, manual steps. Changes nothing. Credentials come from the\n"
                            "environment (CLOUDFLARE_API_TOKEN, or CLOUDFLARE_EMAIL + CLOUDFLARE_API_KEY) or,\n"
                            "by default, from the Global keys found on disk with their paired e-mail.\n"
                            + exit_codes_help("plan") + "\n\noptions");
  d.add_options()
    ("help,h", "show this help")
    ("root", po::value<std::string>()->default_value("/"), "treat DIR as the filesystem root")
    ("from-scan", po::value<std::string>(), "plan the files of this `scan --format json` report")
    ("out,o", po::value<std::string>(), "write the plan file here (JSON, no secrets, signed with the state dir's plan key)")
    ("state-dir", po::value<std::string>()->default_value(k_default_state_dir), "where the plan key lives (the one apply uses)")
    ("format", po::value<std::string>()->default_value("human"), "human | json (the plan itself on stdout)")
    ("exclude", po::value<std::vector<std::string>>()->composing(), "skip paths matching this glob")
    ("zone", po::value<std::vector<std::string>>()->composing(), "limit every token to this zone (repeatable)")
    ("group-by", po::value<std::string>()->default_value("file"), "one token per file (program instance) | program | host")
    ("allow-ip", po::value<std::vector<std::string>>()->composing(), "client IP/CIDR the tokens may be used from (repeatable)")
    ("expires", po::value<std::string>(), "token expiry in the future (RFC 3339 or YYYY-MM-DD)")
    ("host-name", po::value<std::string>(), "host name used in token names (default: this machine's)")
    ("recipes", po::value<std::string>(), "load more recipes from DIR/<id>/recipe.json");
  add_api_options(d);
  return d;
}

std::vector<std::string> strings(const po::variables_map& vm, const char* name)
{
  return vm.count(name) != 0 ? vm[name].as<std::vector<std::string>>() : std::vector<std::string>();
}

Result<plan::GroupBy> group_by_from(const po::variables_map& vm)
{
  CFM_TRY(const std::string group_by, parse_choice("--group-by", vm["group-by"].as<std::string>(), {"file", "program", "host"}));
  if (group_by == "program") {
    return plan::GroupBy::program;
  }
  return group_by == "host" ? plan::GroupBy::host : plan::GroupBy::file;
}

Result<PlanCommandOptions> plan_options_from(const po::variables_map& vm, std::chrono::system_clock::time_point now)
{
  PlanCommandOptions o;
  CFM_TRY(o.plan.group_by, group_by_from(vm));
  CFM_TRY(o.format, parse_choice("--format", vm["format"].as<std::string>(), {"human", "json"}));
  if (vm.count("expires") != 0) {
    CFM_TRY(o.plan.expires_on, parse_future_time("--expires", vm["expires"].as<std::string>(), now));
  }
  o.plan.allow_ips = strings(vm, "allow-ip");
  for (const auto& ip : o.plan.allow_ips) {
    CFM_TRY_STATUS(check_ip_or_cidr("--allow-ip", ip));
  }
  CFM_TRY(o.plan.client, client_options(vm));
  o.plan.scan.root = vm["root"].as<std::string>();
  o.plan.scan.paths = strings(vm, "path");
  o.plan.scan.excludes = strings(vm, "exclude");
  if (vm.count("from-scan") != 0) {
    o.plan.from_scan = vm["from-scan"].as<std::string>();
  }
  o.plan.zones = strings(vm, "zone");
  o.plan.host = vm.count("host-name") != 0 ? vm["host-name"].as<std::string>() : this_host_name();
  if (vm.count("recipes") != 0) {
    o.recipes_dir = vm["recipes"].as<std::string>();
  }
  if (vm.count("out") != 0) {
    o.out_file = vm["out"].as<std::string>();
  }
  o.state_dir = vm["state-dir"].as<std::string>();
  return o;
}

} // namespace

PlanCommandLine parse_plan_command_line(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
                                        std::chrono::system_clock::time_point now)
{
  return parse_command_options<PlanCommandOptions>(args, plan_options(), "path", -1, out, err, "plan",
                                                   [now](const po::variables_map& vm) { return plan_options_from(vm, now); });
}

int plan_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err)
{
  PlanCommandLine line = parse_plan_command_line(args, out, err, std::chrono::system_clock::now());
  if (line.exit_code >= 0) {
    return line.exit_code;
  }
  PlanCommandOptions& o = line.options;
  auto recipes = recipe::load_recipes(o.recipes_dir);
  if (!recipes) {
    err << "cfmigrate plan: " << escape_for_terminal(recipes.error().describe()) << "\n";
    return k_exit_error;
  }
  recipe::RecipeIndex index(*recipes);
  EnvironmentCredentials env = credentials_from_environment();
  if (env.credentials) {
    o.plan.credentials = env.credentials->clone();
    o.plan.credentials_source = env.source;
  }

  auto result = plan::make_plan(index, o.plan);
  if (!result) {
    err << "cfmigrate plan: " << escape_for_terminal(result.error().describe()) << "\n";
    return k_exit_error;
  }
  if (o.out_file) {
    if (auto written = exec::write_signed_plan_file(result->plan, *o.out_file, o.state_dir); !written) {
      // The error names the file already.
      err << "cfmigrate plan: writing the plan file: " << escape_for_terminal(written.error().describe()) << "\n";
      return k_exit_error;
    }
  }
  std::ostringstream text;
  if (o.format == "json") {
    write_json(text, plan::to_json(result->plan));
  } else {
    plan::RenderInput input{&result->plan, &result->contents, &result->masks, {}};
    plan::render_plan(text, input);
    if (o.out_file) {
      text << "Plan written to " << escape_for_terminal(*o.out_file) << "\n";
    }
  }
  if (auto written = write_output_stream(out, text.str(), "standard output"); !written) {
    err << "cfmigrate plan: " << escape_for_terminal(written.error().describe()) << "\n";
    return k_exit_error;
  }
  return result->plan.has_changes() ? k_exit_found : k_exit_ok;
}

} // namespace cfmigrate::cli
