#include <cfmigrate/cli/scan_command.hpp>

#include <cfmigrate/cli/common_options.hpp>
#include <cfmigrate/cli/exit_codes.hpp>
#include <cfmigrate/recipe/recipe_index.hpp>
#include <cfmigrate/scan/report_writer.hpp>
#include <cfmigrate/scan/scanner.hpp>
#include <cfmigrate/util/version.hpp>

#include <boost/program_options.hpp>

#include <fstream>
#include <iostream>
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
  d.add_options()
    ("help,h", "show this help")
    ("root", po::value<std::string>()->default_value("/"), "treat DIR as the filesystem root (image, container rootfs)")
    ("format", po::value<std::string>()->default_value("human"), "human | json | sarif")
    ("exclude", po::value<std::vector<std::string>>()->composing(), "skip paths matching this glob (repeatable)")
    ("max-file-size", po::value<std::size_t>()->default_value(16 * 1024 * 1024), "skip files larger than this many bytes")
    ("threads", po::value<unsigned>()->default_value(0), "walker threads (0: two per core, 4 to 8)")
    ("recipes", po::value<std::string>(), "load more recipes from DIR/<id>/recipe.json (same id replaces)")
    ("host-name", po::value<std::string>(), "host name to report (default: this machine's; for --root trees of other hosts)")
    ("output,o", po::value<std::string>(), "write the report to FILE instead of stdout");
  return d;
}

} // namespace

int scan_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err)
{
  ParsedCommandLine parsed = parse_command_line(args, scan_options(), "path", -1, out, err, "scan");
  if (parsed.exit_code >= 0) {
    return parsed.exit_code;
  }
  const po::variables_map& vm = parsed.vm;
  std::string format = vm["format"].as<std::string>();
  if (format != "human" && format != "json" && format != "sarif") {
    err << "cfmigrate scan: --format must be human, json or sarif\n";
    return k_exit_usage;
  }
  auto recipes = recipes_from(vm);
  if (!recipes) {
    err << "cfmigrate scan: " << recipes.error().describe() << "\n";
    return k_exit_error;
  }
  recipe::RecipeIndex index(*recipes);
  scan::ScanOptions options;
  options.root = vm["root"].as<std::string>();
  if (vm.count("path") != 0) {
    options.paths = vm["path"].as<std::vector<std::string>>();
  }
  if (vm.count("exclude") != 0) {
    options.excludes = vm["exclude"].as<std::vector<std::string>>();
  }
  options.size_cap = vm["max-file-size"].as<std::size_t>();
  options.threads = vm["threads"].as<unsigned>();

  bool show_progress = ::isatty(STDERR_FILENO) != 0 && &err == &std::cerr;
  scan::ProgressCallback progress;
  if (show_progress) {
    progress = [](std::size_t files) { std::cerr << "\rscanning: " << files << " files" << std::flush; };
  }
  auto report = scan::run_scan(index, options, progress);
  if (show_progress) {
    std::cerr << "\r\033[K" << std::flush;
  }
  if (!report) {
    err << "cfmigrate scan: " << report.error().describe() << "\n";
    return k_exit_error;
  }
  scan::ReportContext context{vm.count("host-name") != 0 ? vm["host-name"].as<std::string>() : this_host_name(), tool_version()};

  std::ofstream file;
  std::ostream* target = &out;
  if (vm.count("output") != 0) {
    file.open(vm["output"].as<std::string>(), std::ios::binary | std::ios::trunc);
    if (!file) {
      err << "cfmigrate scan: cannot write " << vm["output"].as<std::string>() << "\n";
      return k_exit_error;
    }
    target = &file;
  }
  if (format == "human") {
    scan::write_human(*target, *report, context);
  } else if (format == "json") {
    write_json(*target, scan::to_json(*report, context));
  } else {
    write_json(*target, scan::to_sarif(*report, context));
  }
  if (format != "human") {
    for (const auto& problem : report->problems) {
      err << "cfmigrate scan: " << problem.path << ": " << problem.message << "\n";
    }
  }
  return report->global_keys() > 0 ? k_exit_found : k_exit_ok;
}

} // namespace cfmigrate::cli
