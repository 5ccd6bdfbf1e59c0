#include <cfmigrate/fleet/report.hpp>

#include <cfmigrate/fleet/report_inputs.hpp>
#include <cfmigrate/util/join.hpp>

#include <boost/json.hpp>

#include <algorithm>
#include <fstream>
#include <iomanip>
#include <ostream>
#include <sstream>

namespace cfmigrate::fleet {

namespace json = boost::json;

namespace {

template<typename Container>
json::array strings(const Container& items)
{
  json::array a;
  for (const auto& s : items) {
    a.emplace_back(s);
  }
  return a;
}

HostView& host_named(std::map<std::string, HostView>& hosts, const std::string& name)
{
  HostView& h = hosts[name];
  h.host = name;
  return h;
}

// Replaces an earlier document of the same kind for the same host, with a warning.
bool replacing(std::string& current_source, bool& present, const std::string& source, const std::string& host,
               DocumentKind kind, std::vector<std::string>& warnings)
{
  if (present && current_source != source) {
    warnings.push_back(std::string("host ") + host + ": several " + to_string(kind) + " documents; using " + source +
                       " (given after " + current_source + ")");
    current_source = source;
    return true;
  }
  const bool fresh = !present;
  present = true;
  current_source = source;
  return fresh;
}

bool blocking(const std::string& state)
{
  return state == "in_progress" || state == "failed";
}

} // namespace

const char* to_string(DocumentKind kind)
{
  switch (kind) {
  case DocumentKind::scan: return "scan";
  case DocumentKind::plan: return "plan";
  case DocumentKind::status: return "status";
  }
  return "scan";
}

std::size_t HostView::active_usages() const
{
  return static_cast<std::size_t>(std::count_if(usages.begin(), usages.end(), [](const KeyUsage& u) { return !u.commented; }));
}

std::size_t HostView::commented_usages() const
{
  return usages.size() - active_usages();
}

bool HostView::plan_applied() const
{
  return std::any_of(migrations.begin(), migrations.end(), [&](const MigrationView& m) { return m.plan_id == plan_id; });
}

std::string HostView::state() const
{
  for (const char* bad : {"failed", "in_progress"}) {
    if (std::any_of(migrations.begin(), migrations.end(), [&](const MigrationView& m) { return m.state == bad; })) {
      return bad;
    }
  }
  if (planned && !plan_applied() && planned_tokens + planned_files > 0) {
    return "planned";  // a newer plan waits to be applied
  }
  if (!migrations.empty()) {
    return migrations.back().state;
  }
  if (planned) {
    return planned_tokens + planned_files > 0 ? "planned" : "nothing_to_do";
  }
  return scanned ? "scanned" : "unknown";
}

MigrationTotals HostView::migration_totals() const
{
  MigrationTotals t;
  for (const auto& m : migrations) {
    t.tokens_created += m.tokens_created;
    t.tokens_live += m.tokens_live;
    t.files_changed += m.files_changed;
    t.files_restored += m.files_restored;
    t.failures += m.failures.size();
    t.rollbacks += m.rollbacks;
  }
  return t;
}

std::size_t KeyView::hosts_using() const
{
  return static_cast<std::size_t>(std::count_if(hosts.begin(), hosts.end(), [](const KeyHostUse& h) { return h.active > 0; }));
}

Result<DocumentKind> document_kind(const json::value& value)
{
  if (!value.is_object()) {
    return make_error(ErrorCode::parse, "not a JSON object");
  }
  CFM_TRY(const JsonFields fields, JsonFields::of(value, JsonPath()));
  CFM_TRY(const std::string format, fields.optional<std::string>("format"));
  if (format == k_scan_format) {
    return DocumentKind::scan;
  }
  if (format == k_plan_format) {
    return DocumentKind::plan;
  }
  if (format == k_status_format) {
    return DocumentKind::status;
  }
  if (format.empty()) {
    return make_error(ErrorCode::parse, "no \"format\" field: expected the JSON of cfmigrate scan, plan or status");
  }
  return make_error(ErrorCode::unsupported, "format '" + format + "' is not " + k_scan_format + ", " + k_plan_format +
                                                " or " + k_status_format);
}

namespace {

// A status document: its migrations grouped by host (the caller's name, else each migration's,
// else the document's).
Status add_status(const Document& d, std::map<std::string, HostView>& hosts, std::vector<std::string>& warnings)
{
  const JsonPath at("status");
  CFM_TRY(const std::string doc_host, document_host(d.json, at));
  CFM_TRY(std::vector<StatusMigration> migrations, read_status_migrations(d.json, at));
  std::map<std::string, std::vector<MigrationView>> by_host;
  for (StatusMigration& m : migrations) {
    const std::string& name = !d.host.empty() ? d.host : !m.host.empty() ? m.host : doc_host;
    if (name.empty()) {
      return make_error(ErrorCode::parse, "status names no host", d.source);
    }
    by_host[name].push_back(std::move(m.view));
  }
  if (by_host.empty()) {
    const std::string name = d.host.empty() ? doc_host : d.host;
    if (name.empty()) {
      return make_error(ErrorCode::parse, "status names no host", d.source);
    }
    by_host[name];
  }
  for (auto& [name, views] : by_host) {
    HostView& h = host_named(hosts, name);
    replacing(h.status_source, h.has_status, d.source, name, DocumentKind::status, warnings);
    h.migrations = std::move(views);
  }
  return {};
}

// One scan or plan document into its host's view.
Status add_scan_or_plan(const Document& d, DocumentKind kind, std::map<std::string, HostView>& hosts,
                        std::vector<std::string>& warnings)
{
  const JsonPath at(to_string(kind));
  CFM_TRY(const std::string doc_host, document_host(d.json, at));
  const std::string name = d.host.empty() ? doc_host : d.host;
  if (name.empty()) {
    return make_error(ErrorCode::parse, std::string(kind == DocumentKind::scan ? "scan report" : "plan") + " names no host",
                      d.source);
  }
  HostView& h = host_named(hosts, name);
  if (kind == DocumentKind::scan) {
    replacing(h.scan_source, h.scanned, d.source, name, kind, warnings);
    return read_scan(d.json, at, h);
  }
  replacing(h.plan_source, h.planned, d.source, name, kind, warnings);
  return read_plan(d.json, at, h);
}

// Reads every document into the per-host views.
Status collect_documents(const std::vector<Document>& documents, std::map<std::string, HostView>& hosts,
                         std::vector<std::string>& warnings)
{
  for (const Document& d : documents) {
    auto kind = document_kind(d.json);
    if (!kind) {
      return Error(kind.error().code(), kind.error().message(), d.source);
    }
    const Status added = *kind == DocumentKind::status ? add_status(d, hosts, warnings)
                                                       : add_scan_or_plan(d, *kind, hosts, warnings);
    if (!added) {
      return Error(added.error().code(), added.error().message(), d.source);
    }
  }
  return {};
}

// Totals, the keys and who uses them, and token names and ids seen on more than one host.
void tally_hosts(std::map<std::string, HostView>& hosts, std::map<std::string, KeyView>& keys, Fleet& fleet)
{
  std::map<std::string, std::set<std::string>> token_name_hosts;
  std::map<std::string, std::set<std::string>> token_id_hosts;
  Totals& t = fleet.totals;
  for (auto& [name, h] : hosts) {
    ++t.hosts;
    t.scanned += h.scanned ? 1U : 0U;
    t.planned += h.planned ? 1U : 0U;
    t.with_status += h.has_status ? 1U : 0U;
    t.global_key_usages += h.active_usages();
    t.commented_usages += h.commented_usages();
    t.references += h.references.size();
    t.hosts_using_global_key += h.active_usages() > 0 ? 1U : 0U;
    ++t.states[h.state()];
    const MigrationTotals done = h.migration_totals();
    t.tokens_created += done.tokens_created;
    t.tokens_live += done.tokens_live;
    t.files_changed += done.files_changed;
    t.files_restored += done.files_restored;
    t.failures += done.failures;
    t.rollbacks += done.rollbacks;
    for (const auto& m : h.migrations) {
      for (const auto& id : m.token_ids) {
        token_id_hosts[id].insert(name);
      }
    }
    // Token names: the plan's (pending) or the migrations' (applied), each expected to name its host.
    std::set<std::string> names(h.planned_token_names.begin(), h.planned_token_names.end());
    for (const auto& m : h.migrations) {
      names.insert(m.token_names.begin(), m.token_names.end());
    }
    for (const auto& token_name : names) {
      if (token_name.empty()) {
        continue;
      }
      token_name_hosts[token_name].insert(name);
      if (token_name.rfind("cfmigrate/" + name + "/", 0) != 0) {
        fleet.warnings.push_back("host " + name + ": token '" + token_name + "' is not named for this host");
      }
    }
    for (const auto& u : h.usages) {
      KeyView& k = keys[u.fingerprint];
      k.fingerprint = u.fingerprint;
      if (!u.email.empty()) {
        k.emails.insert(u.email);
      }
      auto it = std::find_if(k.hosts.begin(), k.hosts.end(), [&](const KeyHostUse& x) { return x.host == name; });
      if (it == k.hosts.end()) {
        k.hosts.push_back(KeyHostUse{name, {}, {}, 0, 0});
        it = std::prev(k.hosts.end());
      }
      it->programs.insert(u.program);
      it->paths.insert(u.path);
      ++(u.commented ? it->commented : it->active);
    }
    for (const auto& fingerprint : h.plan_key_fingerprints) {
      KeyView& k = keys[fingerprint];
      k.fingerprint = fingerprint;
      k.planned_hosts.insert(name);
    }
  }
  for (const auto& [token_name, on] : token_name_hosts) {
    if (on.size() > 1) {
      fleet.warnings.push_back("token name '" + token_name + "' is used on several hosts (" + join(on) +
                               "): each host must get its own tokens");
    }
  }
  for (const auto& [id, on] : token_id_hosts) {
    if (on.size() > 1) {
      fleet.warnings.push_back("token " + id + " is shared by several hosts (" + join(on) +
                               "): a leak on one of them could not be revoked alone");
    }
  }

}

// The verdict. Blockers that concern every key first, then each key's users.
void decide_verdict(const std::map<std::string, HostView>& hosts, std::map<std::string, KeyView>& keys, Fleet& fleet)
{
  std::vector<std::string> global_blockers;
  for (const auto& [name, h] : hosts) {
    if (!h.scanned) {
      global_blockers.push_back("host " + name + ": no scan report, so its use of the Global key is unknown");
    }
    for (const auto& m : h.migrations) {
      if (blocking(m.state)) {
        global_blockers.push_back("host " + name + ": migration " + m.plan_id + " is " + m.state +
                                  (m.state == "failed" ? " (roll it back or resume it)" : " (still running, or interrupted)"));
      }
      if (m.files_conflict > 0) {
        fleet.notes.push_back("host " + name + ": migration " + m.plan_id + " left " + std::to_string(m.files_conflict) +
                              " file(s) in conflict after rollback");
      }
    }
    if (h.scanned) {
      for (const auto& r : h.references) {
        fleet.notes.push_back("host " + name + ": " + r.path + ":" + std::to_string(r.line) + " (" + r.program +
                              ") reads a credential from elsewhere; make sure that is not the Global key");
      }
      if (h.commented_usages() > 0) {
        fleet.notes.push_back("host " + name + ": " + std::to_string(h.commented_usages()) +
                              " commented-out Global key(s) remain on disk; harmless once the key is rolled, but remove them");
      }
    }
    if (!h.migrations.empty() && h.migrations.back().state == "applied") {
      fleet.notes.push_back("host " + name + ": migration " + h.migrations.back().plan_id +
                            " is applied but not finalized: its backups still hold the Global key, and a rollback "
                            "after the key is rolled would restore a dead key");
    }
  }
  fleet.blockers = global_blockers;
  for (auto& [fingerprint, k] : keys) {
    std::sort(k.hosts.begin(), k.hosts.end(), [](const KeyHostUse& a, const KeyHostUse& b) { return a.host < b.host; });
    std::size_t blocked_before = fleet.blockers.size();
    for (const auto& use : k.hosts) {
      if (use.active > 0) {
        fleet.blockers.push_back("host " + use.host + " still uses " + fingerprint + " (" + join(use.programs) + ")");
      }
    }
    k.can_roll = global_blockers.empty() && fleet.blockers.size() == blocked_before;
    fleet.keys.push_back(k);
  }
  fleet.can_roll = fleet.blockers.empty();
}

} // namespace

Result<Fleet> build_fleet(const std::vector<Document>& documents)
{
  if (documents.empty()) {
    return make_error(ErrorCode::invalid_argument, "no documents given");
  }
  Fleet fleet;
  std::map<std::string, HostView> hosts;
  CFM_TRY_STATUS(collect_documents(documents, hosts, fleet.warnings));
  std::map<std::string, KeyView> keys;
  tally_hosts(hosts, keys, fleet);
  decide_verdict(hosts, keys, fleet);
  for (auto& [name, h] : hosts) {
    fleet.hosts.push_back(std::move(h));
  }
  return fleet;
}

json::value to_json(const Fleet& fleet)
{
  json::object o;
  o["format"] = k_fleet_format;
  o["can_roll_global_key"] = fleet.can_roll;
  o["blockers"] = strings(fleet.blockers);
  o["notes"] = strings(fleet.notes);
  o["warnings"] = strings(fleet.warnings);
  const Totals& t = fleet.totals;
  json::object states;
  for (const auto& [state, n] : t.states) {
    states[state] = n;
  }
  o["totals"] = json::object{{"hosts", t.hosts},
                             {"scanned", t.scanned},
                             {"planned", t.planned},
                             {"with_status", t.with_status},
                             {"hosts_using_global_key", t.hosts_using_global_key},
                             {"global_key_usages", t.global_key_usages},
                             {"commented_usages", t.commented_usages},
                             {"references", t.references},
                             {"tokens_created", t.tokens_created},
                             {"tokens_live", t.tokens_live},
                             {"files_changed", t.files_changed},
                             {"files_restored", t.files_restored},
                             {"failures", t.failures},
                             {"rollbacks", t.rollbacks},
                             {"states", std::move(states)}};
  json::array keys;
  for (const auto& k : fleet.keys) {
    json::array hosts;
    for (const auto& h : k.hosts) {
      hosts.push_back(json::object{{"host", h.host},
                                   {"programs", strings(h.programs)},
                                   {"paths", strings(h.paths)},
                                   {"active", h.active},
                                   {"commented", h.commented}});
    }
    keys.push_back(json::object{{"fingerprint", k.fingerprint},
                                {"emails", strings(k.emails)},
                                {"hosts_using", k.hosts_using()},
                                {"hosts", std::move(hosts)},
                                {"planned_hosts", strings(k.planned_hosts)},
                                {"can_roll", k.can_roll}});
  }
  o["keys"] = std::move(keys);
  json::array hosts;
  for (const auto& h : fleet.hosts) {
    const MigrationTotals done = h.migration_totals();
    json::array failures;
    json::array migrations;
    for (const auto& m : h.migrations) {
      for (const auto& [step, message] : m.failures) {
        failures.push_back(json::object{{"plan_id", m.plan_id}, {"step", step}, {"message", message}});
      }
      migrations.push_back(json::object{{"plan_id", m.plan_id},
                                        {"created", m.created},
                                        {"state", m.state},
                                        {"tokens_created", m.tokens_created},
                                        {"tokens_live", m.tokens_live},
                                        {"files_changed", m.files_changed},
                                        {"files_restored", m.files_restored},
                                        {"files_conflict", m.files_conflict},
                                        {"rollbacks", m.rollbacks}});
    }
    std::map<std::string, std::size_t> program_uses;
    for (const auto& u : h.usages) {
      if (!u.commented) {
        ++program_uses[u.program];
      }
    }
    json::object programs;
    for (const auto& [program, n] : program_uses) {
      programs[program] = n;
    }
    json::object plan = h.planned ? json::object{{"plan_id", h.plan_id},
                                                  {"tokens", h.planned_tokens},
                                                  {"files", h.planned_files},
                                                  {"manual", h.manual_items},
                                                  {"applied", h.plan_applied()}}
                                   : json::object{};
    hosts.push_back(json::object{{"host", h.host},
                                 {"state", h.state()},
                                 {"scanned", h.scanned},
                                 {"global_key_usages", h.active_usages()},
                                 {"commented_usages", h.commented_usages()},
                                 {"programs_using_global_key", std::move(programs)},
                                 {"references", h.references.size()},
                                 {"scoped_tokens_on_disk", h.scoped_tokens},
                                 {"plan", h.planned ? json::value(std::move(plan)) : json::value(nullptr)},
                                 {"tokens_created", done.tokens_created},
                                 {"tokens_live", done.tokens_live},
                                 {"files_changed", done.files_changed},
                                 {"files_restored", done.files_restored},
                                 {"failures", std::move(failures)},
                                 {"rollbacks", done.rollbacks},
                                 {"migrations", std::move(migrations)}});
  }
  o["hosts"] = std::move(hosts);
  return o;
}

} // namespace cfmigrate::fleet
