#include <cfmigrate/plan/scan_report_input.hpp>

#include <cfmigrate/util/json_file.hpp>

#include <boost/json.hpp>

namespace cfmigrate::plan {

namespace json = boost::json;

// The paths a `cfmigrate scan --json` report names. A malformed report is an error naming the
// field, never an exception.
Result<std::set<std::string>> paths_in_scan_report(const std::string& report_path)
{
  auto doc = read_json_file(report_path);
  const json::object* report = doc && doc->is_object() ? &doc->get_object() : nullptr;
  const json::value* format = report != nullptr ? report->if_contains("format") : nullptr;
  if (format == nullptr || *format != "cfmigrate.scan/1") {
    return make_error(ErrorCode::parse, "not a cfmigrate.scan/1 document", report_path);
  }
  const json::value* findings = report->if_contains("findings");
  if (findings == nullptr || !findings->is_array()) {
    return make_error(ErrorCode::parse, "scan report: 'findings' must be an array", report_path);
  }
  std::set<std::string> paths;
  for (const json::value& finding : findings->get_array()) {
    const json::value* path = finding.is_object() ? finding.get_object().if_contains("path") : nullptr;
    if (path == nullptr || !path->is_string()) {
      return make_error(ErrorCode::parse, "scan report: each finding needs a string 'path'", report_path);
    }
    paths.insert(std::string(path->get_string()));
  }
  return paths;
}

} // namespace cfmigrate::plan
