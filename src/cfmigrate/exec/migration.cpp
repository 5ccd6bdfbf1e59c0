#include <cfmigrate/exec/migration.hpp>

#include <cfmigrate/util/json_path_field.hpp>

#include <boost/json.hpp>

namespace cfmigrate::exec {

namespace json = boost::json;

namespace {

std::string field(const json::object& o, const char* key)
{
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

// A file record's path: raw bytes from "path_bytes" when the path is not UTF-8 (put_json_path).
std::string path_field(const json::object& o)
{
  auto path = read_json_path(JsonFields::of_object(o, JsonPath("journal record")), "path", PathPresence::optional);
  return path ? std::move(*path) : std::string();
}

} // namespace

json::object file_record(std::string_view type, const std::string& path, json::object fields)
{
  json::object o{{"type", type}};
  put_json_path(o, "path", path);
  for (auto& field : fields) {
    o[field.key()] = std::move(field.value());
  }
  return o;
}

const char* to_string(MigrationState state)
{
  switch (state) {
  case MigrationState::in_progress: return "in_progress";
  case MigrationState::applied: return "applied";
  case MigrationState::failed: return "failed";
  case MigrationState::rolled_back: return "rolled_back";
  case MigrationState::finalized: return "finalized";
  }
  return "in_progress";
}

TokenRecord* MigrationSummary::token(const std::string& key)
{
  for (auto& t : tokens) {
    if (t.key == key) {
      return &t;
    }
  }
  return nullptr;
}

FileRecord* MigrationSummary::file(const std::string& path)
{
  for (auto& f : files) {
    if (f.path == path) {
      return &f;
    }
  }
  return nullptr;
}

MigrationSummary summarize(const std::vector<json::object>& records)
{
  MigrationSummary s;
  for (const auto& r : records) {
    std::string type = field(r, "type");
    if (type == "apply_started") {
      s.plan_id = field(r, "plan_id");
      s.host = field(r, "host");
      if (s.run_id.empty()) {
        s.run_id = field(r, "run");
      }
      if (s.created.empty()) {
        s.created = field(r, "time");
      }
      s.state = MigrationState::in_progress;
    } else if (type.rfind("token_", 0) == 0) {
      std::string key = field(r, "token");
      TokenRecord* t = s.token(key);
      if (t == nullptr) {
        s.tokens.push_back(TokenRecord{key, field(r, "name"), {}, {}, {}});
        t = &s.tokens.back();
      }
      if (type == "token_create_intent") {
        t->id.clear();  // a new create: any earlier id belongs to a token already deleted
        t->intent_time = field(r, "time");
      }
      if (!field(r, "id").empty()) {
        t->id = field(r, "id");
      }
      if (!field(r, "name").empty()) {
        t->name = field(r, "name");
      }
      t->state = type.substr(6);
    } else if (type.rfind("file_", 0) == 0) {
      std::string path = path_field(r);
      FileRecord* f = s.file(path);
      if (f == nullptr) {
        s.files.push_back(FileRecord{path, 0, {}, {}, {}});
        f = &s.files.back();
      }
      if (const json::value* id = r.if_contains("backup_id"); id != nullptr && id->is_int64()) {
        f->backup_id = static_cast<std::uint64_t>(id->as_int64());
      }
      if (!field(r, "sha_before").empty()) {
        f->sha_before = field(r, "sha_before");
      }
      if (!field(r, "sha_after").empty()) {
        f->sha_after = field(r, "sha_after");
      }
      f->state = type.substr(5);
    } else if (type == "backup_kept") {
      if (const json::value* id = r.if_contains("backup_id"); id != nullptr && id->is_int64() && id->as_int64() > 0) {
        s.kept_backups.push_back(static_cast<std::uint64_t>(id->as_int64()));
      }
    } else if (type == "failed") {
      s.failures.push_back(Failure{field(r, "step"), field(r, "message")});
      s.state = MigrationState::failed;
    } else if (type == "completed") {
      s.state = MigrationState::applied;
    } else if (type == "rollback_started") {
      s.state = MigrationState::in_progress;
    } else if (type == "rolled_back") {
      ++s.rollbacks;
      s.state = MigrationState::rolled_back;
    } else if (type == "finalized") {
      s.state = MigrationState::finalized;
    }
  }
  return s;
}

Result<MigrationSummary> read_summary(const MigrationPaths& paths)
{
  CFM_TRY(JournalContents contents, Journal::read(paths.journal));
  MigrationSummary s = summarize(contents.records);
  s.torn_tail = contents.torn_tail;
  return s;
}

json::object to_json(const MigrationSummary& s)
{
  json::array tokens;
  for (const auto& t : s.tokens) {
    tokens.push_back(json::object{{"key", t.key}, {"name", t.name}, {"id", t.id}, {"state", t.state}});
  }
  json::array files;
  for (const auto& f : s.files) {
    json::object file = file_record("file", f.path, {{"state", f.state}, {"sha_before", f.sha_before}, {"sha_after", f.sha_after}});
    file.erase("type");
    files.push_back(std::move(file));
  }
  json::array failures;
  for (const auto& f : s.failures) {
    failures.push_back(json::object{{"step", f.step}, {"message", f.message}});
  }
  return json::object{{"plan_id", s.plan_id},   {"host", s.host},         {"created", s.created},
                      {"state", to_string(s.state)}, {"tokens", std::move(tokens)}, {"files", std::move(files)},
                      {"failures", std::move(failures)}, {"rollbacks", s.rollbacks}};
}

} // namespace cfmigrate::exec
