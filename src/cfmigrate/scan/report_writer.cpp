#include <cfmigrate/scan/report_writer.hpp>

#include <cfmigrate/util/base64.hpp>
#include <cfmigrate/util/display_text.hpp>

#include <boost/json.hpp>

#include <map>
#include <ostream>
#include <set>

namespace cfmigrate::scan {

namespace json = boost::json;

namespace {

// A path as JSON can hold it: "path" is always valid UTF-8 (for display); a name that is not
// UTF-8 also gets "path_bytes", its exact bytes in base64 (plan --from-scan reads it back).
void put_path(json::object& o, std::string_view path)
{
  o["path"] = utf8_display(path);
  if (!is_valid_utf8(path)) {
    o["path_bytes"] = base64_encode(path);
  }
}

// Other text from the scanned files (setting names, references, e-mails) may be any bytes too.
json::value text_json(std::string_view text)
{
  return json::value(utf8_display(text));
}

json::object span_json(const Span& span)
{
  return json::object{{"offset", span.offset}, {"length", span.length}};
}

json::object setting_spans(const Setting& s)
{
  json::object spans;
  spans["value"] = span_json(s.value_span);
  spans["line"] = span_json(s.line_span);
  if (s.name_span.length != 0) {
    spans["name"] = span_json(s.name_span);
  }
  return spans;
}

json::value finding_json(const Finding& f)
{
  json::object o;
  put_path(o, f.path);
  o["line"] = f.setting.line;
  o["column"] = f.setting.column;
  o["program"] = f.program;
  o["credential"] = to_string(f.credential);
  o["state"] = to_string(f.setting.state);
  o["fingerprint"] = f.fingerprint.empty() ? json::value(nullptr) : json::value(f.fingerprint);
  o["email"] = f.email ? text_json(*f.email) : json::value(nullptr);
  o["encoding"] = to_string(f.encoding);
  o["name"] = text_json(f.setting.name);
  o["syntax"] = to_string(f.setting.syntax);
  o["section"] = text_json(f.setting.section);
  o["quote"] = f.setting.quote == 0 ? std::string() : std::string(1, f.setting.quote);
  o["reference"] = f.reference.empty() ? json::value(nullptr) : text_json(f.reference);
  o["spans"] = setting_spans(f.setting);
  if (f.email_setting) {
    json::object e;
    e["name"] = text_json(f.email_setting->name);
    e["line"] = f.email_setting->line;
    e["column"] = f.email_setting->column;
    e["state"] = to_string(f.email_setting->state);
    e["spans"] = setting_spans(*f.email_setting);
    o["email_setting"] = std::move(e);
  } else {
    o["email_setting"] = nullptr;
  }
  return o;
}

std::string human_bytes(std::size_t bytes)
{
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1024.0 && u < 4) {
    v /= 1024.0;
    ++u;
  }
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, u == 0 ? "%.0f %s" : "%.1f %s", v, units[u]);
  return buffer;
}

// Paths and values come from the scanned files: escaped so a name cannot drive the terminal.
std::string where(const Finding& f)
{
  return escape_for_terminal(f.path) + ":" + std::to_string(f.setting.line);
}

} // namespace

void write_human(std::ostream& out, const ScanReport& report, const ReportContext& context)
{
  // Group Global keys by fingerprint.
  std::map<std::string, std::vector<const Finding*>> keys;
  std::vector<const Finding*> tokens;
  std::vector<const Finding*> references;
  std::vector<const Finding*> origin;
  for (const auto& f : report.findings) {
    switch (f.credential) {
    case Credential::global_key: keys[f.fingerprint].push_back(&f); break;
    case Credential::scoped_token: tokens.push_back(&f); break;
    case Credential::reference: references.push_back(&f); break;
    case Credential::origin_ca_key: origin.push_back(&f); break;
    }
  }
  out << "cfmigrate scan of " << escape_for_terminal(context.host) << " (root " << escape_for_terminal(report.root) << ")\n\n";
  if (keys.empty()) {
    out << "No Global API Key found.\n";
  }
  for (const auto& [fingerprint, uses] : keys) {
    std::set<std::string> emails;
    std::set<std::string> programs;
    for (const Finding* f : uses) {
      if (f->email) {
        emails.insert(*f->email);
      }
      programs.insert(f->program);
    }
    out << "Global API Key " << fingerprint;
    std::string email_list;
    for (const auto& e : emails) {
      email_list += (email_list.empty() ? "" : ", ") + e;
    }
    out << "  e-mail: " << (email_list.empty() ? "(not found)" : escape_for_terminal(email_list)) << "\n";
    std::string program_list;
    for (const auto& p : programs) {
      program_list += (program_list.empty() ? "" : ", ") + p;
    }
    out << "  programs: " << escape_for_terminal(program_list) << "\n";
    for (const Finding* f : uses) {
      out << "  " << where(*f) << "  " << escape_for_terminal(f->program) << "  " << escape_for_terminal(f->setting.name);
      if (f->setting.state == State::commented) {
        out << "  (commented out: still a live key on disk)";
      }
      if (f->encoding == Encoding::base64) {
        out << "  (base64)";
      }
      out << "\n";
    }
    out << "\n";
  }
  if (!references.empty()) {
    out << "References (the key's value is configured elsewhere):\n";
    for (const Finding* f : references) {
      out << "  " << where(*f) << "  " << escape_for_terminal(f->program) << "  " << escape_for_terminal(f->setting.name) << " <- "
          << escape_for_terminal(f->reference);
      if (f->email) {
        out << "  e-mail " << escape_for_terminal(*f->email);
      }
      out << "\n";
    }
    out << "\n";
  }
  if (!tokens.empty()) {
    out << "Already-scoped API tokens (nothing to migrate):\n";
    for (const Finding* f : tokens) {
      out << "  " << where(*f) << "  " << escape_for_terminal(f->program) << "  " << escape_for_terminal(f->setting.name) << "  "
          << f->fingerprint << "\n";
    }
    out << "\n";
  }
  if (!origin.empty()) {
    out << "Origin CA keys (a separate credential, not migrated):\n";
    for (const Finding* f : origin) {
      out << "  " << where(*f) << "  " << escape_for_terminal(f->setting.name) << "  " << f->fingerprint << "\n";
    }
    out << "\n";
  }
  if (!report.problems.empty()) {
    out << "Could not read " << report.problems.size() << " path(s):\n";
    for (const auto& p : report.problems) {
      out << "  " << escape_for_terminal(p.path) << ": " << escape_for_terminal(p.message) << "\n";
    }
    out << "\n";
  }
  out << "Scanned " << report.files_scanned << " files (" << human_bytes(report.bytes_scanned) << ") in "
      << report.directories << " directories: " << report.global_keys() << " Global key usage(s) of " << keys.size()
      << " distinct key(s).\n";
  out << "Skipped: " << report.skipped_binary << " binary, " << report.skipped_too_large << " too large, "
      << report.skipped_symlinks << " symlinks, " << report.skipped_other_filesystem << " on other filesystems, "
      << report.skipped_excluded << " excluded, " << report.skipped_heavy_dirs << " heavy directories, "
      << report.skipped_special << " special files; " << report.placeholders << " placeholder value(s) ignored.\n";
}

json::value to_json(const ScanReport& report, const ReportContext& context)
{
  json::object o;
  o["format"] = "cfmigrate.scan/1";
  o["tool_version"] = context.tool_version;
  o["host"] = utf8_display(context.host);
  o["root"] = utf8_display(report.root);
  json::array paths;
  for (const auto& p : report.paths) {
    paths.emplace_back(utf8_display(p));
  }
  o["paths"] = std::move(paths);
  json::object skipped{{"binary", report.skipped_binary},
                       {"too_large", report.skipped_too_large},
                       {"symlinks", report.skipped_symlinks},
                       {"other_filesystem", report.skipped_other_filesystem},
                       {"excluded", report.skipped_excluded},
                       {"heavy_directories", report.skipped_heavy_dirs},
                       {"special", report.skipped_special}};
  std::set<std::string> distinct;
  for (const auto& f : report.findings) {
    if (f.credential == Credential::global_key) {
      distinct.insert(f.fingerprint);
    }
  }
  o["summary"] = json::object{{"files_scanned", report.files_scanned},
                              {"bytes_scanned", report.bytes_scanned},
                              {"directories", report.directories},
                              {"findings", report.findings.size()},
                              {"global_keys", report.global_keys()},
                              {"distinct_global_keys", distinct.size()},
                              {"placeholders_ignored", report.placeholders},
                              {"unreadable", report.problems.size()},
                              {"skipped", std::move(skipped)}};
  json::array findings;
  for (const auto& f : report.findings) {
    findings.push_back(finding_json(f));
  }
  o["findings"] = std::move(findings);
  json::array problems;
  for (const auto& p : report.problems) {
    json::object problem;
    put_path(problem, p.path);
    problem["message"] = utf8_display(p.message);
    problems.push_back(std::move(problem));
  }
  o["problems"] = std::move(problems);
  return o;
}

json::value to_sarif(const ScanReport& report, const ReportContext& context)
{
  struct Rule {
    const char* id;
    const char* text;
  };
  static const Rule k_rules[] = {
    {"cfmigrate/global-api-key", "Cloudflare Global API Key in a configuration file"},
    {"cfmigrate/global-api-key-reference", "Configuration takes a Cloudflare Global API Key from elsewhere"},
    {"cfmigrate/api-token", "Cloudflare API token (already scoped)"},
    {"cfmigrate/origin-ca-key", "Cloudflare Origin CA key"},
  };
  json::array rules;
  for (const auto& r : k_rules) {
    rules.push_back(json::object{{"id", r.id}, {"shortDescription", json::object{{"text", r.text}}}});
  }
  json::array results;
  for (const auto& f : report.findings) {
    const char* rule = k_rules[0].id;
    const char* level = f.setting.state == State::active ? "error" : "warning";
    std::string text;
    switch (f.credential) {
    case Credential::global_key:
      text = "Cloudflare Global API Key " + f.fingerprint + " used by " + f.program + " (" + f.setting.name + ")";
      break;
    case Credential::reference:
      rule = k_rules[1].id;
      level = "note";
      text = f.program + " takes its Global API Key from " + f.reference;
      break;
    case Credential::scoped_token:
      rule = k_rules[2].id;
      level = "note";
      text = "Cloudflare API token " + f.fingerprint + " (" + f.setting.name + ")";
      break;
    case Credential::origin_ca_key:
      rule = k_rules[3].id;
      level = "note";
      text = "Cloudflare Origin CA key " + f.fingerprint;
      break;
    }
    if (f.setting.state == State::commented) {
      text += "; commented out, still a live credential on disk";
    }
    const std::string uri = utf8_display(f.path.starts_with('/') ? f.path.substr(1) : f.path);
    json::object region{{"startLine", f.setting.line}, {"startColumn", f.setting.column}};
    json::object artifact{{"uri", uri}, {"uriBaseId", "ROOT"}};
    if (!is_valid_utf8(f.path)) {
      artifact["properties"] = json::object{{"path_bytes", base64_encode(f.path)}};
    }
    json::object location{{"physicalLocation", json::object{{"artifactLocation", std::move(artifact)}, {"region", std::move(region)}}}};
    json::object result{{"ruleId", rule}, {"level", level}, {"message", json::object{{"text", utf8_display(text)}}},
                        {"locations", json::array{std::move(location)}}};
    if (!f.fingerprint.empty()) {
      result["partialFingerprints"] = json::object{{"cfmigrate/credential", f.fingerprint}};
    }
    results.push_back(std::move(result));
  }
  json::object driver{{"name", "cfmigrate"}, {"version", context.tool_version}, {"rules", std::move(rules)}};
  json::object run{{"tool", json::object{{"driver", std::move(driver)}}},
                   {"originalUriBaseIds", json::object{{"ROOT", json::object{{"uri", "file://" + utf8_display(report.root) + (report.root == "/" ? "" : "/")}}}}},
                   {"results", std::move(results)}};
  return json::object{{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
                      {"version", "2.1.0"},
                      {"runs", json::array{std::move(run)}}};
}

} // namespace cfmigrate::scan
