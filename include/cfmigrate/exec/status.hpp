#pragma once
// `cfmigrate status`: every migration in the state directory, summarised from its journal.

#include <cfmigrate/exec/migration.hpp>
#include <cfmigrate/util/result.hpp>

#include <boost/json/object.hpp>

#include <string>
#include <vector>

namespace cfmigrate::exec {

struct StatusReport {
  std::string state_dir;
  std::vector<MigrationSummary> migrations;  // oldest first
  std::vector<std::string> problems;         // "<id>: <why>" for a migration whose journal is unreadable
};

// Reads the state directory without creating or locking anything; a state directory that does
// not exist has no migrations.
[[nodiscard]] Result<StatusReport> read_status(const std::string& state_dir);

// {"format":"cfmigrate.status/1","host":...,"state_dir":...,"migrations":[...]} (docs/apply.md).
boost::json::object to_json(const StatusReport& report, const std::string& host);

} // namespace cfmigrate::exec
