#pragma once
// Reading the scan, plan and status documents `cfmigrate report` merges (fleet/report.hpp) into
// a HostView, through util/json_read. Absent fields take their defaults (documents written by older
// versions lack some); a field of the wrong type, or an array item that is not an object, is a
// parse error naming it ("status: migrations[0].tokens[2].state: expected a string, got 3").

#include <cfmigrate/fleet/report.hpp>
#include <cfmigrate/util/json_read.hpp>

#include <string>
#include <vector>

namespace cfmigrate::fleet {

// The document's own "host" ("" when absent).
[[nodiscard]] Result<std::string> document_host(const boost::json::value& doc, const JsonPath& at);

// Replaces the host's scan part (usages, references, scoped tokens).
[[nodiscard]] Status read_scan(const boost::json::value& doc, const JsonPath& at, HostView& host);

// Replaces the host's plan part (id, counts, token names, Global keys planned away).
[[nodiscard]] Status read_plan(const boost::json::value& doc, const JsonPath& at, HostView& host);

// One migration of a status document and the host it names ("" when it names none).
struct StatusMigration {
  std::string host;
  MigrationView view;
};
[[nodiscard]] Result<std::vector<StatusMigration>> read_status_migrations(const boost::json::value& doc, const JsonPath& at);

} // namespace cfmigrate::fleet
