#include <cfmigrate/exec/status.hpp>

#include <cfmigrate/exec/state_dir.hpp>

#include <boost/json.hpp>

namespace cfmigrate::exec {

Result<StatusReport> read_status(const std::string& state_dir)
{
  StateDir state = StateDir::at(state_dir);
  CFM_TRY(std::vector<std::string> ids, state.list_migrations());
  StatusReport report;
  report.state_dir = state_dir;
  for (const auto& id : ids) {
    CFM_TRY(MigrationPaths paths, state.migration(id));  // listed ids are valid
    auto summary = read_summary(paths);
    if (!summary) {
      report.problems.push_back(id + ": " + summary.error().describe());
      continue;
    }
    report.migrations.push_back(std::move(*summary));
  }
  return report;
}

boost::json::object to_json(const StatusReport& report, const std::string& host)
{
  boost::json::array migrations;
  for (const auto& m : report.migrations) {
    migrations.push_back(to_json(m));
  }
  return boost::json::object{{"format", "cfmigrate.status/1"},
                             {"host", host},
                             {"state_dir", report.state_dir},
                             {"migrations", std::move(migrations)}};
}

} // namespace cfmigrate::exec
