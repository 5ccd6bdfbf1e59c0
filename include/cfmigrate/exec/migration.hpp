#pragma once
// One migration's journal, summarised: the summary replays the journal (StateDir's
// migrations/<plan-id>/journal.jsonl, see exec/state_dir.hpp) into the state of every token and file.

#include <cfmigrate/exec/journal.hpp>
#include <cfmigrate/exec/state_dir.hpp>
#include <cfmigrate/util/result.hpp>

#include <boost/json/value.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace cfmigrate::exec {

enum class MigrationState { in_progress, applied, failed, rolled_back, finalized };
const char* to_string(MigrationState state);

struct TokenRecord {
  std::string key;
  std::string name;
  std::string id;
  std::string state;  // create_intent, created, verified, delete_intent, deleted
  std::string intent_time; // the journal time of the last create intent (RFC 3339)
};

struct FileRecord {
  std::string path;
  std::uint64_t backup_id = 0;
  std::string sha_before;
  std::string sha_after;
  std::string state;  // backed_up, write_intent, written, verified, restored, conflict
};

struct Failure {
  std::string step;
  std::string message;
};

struct MigrationSummary {
  std::string plan_id;
  std::string run_id;   // the first apply's run id: token names end in "/<run id>" ("" before 0.9)
  std::string host;
  std::string created;
  MigrationState state = MigrationState::in_progress;
  std::vector<TokenRecord> tokens;
  std::vector<FileRecord> files;
  std::vector<Failure> failures;
  std::vector<std::uint64_t> kept_backups; // copies a forced rollback took of files it overwrote
  unsigned rollbacks = 0;
  bool torn_tail = false;

  TokenRecord* token(const std::string& key);
  FileRecord* file(const std::string& path);
};

// A journal record about one file: {"type": type, "path": path} (and "path_bytes" when the path
// is not UTF-8, util/json_path_field.hpp), then `fields`.
boost::json::object file_record(std::string_view type, const std::string& path, boost::json::object fields = {});

// Replays journal records (in order) into a summary.
MigrationSummary summarize(const std::vector<boost::json::object>& records);

[[nodiscard]] Result<MigrationSummary> read_summary(const MigrationPaths& paths);

boost::json::object to_json(const MigrationSummary& summary);

} // namespace cfmigrate::exec
