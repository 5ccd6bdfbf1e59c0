#include <cfmigrate/plan/scan_report_input.hpp>

#include <cfmigrate/util/json_file.hpp>
#include <cfmigrate/util/json_path_field.hpp>
#include <cfmigrate/util/json_read.hpp>

#include <boost/json.hpp>

namespace cfmigrate::plan {

namespace json = boost::json;

// The paths a `cfmigrate scan --json` report names. A malformed report is an error naming the
// field ("scan report: findings[2].path: missing"), never an exception. A finding's
// "path_bytes" (base64, for names that are not UTF-8) wins over its display "path".
Result<std::set<std::string>> paths_in_scan_report(const std::string& report_path)
{
  const auto with_file = [&](const Error& e) { return Error(e.code(), e.message(), report_path); };
  auto doc = read_json_file(report_path);
  if (!doc) {
    return doc.error();
  }
  const JsonPath at("scan report");
  auto report = JsonFields::of(*doc, at);
  if (!report) {
    return with_file(report.error());
  }
  const json::value* format = report->find("format");
  if (format == nullptr || *format != "cfmigrate.scan/1") {
    return make_error(ErrorCode::parse, "not a cfmigrate.scan/1 document", report_path);
  }
  auto findings = report->required<std::vector<json::value>>("findings");
  if (!findings) {
    return with_file(findings.error());
  }
  std::set<std::string> paths;
  for (std::size_t i = 0; i < findings->size(); ++i) {
    auto finding = JsonFields::of((*findings)[i], at.key("findings").index(i));
    auto path = finding ? read_json_path(*finding, "path") : Result<std::string>(finding.error());
    if (!path) {
      return with_file(path.error());
    }
    paths.insert(std::move(*path));
  }
  return paths;
}

} // namespace cfmigrate::plan
