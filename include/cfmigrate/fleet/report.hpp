#pragma once
// The fleet report: merges per-host `scan` (cfmigrate.scan/1), `plan` (cfmigrate.plan/1) and
// `status` (cfmigrate.status/1) JSON documents into one view (cfmigrate.fleet/1, docs/fleet.md):
// per Global key fingerprint, the hosts and programs still using it; per host, tokens created,
// files changed, failures and rollbacks; and whether the Global key can be rolled now.
//
// The documents carry no secret values, and neither does the report. Hosts are matched by name:
// the document's own `host`, or the name the caller gives (the directory the Ansible role fetched
// the document into), because `scan` reports the machine's name, which need not be the inventory's.

#include <cfmigrate/util/result.hpp>

#include <boost/json/value.hpp>

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace cfmigrate::fleet {

inline constexpr const char* k_fleet_format = "cfmigrate.fleet/1";
inline constexpr const char* k_scan_format = "cfmigrate.scan/1";
inline constexpr const char* k_plan_format = "cfmigrate.plan/1";
inline constexpr const char* k_status_format = "cfmigrate.status/1";

enum class DocumentKind { scan, plan, status };
const char* to_string(DocumentKind kind);

// One input document, already parsed. `host` overrides the document's own host when not empty.
struct Document {
  std::string source;  // file name, for messages
  std::string host;
  boost::json::value json;
};

// A Global key found by the host's scan.
struct KeyUsage {
  std::string fingerprint;
  std::string email;
  std::string program;
  std::string path;
  std::int64_t line = 0;
  bool commented = false;  // inside a comment: not read by the program, still a key on disk
};

// A credential reference the scan could not resolve (the value lives elsewhere).
struct Reference {
  std::string program;
  std::string path;
  std::int64_t line = 0;
};

struct MigrationView {
  std::string plan_id;
  std::string created;
  std::string state;  // in_progress | applied | failed | rolled_back | finalized
  std::size_t tokens_created = 0;  // the API returned an id
  std::size_t tokens_live = 0;     // created and not deleted (delete outcome unknown counts as live)
  std::size_t tokens_unknown = 0;  // create intent with no outcome
  std::size_t files_changed = 0;   // as apply wrote them (written, verified)
  std::size_t files_restored = 0;
  std::size_t files_conflict = 0;
  std::size_t files_unknown = 0;   // write intent with no outcome, or backed up only
  std::vector<std::pair<std::string, std::string>> failures;  // step, message
  std::size_t rollbacks = 0;
  std::vector<std::string> token_names;
  std::vector<std::string> token_ids;  // ids of live tokens
};

// What a host's migrations did, summed once for the JSON and human reports and the fleet totals.
struct MigrationTotals {
  std::size_t tokens_created = 0;
  std::size_t tokens_live = 0;
  std::size_t files_changed = 0;
  std::size_t files_restored = 0;
  std::size_t failures = 0;
  std::size_t rollbacks = 0;
};

struct HostView {
  std::string host;
  // scan (the last one given for the host)
  bool scanned = false;
  std::string scan_source;
  std::vector<KeyUsage> usages;
  std::vector<Reference> references;
  std::size_t scoped_tokens = 0;
  // plan
  bool planned = false;
  std::string plan_source;
  std::string plan_id;
  std::size_t planned_tokens = 0;
  std::size_t planned_files = 0;
  std::size_t manual_items = 0;
  std::set<std::string> plan_key_fingerprints;  // Global keys the plan's tokens are created with
  std::vector<std::string> planned_token_names;
  // status
  bool has_status = false;
  std::string status_source;
  std::vector<MigrationView> migrations;

  std::size_t active_usages() const;
  std::size_t commented_usages() const;
  // failed | in_progress (any migration so), else the latest migration's state, else
  // planned | nothing_to_do | scanned.
  std::string state() const;
  bool plan_applied() const;  // the plan's id appears among the migrations
  MigrationTotals migration_totals() const;
};

struct KeyHostUse {
  std::string host;
  std::set<std::string> programs;
  std::set<std::string> paths;
  std::size_t active = 0;
  std::size_t commented = 0;
};

struct KeyView {
  std::string fingerprint;
  std::set<std::string> emails;
  std::vector<KeyHostUse> hosts;        // hosts whose scan still finds it
  std::set<std::string> planned_hosts;  // hosts whose plan creates tokens with it
  std::size_t hosts_using() const;      // hosts with an active usage
  bool can_roll = false;
};

struct Totals {
  std::size_t hosts = 0;
  std::size_t scanned = 0;
  std::size_t planned = 0;
  std::size_t with_status = 0;
  std::size_t hosts_using_global_key = 0;
  std::size_t global_key_usages = 0;
  std::size_t commented_usages = 0;
  std::size_t references = 0;
  std::size_t tokens_created = 0;
  std::size_t tokens_live = 0;
  std::size_t files_changed = 0;
  std::size_t files_restored = 0;
  std::size_t failures = 0;
  std::size_t rollbacks = 0;
  std::map<std::string, std::size_t> states;  // host state -> hosts
};

struct Fleet {
  std::vector<HostView> hosts;  // sorted by name
  std::vector<KeyView> keys;    // sorted by fingerprint
  Totals totals;
  bool can_roll = false;              // can the Global key(s) be rolled now?
  std::vector<std::string> blockers;  // why not
  std::vector<std::string> notes;     // cautions that do not block
  std::vector<std::string> warnings;  // about the inputs
};

// The kind of a document, from its "format" field.
[[nodiscard]] Result<DocumentKind> document_kind(const boost::json::value& json);

// Merges the documents (a later document of the same kind for the same host replaces an earlier
// one, with a warning). Errors: an unknown format, a document with no host, no documents at all.
[[nodiscard]] Result<Fleet> build_fleet(const std::vector<Document>& documents);

boost::json::value to_json(const Fleet& fleet);
void write_human(std::ostream& out, const Fleet& fleet);

} // namespace cfmigrate::fleet
