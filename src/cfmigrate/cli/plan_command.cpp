#include <cfmigrate/recipe/recipe_index.hpp>
#include <cfmigrate/cli/plan_command.hpp>

#include <cfmigrate/cli/common_options.hpp>
#include <cfmigrate/cli/exit_codes.hpp>
#include <cfmigrate/plan/plan_file.hpp>
#include <cfmigrate/plan/plan_renderer.hpp>
#include <cfmigrate/plan/planner.hpp>
#include <cfmigrate/scan/report_writer.hpp>
#include <cfmigrate/util/rfc3339.hpp>

#include <ostream>

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
    ("out,o", po::value<std::string>(), "write the plan file here (JSON, no secrets)")
    ("format", po::value<std::string>()->default_value("human"), "human | json (the plan itself on stdout)")
    ("exclude", po::value<std::vector<std::string>>()->composing(), "skip paths matching this glob")
    ("zone", po::value<std::vector<std::string>>()->composing(), "limit every token to this zone (repeatable)")
    ("group-by", po::value<std::string>()->default_value("file"), "one token per file (program instance) | program | host")
    ("allow-ip", po::value<std::vector<std::string>>()->composing(), "client IP/CIDR the tokens may be used from (repeatable)")
    ("expires", po::value<std::string>(), "token expiry (RFC 3339 or YYYY-MM-DD)")
    ("host-name", po::value<std::string>(), "host name used in token names (default: this machine's)")
    ("recipes", po::value<std::string>(), "load more recipes from DIR/<id>/recipe.json");
  add_api_options(d);
  return d;
}

} // namespace

int plan_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err)
{
  ParsedCommandLine parsed = parse_command_line(args, plan_options(), "path", -1, out, err, "plan");
  if (parsed.exit_code >= 0) {
    return parsed.exit_code;
  }
  const po::variables_map& vm = parsed.vm;
  plan::PlanOptions options;
  std::string group_by = vm["group-by"].as<std::string>();
  if (group_by == "file") {
    options.group_by = plan::GroupBy::file;
  } else if (group_by == "program") {
    options.group_by = plan::GroupBy::program;
  } else if (group_by == "host") {
    options.group_by = plan::GroupBy::host;
  } else {
    err << "cfmigrate plan: --group-by must be file, program or host\n";
    return k_exit_usage;
  }
  std::string format = vm["format"].as<std::string>();
  if (format != "human" && format != "json") {
    err << "cfmigrate plan: --format must be human or json\n";
    return k_exit_usage;
  }
  if (vm.count("expires") != 0) {
    std::string expires = vm["expires"].as<std::string>();
    if (expires.size() == 10) {
      expires += "T00:00:00Z";
    }
    auto when = parse_rfc3339(expires);
    if (!when) {
      err << "cfmigrate plan: --expires must be a date (YYYY-MM-DD) or RFC 3339 time\n";
      return k_exit_usage;
    }
    options.expires_on = format_rfc3339(*when);
  }
  auto client = client_options(vm);
  if (!client) {
    err << "cfmigrate plan: " << client.error().describe() << "\n";
    return k_exit_usage;
  }
  options.client = *client;
  auto recipes = recipes_from(vm);
  if (!recipes) {
    err << "cfmigrate plan: " << recipes.error().describe() << "\n";
    return k_exit_error;
  }
  recipe::RecipeIndex index(*recipes);
  options.scan.root = vm["root"].as<std::string>();
  if (vm.count("path") != 0) {
    options.scan.paths = vm["path"].as<std::vector<std::string>>();
  }
  if (vm.count("exclude") != 0) {
    options.scan.excludes = vm["exclude"].as<std::vector<std::string>>();
  }
  if (vm.count("from-scan") != 0) {
    options.from_scan = vm["from-scan"].as<std::string>();
  }
  if (vm.count("zone") != 0) {
    options.zones = vm["zone"].as<std::vector<std::string>>();
  }
  if (vm.count("allow-ip") != 0) {
    options.allow_ips = vm["allow-ip"].as<std::vector<std::string>>();
  }
  options.host = vm.count("host-name") != 0 ? vm["host-name"].as<std::string>() : this_host_name();
  EnvironmentCredentials env = credentials_from_environment();
  if (env.credentials) {
    options.credentials = env.credentials->clone();
    options.credentials_source = env.source;
  }

  auto result = plan::make_plan(index, options);
  if (!result) {
    err << "cfmigrate plan: " << result.error().describe() << "\n";
    return k_exit_error;
  }
  if (vm.count("out") != 0) {
    if (auto written = plan::write_plan_file(result->plan, vm["out"].as<std::string>()); !written) {
      err << "cfmigrate plan: " << written.error().describe() << "\n";
      return k_exit_error;
    }
  }
  if (format == "json") {
    write_json(out, plan::to_json(result->plan));
  } else {
    plan::RenderInput input{&result->plan, &result->contents, &result->masks, {}};
    plan::render_plan(out, input);
    if (vm.count("out") != 0) {
      out << "Plan written to " << vm["out"].as<std::string>() << "\n";
    }
  }
  return result->plan.has_changes() ? k_exit_found : k_exit_ok;
}

} // namespace cfmigrate::cli
