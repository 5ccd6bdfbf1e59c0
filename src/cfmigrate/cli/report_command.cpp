#include <cfmigrate/cli/report_command.hpp>

#include <cfmigrate/cli/exit_codes.hpp>
#include <cfmigrate/fleet/report.hpp>
#include <cfmigrate/scan/report_writer.hpp>
#include <cfmigrate/util/checked_output.hpp>
#include <cfmigrate/util/display_text.hpp>
#include <cfmigrate/util/json_file.hpp>

#include <boost/program_options.hpp>

#include <algorithm>
#include <filesystem>
#include <ostream>
#include <sstream>

namespace cfmigrate::cli {

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace {

po::options_description report_options()
{
  po::options_description d("cfmigrate report [options] FILE|DIR...\n\n"
                            "Merges the JSON of `scan`, `plan` and `status` from many hosts into one fleet view:\n"
                            "per Global key fingerprint the hosts and programs still using it; per host the\n"
                            "tokens created, files changed, failures and rollbacks; and whether the Global key\n"
                            "can be rolled now (no host uses it, no migration in progress or failed).\n"
                            "A DIR is read as DIR/<host>/*.json (the layout the Ansible role fetches into),\n"
                            "each document counted for the host its directory is named after.\n"
                            + exit_codes_help("report") + "\n\noptions");
  d.add_options()
    ("help,h", "show this help")
    ("format", po::value<std::string>()->default_value("human"), "human | json (cfmigrate.fleet/1)")
    ("host-from-dir", "count each FILE for the host its parent directory is named after")
    ("output,o", po::value<std::string>(), "write the report to FILE instead of stdout");
  return d;
}

struct Input {
  std::string path;
  std::string host;
};

// The inputs an argument names: a file, or every DIR/<host>/*.json.
Result<std::vector<Input>> expand(const std::string& arg, bool host_from_dir)
{
  std::error_code ec;
  if (!fs::is_directory(arg, ec)) {
    std::string host;
    if (host_from_dir) {
      host = fs::absolute(fs::path(arg), ec).parent_path().filename().string();
    }
    return std::vector<Input>{Input{arg, host}};
  }
  std::vector<Input> out;
  for (fs::directory_iterator hosts(arg, ec), end; !ec && hosts != end; hosts.increment(ec)) {
    if (!hosts->is_directory(ec)) {
      continue;
    }
    for (fs::directory_iterator files(hosts->path(), ec), fend; !ec && files != fend; files.increment(ec)) {
      if (files->is_regular_file(ec) && files->path().extension() == ".json") {
        out.push_back(Input{files->path().string(), hosts->path().filename().string()});
      }
    }
  }
  if (ec) {
    return make_error(ErrorCode::io, "cannot list directory: " + ec.message(), arg);
  }
  if (out.empty()) {
    return make_error(ErrorCode::not_found, "no DIR/<host>/*.json files in directory", arg);
  }
  std::sort(out.begin(), out.end(), [](const Input& a, const Input& b) { return a.path < b.path; });
  return out;
}

} // namespace

int report_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err)
{
  po::options_description visible = report_options();
  po::options_description all;
  all.add(visible).add_options()("file", po::value<std::vector<std::string>>()->composing(), "");
  po::positional_options_description positional;
  positional.add("file", -1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    err << "cfmigrate report: " << e.what() << "\n";
    return k_exit_usage;
  }
  if (vm.count("help") != 0) {
    out << visible << "\n";
    return k_exit_ok;
  }
  const std::string format = vm["format"].as<std::string>();
  if (format != "human" && format != "json") {
    err << "cfmigrate report: --format must be human or json\n";
    return k_exit_usage;
  }
  if (vm.count("file") == 0) {
    err << "cfmigrate report: give the scan, plan and status JSON files (or a DIR/<host>/*.json directory)\n";
    return k_exit_usage;
  }
  const bool host_from_dir = vm.count("host-from-dir") != 0;
  std::vector<fleet::Document> documents;
  for (const auto& arg : vm["file"].as<std::vector<std::string>>()) {
    auto inputs = expand(arg, host_from_dir);
    if (!inputs) {
      err << "cfmigrate report: " << escape_for_terminal(inputs.error().describe()) << "\n";
      return k_exit_error;
    }
    for (auto& input : *inputs) {
      auto json = read_json_file(input.path);
      if (!json) {
        err << "cfmigrate report: " << escape_for_terminal(json.error().describe()) << "\n";
        return k_exit_error;
      }
      documents.push_back(fleet::Document{input.path, input.host, std::move(*json)});
    }
  }
  auto report = fleet::build_fleet(documents);
  if (!report) {
    err << "cfmigrate report: " << escape_for_terminal(report.error().describe()) << "\n";
    return k_exit_error;
  }
  std::ostringstream text;
  if (format == "json") {
    write_json(text, fleet::to_json(*report));
  } else {
    fleet::write_human(text, *report);
  }
  Status written = vm.count("output") != 0 ? write_output_file(vm["output"].as<std::string>(), text.str())
                                           : write_output_stream(out, text.str(), "standard output");
  if (!written) {
    err << "cfmigrate report: " << escape_for_terminal(written.error().describe()) << "\n";
    return k_exit_error;
  }
  if (format == "json") {
    for (const auto& w : report->warnings) {
      err << "cfmigrate report: warning: " << escape_for_terminal(w) << "\n";
    }
  }
  return report->can_roll ? k_exit_ok : k_exit_found;
}

} // namespace cfmigrate::cli
