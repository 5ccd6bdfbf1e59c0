#pragma once
// Renders a ScanReport as a human report, as cfmigrate.scan/1 JSON, or as SARIF 2.1.0.
// None of them can print a credential: findings only expose fingerprints.

#include <cfmigrate/scan/scanner.hpp>
#include <cfmigrate/util/json_writer.hpp>

#include <boost/json/value.hpp>

#include <iosfwd>
#include <string>

namespace cfmigrate::scan {

struct ReportContext {
  std::string host;          // the scanned host's name
  std::string tool_version;
};

// Grouped by key fingerprint: e-mail, where used, which programs; then tokens, references and a summary.
void write_human(std::ostream& out, const ScanReport& report, const ReportContext& context);

// The document described in docs/scan-format.md ("format": "cfmigrate.scan/1").
boost::json::value to_json(const ScanReport& report, const ReportContext& context);

// SARIF 2.1.0 with one result per finding.
boost::json::value to_sarif(const ScanReport& report, const ReportContext& context);

} // namespace cfmigrate::scan
