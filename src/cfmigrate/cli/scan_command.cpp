#include <cfmigrate/cli/scan_command.hpp>

#include <cfmigrate/cli/common_options.hpp>
#include <cfmigrate/cli/exit_codes.hpp>
#include <cfmigrate/cli/option_values.hpp>
#include <cfmigrate/recipe/recipe_index.hpp>
#include <cfmigrate/recipe/recipe_loader.hpp>
#include <cfmigrate/scan/report_writer.hpp>
#include <cfmigrate/util/checked_output.hpp>
#include <cfmigrate/util/display_text.hpp>
#include <cfmigrate/util/version.hpp>

#include <boost/program_options.hpp>

#include <iostream>
#include <limits>
#include <sstream>
#include <unistd.h>

namespace cfmigrate::cli {

namespace po = boost::program_options;

namespace {

po::options_description scan_options()
{
  po::options_description d("cfmigrate scan [options] [PATH...]\n\n"
                            "Finds every Cloudflare Global API Key usage under PATH (default: the places\n"
                            "Cloudflare clients keep their configuration). Never prints a key.\n"
                            + exit_codes_help("scan") + "\n\noptions");
  // Numbers are read as text: program_options would wrap "-1" into a huge unsigned value.
  d.add_options()
    ("help,h", "show this help")
    ("root", po::value<std::string>()->default_value("/"), "treat DIR as the filesystem root (image, container rootfs)")
    ("format", po::value<std::string>()->default_value("human"), "human | json | sarif")
    ("exclude", po::value<std::vector<std::string>>()->composing(), "skip paths matching this glob (repeatable)")
    ("max-file-size", po::value<std::string>()->default_value("16777216"), "skip files larger than this many bytes")
    ("threads", po::value<std::string>()->default_value("0"), "walker threads, 1 to 64 (0: automatic, two per core, 4 to 8)")
    ("recipes", po::value<std::string>(), "load more recipes from DIR/<id>/recipe.json (same id replaces)")
    ("host-name", po::value<std::string>(), "host name to report (default: this machine's; for --root trees of other hosts)")
    ("output,o", po::value<std::string>(), "write the report to FILE instead of stdout");
  return d;
}

Result<ScanCommandOptions> scan_options_from(const po::variables_map& vm)
{
  ScanCommandOptions o;
  CFM_TRY(o.format, parse_choice("--format", vm["format"].as<std::string>(), {"human", "json", "sarif"}));
  auto threads = parse_whole_number("--threads", vm["threads"].as<std::string>(), 0, k_max_scan_threads);
  if (!threads) {
    return Error(ErrorCode::invalid_argument, "--threads must be a whole number from 1 to 64 (0: automatic)");
  }
  o.scan.threads = static_cast<unsigned>(*threads);
  CFM_TRY(const std::uint64_t size_cap, parse_whole_number("--max-file-size", vm["max-file-size"].as<std::string>(), 0,
                                                           std::numeric_limits<std::size_t>::max()));
  o.scan.size_cap = static_cast<std::size_t>(size_cap);
  o.scan.root = vm["root"].as<std::string>();
  if (vm.count("path") != 0) {
    o.scan.paths = vm["path"].as<std::vector<std::string>>();
  }
  if (vm.count("exclude") != 0) {
    o.scan.excludes = vm["exclude"].as<std::vector<std::string>>();
  }
  if (vm.count("recipes") != 0) {
    o.recipes_dir = vm["recipes"].as<std::string>();
  }
  if (vm.count("host-name") != 0) {
    o.host_name = vm["host-name"].as<std::string>();
  }
  if (vm.count("output") != 0) {
    o.output = vm["output"].as<std::string>();
  }
  return o;
}

std::string render_report(const ScanCommandOptions& o, const scan::ScanReport& report, const scan::ReportContext& context)
{
  std::ostringstream text;
  if (o.format == "human") {
    scan::write_human(text, report, context);
  } else if (o.format == "json") {
    write_json(text, scan::to_json(report, context));
  } else {
    write_json(text, scan::to_sarif(report, context));
  }
  return text.str();
}

} // namespace

ScanCommandLine parse_scan_command_line(const std::vector<std::string>& args, std::ostream& out, std::ostream& err)
{
  return parse_command_options<ScanCommandOptions>(args, scan_options(), "path", -1, out, err, "scan",
                                                   [](const po::variables_map& vm) { return scan_options_from(vm); });
}

int scan_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err)
{
  ScanCommandLine line = parse_scan_command_line(args, out, err);
  if (line.exit_code >= 0) {
    return line.exit_code;
  }
  const ScanCommandOptions& o = line.options;
  auto recipes = recipe::load_recipes(o.recipes_dir);
  if (!recipes) {
    err << "cfmigrate scan: " << escape_for_terminal(recipes.error().describe()) << "\n";
    return k_exit_error;
  }
  recipe::RecipeIndex index(*recipes);

  bool show_progress = ::isatty(STDERR_FILENO) != 0 && &err == &std::cerr;
  scan::ProgressCallback progress;
  if (show_progress) {
    progress = [](std::size_t files) { std::cerr << "\rscanning: " << files << " files" << std::flush; };
  }
  auto report = scan::run_scan(index, o.scan, progress);
  if (show_progress) {
    std::cerr << "\r\033[K" << std::flush;
  }
  if (!report) {
    err << "cfmigrate scan: " << escape_for_terminal(report.error().describe()) << "\n";
    return k_exit_error;
  }
  scan::ReportContext context{o.host_name.value_or(this_host_name()), tool_version()};
  const std::string text = render_report(o, *report, context);
  Status written = o.output ? write_output_file(*o.output, text) : write_output_stream(out, text, "standard output");
  if (!written) {
    err << "cfmigrate scan: " << escape_for_terminal(written.error().describe()) << "\n";
    return k_exit_error;
  }
  if (o.format != "human") {
    for (const auto& problem : report->problems) {
      err << "cfmigrate scan: " << escape_for_terminal(problem.path) << ": " << escape_for_terminal(problem.message) << "\n";
    }
  }
  return report->global_keys() > 0 ? k_exit_found : k_exit_ok;
}

} // namespace cfmigrate::cli
