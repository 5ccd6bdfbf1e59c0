#include <cfmigrate/plan/planner.hpp>

#include <cfmigrate/plan/scan_report_input.hpp>
#include <cfmigrate/util/file_content.hpp>

#include <cfmigrate/plan/api_call_inference.hpp>
#include <cfmigrate/plan/edit_builder.hpp>
#include <cfmigrate/plan/permission_names.hpp>
#include <cfmigrate/plan/zone_scope.hpp>
#include <cfmigrate/scan/settings_extractor.hpp>
#include <cfmigrate/util/glob.hpp>
#include <cfmigrate/util/real_path.hpp>
#include <cfmigrate/util/hex.hpp>
#include <cfmigrate/util/json_file.hpp>
#include <cfmigrate/util/rfc3339.hpp>
#include <cfmigrate/util/sha256.hpp>
#include <cfmigrate/util/version.hpp>

#include <boost/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace cfmigrate::plan {

namespace fs = std::filesystem;
using scan::Credential;
using scan::Finding;

namespace {

namespace json = boost::json;


std::string this_host()
{
  char buffer[256] = {};
  if (::gethostname(buffer, sizeof buffer - 1) != 0) {
    return "localhost";
  }
  return buffer;
}

// One key on disk (or the environment's credential) and what it can see on Cloudflare.
struct CreatorContext {
  CreatorCredential description;
  std::unique_ptr<cloudflare::Client> client;
  std::vector<cloudflare::Zone> zones;
  std::vector<cloudflare::PermissionGroup> groups;
  std::string problem;  // non-empty: this credential cannot plan (reason)
};

// A planned token in the making.
struct TokenDraft {
  std::string group_key;
  std::string program;
  std::string credential;
  std::string instance;  // path or program, for the short id
  std::set<std::string> zone_names;
  bool account_wide = false;
  std::vector<std::string> scope_reasons;
  std::vector<recipe::Permission> permissions;
  std::set<std::string> files;
  std::string key;  // "t1"
};

struct FileContext {
  std::string content;
  std::vector<scan::Setting> settings;
  std::vector<Finding> findings;
};

class Planner {
public:
  Planner(const recipe::RecipeIndex& index, const PlanOptions& options) : m_index(index), m_options(options) {}

  Result<PlanResult> run()
  {
    CFM_TRY_STATUS(collect_findings());
    Plan& plan = m_result.plan;
    plan.plan_id = format_rfc3339(std::chrono::system_clock::now()).substr(0, 10) + "-" + random_hex(6);
    plan.tool_version = tool_version();
    plan.host = m_options.host.empty() ? this_host() : m_options.host;
    plan.root = m_root;
    plan.created = format_rfc3339(std::chrono::system_clock::now());
    plan.api_base = m_options.client.api_base;

    for (auto& [path, file] : m_files) {
      for (const auto& f : file.findings) {
        if (auto mask = credential_mask(f)) {
          m_result.masks[path].push_back(std::move(*mask));
        }
      }
    }
    resolve_references();
    for (auto& [path, file] : m_files) {
      for (const auto& f : file.findings) {
        if (f.credential == Credential::global_key) {
          plan_key_finding(path, file, f);
        } else if (f.credential == Credential::reference) {
          plan_reference(path, file, f);
        }
      }
    }
    finish_tokens();
    build_file_edits();
    return std::move(m_result);
  }

private:
  // ---- inputs --------------------------------------------------------------------------------

  Status collect_findings()
  {
    std::error_code ec;
    fs::path root = fs::canonical(m_options.scan.root.empty() ? "/" : m_options.scan.root, ec);
    if (ec) {
      return make_error(ErrorCode::not_found, "cannot use root: " + ec.message(), m_options.scan.root);
    }
    m_root = root.string();
    std::set<std::string> paths;
    if (!m_options.from_scan.empty()) {
      CFM_TRY(paths, paths_in_scan_report(m_options.from_scan));
    } else {
      CFM_TRY(scan::ScanReport report, scan::run_scan(m_index, m_options.scan));
      for (const auto& f : report.findings) {
        paths.insert(f.path);
      }
    }
    for (const auto& path : paths) {
      FileContext file;
      auto content = read_file_content(real_path(m_root, path));
      if (!content) {
        warn("unreadable", path + " could not be read again; it is left out of the plan");
        continue;
      }
      file.content = std::move(*content);
      scan::DetectStats stats;
      file.findings = scan::detect(m_index, path, file.content, stats);
      file.settings = scan::extract_settings(file.content);
      m_files.emplace(path, std::move(file));
    }
    return {};
  }

  void warn(std::string code, std::string message)
  {
    m_result.plan.warnings.push_back(Warning{std::move(code), std::move(message)});
  }

  const recipe::Recipe* recipe_of(const std::string& program) const
  {
    int i = m_index.find(program);
    return i < 0 ? nullptr : &m_index.recipes()[static_cast<std::size_t>(i)];
  }

  void manual(const std::string& program, const Finding& f, std::string why, std::vector<std::string> steps = {})
  {
    ManualItem item;
    item.program = program;
    item.path = f.path;
    item.line = f.setting.line;
    item.why = std::move(why);
    item.steps = std::move(steps);
    if (const recipe::Recipe* r = recipe_of(program)) {
      for (const auto& p : r->migrate.permissions) {
        item.permissions.push_back(PermissionRef{{}, p.group, recipe::to_string(p.scope)});
      }
    }
    m_result.plan.manual.push_back(std::move(item));
  }

  // ---- credentials ---------------------------------------------------------------------------

  CreatorContext& creator_for(const Finding& key)
  {
    std::string fingerprint = m_options.credentials ? m_options.credentials->secret().fingerprint() : key.fingerprint;
    auto it = m_creators.find(fingerprint);
    if (it != m_creators.end()) {
      return it->second;
    }
    CreatorContext& c = m_creators[fingerprint];
    c.description.fingerprint = fingerprint;
    std::optional<cloudflare::Credentials> credentials;
    if (m_options.credentials) {
      credentials = m_options.credentials->clone();
      c.description.kind = credentials->is_bearer() ? "bootstrap_token" : "global_key";
      c.description.source = m_options.credentials_source;
    } else {
      c.description.kind = "global_key";
      c.description.source = key.path + ":" + std::to_string(key.setting.line);
      std::optional<std::string> email = email_for(key.fingerprint);
      if (!email) {
        c.problem = "no e-mail is paired with this key on disk; set CLOUDFLARE_EMAIL and CLOUDFLARE_API_KEY "
                    "(or CLOUDFLARE_API_TOKEN) in the environment and plan again";
        return c;
      }
      c.description.email = *email;
      credentials = cloudflare::Credentials(cloudflare::GlobalKey{*email, key.value.clone()});
    }
    auto client = cloudflare::Client::create(m_options.client, credentials->clone());
    if (!client) {
      c.problem = "cannot reach the Cloudflare API: " + client.error().message();
      return c;
    }
    c.client = std::move(*client);
    if (c.description.kind == "global_key") {
      auto user = c.client->get_user();
      if (!user) {
        c.problem = "Cloudflare did not accept this credential (" + user.error().message() + ")";
        return c;
      }
      c.description.user_id = user->id;
      if (c.description.email.empty()) {
        c.description.email = user->email;
      }
    }
    auto accounts = c.client->list_accounts();
    if (accounts && !accounts->empty()) {
      c.description.account_id = accounts->front().id;
      c.description.account_name = accounts->front().name;
      if (accounts->size() > 1) {
        warn("several_accounts", "the credential " + fingerprint + " sees " + std::to_string(accounts->size())
                                     + " accounts; account-wide scopes use the account owning each token's zones, else "
                                     + accounts->front().name);
      }
    }
    auto zones = c.client->list_zones();
    if (!zones) {
      c.problem = "cannot list zones with this credential (" + zones.error().message() + ")";
      return c;
    }
    c.zones = std::move(*zones);
    auto groups = c.client->list_permission_groups();
    if (!groups) {
      c.problem = "cannot list permission groups (" + groups.error().message() + ")";
      return c;
    }
    c.groups = std::move(*groups);
    m_result.plan.credentials.push_back(c.description);
    return c;
  }

  std::optional<std::string> email_for(const std::string& fingerprint) const
  {
    for (const auto& [path, file] : m_files) {
      for (const auto& f : file.findings) {
        if (f.fingerprint == fingerprint && f.email) {
          return f.email;
        }
      }
    }
    return std::nullopt;
  }

  // ---- references ----------------------------------------------------------------------------

  // A reference (compose `CF_API_KEY=${CF_API_KEY}`) whose variable is assigned a key in a file of
  // the same directory (.env) is planned together with it: the key finding takes the referencing
  // program, and both names change to the program's token setting.
  void resolve_references()
  {
    for (auto& [path, file] : m_files) {
      for (auto& f : file.findings) {
        if (f.credential != Credential::reference) {
          continue;
        }
        std::string dir = fs::path(path).parent_path().string();
        for (auto& [other_path, other] : m_files) {
          if (fs::path(other_path).parent_path().string() != dir) {
            continue;
          }
          for (auto& target : other.findings) {
            if (target.credential == Credential::global_key && target.setting.name == f.reference
                && target.setting.state == scan::State::active) {
              m_reference_targets[path + "#" + std::to_string(f.setting.value_span.offset)] = &target;
              m_referrers[&target].push_back(path);
              if (!target.email && f.email) {
                target.email = f.email;  // the e-mail sits next to the reference (compose) rather than the key (.env)
              }
              const recipe::Recipe* wanted = recipe_of(f.program);
              const recipe::Recipe* current = recipe_of(target.program);
              bool current_generic = current == nullptr || current->priority < 10 || current->migrate.mode == recipe::Mode::manual;
              if (wanted != nullptr && wanted->migrate.mode == recipe::Mode::in_place && current_generic) {
                target.program = f.program;
              }
            }
          }
        }
      }
    }
  }

  void plan_reference(const std::string& path, FileContext& file, const Finding& f)
  {
    auto it = m_reference_targets.find(path + "#" + std::to_string(f.setting.value_span.offset));
    const recipe::Recipe* r = recipe_of(f.program);
    if (it == m_reference_targets.end() || r == nullptr || r->migrate.mode != recipe::Mode::in_place) {
      std::string setting = r != nullptr ? r->migrate.token_setting_for(f.setting.name) : std::string();
      manual(f.program, f,
             "the key comes from " + f.reference + ", which is not in the scanned files",
             {"Create the token this plan would create for " + f.program + " and store it where " + f.reference
                  + " is defined" + (setting.empty() ? std::string() : ", under the name " + setting),
              "Remove the Global API Key (and its e-mail) from that place"});
      warn("unresolved_reference", f.path + ":" + std::to_string(f.setting.line) + " reads the key from " + f.reference);
      return;
    }
    const Finding& target = *it->second;
    const recipe::Recipe& target_recipe = *recipe_of(target.program);
    std::string new_name = r->migrate.token_setting_for(f.setting.name);
    std::string target_new_name = target_recipe.migrate.token_setting_for(target.setting.name);
    std::vector<Change> changes;
    if (!new_name.empty() && new_name != f.setting.name) {
      changes.push_back(Change{f.setting.name_span.offset, f.setting.name_span.length, {ReplacementPart{new_name, {}, false}},
                               "the token setting replaces the key setting"});
    }
    std::string_view value(file.content.data() + f.setting.value_span.offset, f.setting.value_span.length);
    std::size_t at = value.find(f.reference);
    if (at != std::string_view::npos && !target_new_name.empty() && target_new_name != f.reference) {
      changes.push_back(Change{f.setting.value_span.offset + at, f.reference.size(), {ReplacementPart{target_new_name, {}, false}},
                               "read the token from " + target_new_name});
    }
    if (r->migrate.remove_email && f.email_setting && f.email_setting->state == scan::State::active) {
      changes.push_back(Change{f.email_setting->line_span.offset, f.email_setting->line_span.length, {},
                               "remove the e-mail: next to a token it switches the program back to key mode"});
    }
    auto& list = m_changes[path];
    list.insert(list.end(), changes.begin(), changes.end());
    m_programs_changed.insert(f.program);
  }

  // ---- keys ----------------------------------------------------------------------------------

  void plan_key_finding(const std::string& path, FileContext& file, const Finding& f)
  {
    const recipe::Recipe* r = recipe_of(f.program);
    if (f.setting.state == scan::State::commented) {
      // A dormant key: remove it; no token needed.
      EditRequest request{&f, r, {}, {}, {}};
      if (r == nullptr) {
        static const recipe::Recipe k_none{};
        request.recipe = &k_none;
      }
      add_changes(path, f, build_edits(file.content, file.settings, request));
      return;
    }
    if (r == nullptr) {
      manual("unknown", f, "no recipe knows the program that reads this key",
             {"Find the program that uses this key, give it a scoped API token, and delete the key from this file"});
      return;
    }
    if (r->migrate.mode == recipe::Mode::manual) {
      manual(r->id, f, r->name + " cannot be migrated in place", r->migrate.manual_steps);
      return;
    }
    CreatorContext& creator = creator_for(f);
    if (!creator.problem.empty()) {
      manual(r->id, f, creator.problem);
      return;
    }
    // Permissions.
    std::vector<recipe::Permission> permissions = r->migrate.permissions;
    if (r->migrate.inference == recipe::Inference::api_calls) {
      Inference inferred = infer_permissions(find_api_calls(file.content));
      permissions.insert(permissions.end(), inferred.permissions.begin(), inferred.permissions.end());
      if (!inferred.unsupported.empty()) {
        manual(r->id, f, "the code calls " + inferred.unsupported.front().path + ", which no API token can call (Global key only)",
               {"Redesign those calls (e.g. account-level firewall access rules instead of user-level ones), then plan again"});
        return;
      }
    } else if (r->migrate.inference == recipe::Inference::resource_types) {
      append_resource_permissions(path, *r, permissions);
    }
    if (permissions.empty()) {
      manual(r->id, f, "cannot tell which permissions this configuration needs",
             {"Create a token with the permissions the program needs and put it in " + r->migrate.token_setting_for(f.setting.name)});
      return;
    }
    // Zones.
    TokenDraft scope;
    decide_zones(path, file, f, *r, creator, scope);
    // Group.
    std::string instance = m_options.group_by == GroupBy::file ? path : m_options.group_by == GroupBy::program ? r->id : "all";
    std::string group_key = f.fingerprint + "|" + (m_options.group_by == GroupBy::host ? std::string("host") : r->id) + "|" + instance;
    TokenDraft& draft = m_drafts[group_key];
    if (draft.key.empty()) {
      draft.key = "t" + std::to_string(m_drafts.size());
      draft.group_key = group_key;
      draft.program = m_options.group_by == GroupBy::host ? "all" : r->id;
      draft.credential = creator.description.fingerprint;
      draft.instance = instance;
    }
    draft.zone_names.insert(scope.zone_names.begin(), scope.zone_names.end());
    draft.account_wide = draft.account_wide || scope.account_wide;
    draft.scope_reasons.insert(draft.scope_reasons.end(), scope.scope_reasons.begin(), scope.scope_reasons.end());
    for (const auto& p : permissions) {
      bool known = std::any_of(draft.permissions.begin(), draft.permissions.end(),
                               [&](const recipe::Permission& q) { return q.group == p.group && q.scope == p.scope; });
      if (!known) {
        draft.permissions.push_back(p);
      }
    }
    draft.files.insert(path);
    m_programs_changed.insert(r->id);

    std::vector<std::string> zone_ids;
    for (const auto& name : scope.zone_names) {
      for (const auto& z : creator.zones) {
        if (z.name == name) {
          zone_ids.push_back(z.id);
        }
      }
    }
    EditRequest request{&f, r, draft.key, creator.description.account_id, zone_ids};
    add_changes(path, f, build_edits(file.content, file.settings, request));
  }

  void add_changes(const std::string& path, const Finding& f, EditOutcome outcome)
  {
    if (!outcome.problems.empty()) {
      for (auto& p : outcome.problems) {
        manual(f.program, f, p);
      }
    }
    auto& list = m_changes[path];
    list.insert(list.end(), outcome.changes.begin(), outcome.changes.end());
  }

  void append_resource_permissions(const std::string& path, const recipe::Recipe& r, std::vector<recipe::Permission>& out)
  {
    // Resource types declared in the Terraform files of the key's directory.
    static const std::regex k_resource(R"re(resource\s+"([a-z0-9_]+)")re");
    fs::path dir = fs::path(real_path(m_root, path)).parent_path();
    std::error_code ec;
    std::set<std::string> types;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      if (entry.path().extension() != ".tf") {
        continue;
      }
      auto content = read_file_content(entry.path().string());
      std::string text = content ? std::move(*content) : std::string();
      for (std::sregex_iterator it(text.begin(), text.end(), k_resource), end; it != end; ++it) {
        types.insert((*it)[1].str());
      }
    }
    for (const auto& type : types) {
      for (const auto& rp : r.migrate.resource_permissions) {
        if (rp.resource_type == type) {
          out.insert(out.end(), rp.permissions.begin(), rp.permissions.end());
        }
      }
    }
  }

  void decide_zones(const std::string& path, const FileContext& file, const Finding& f, const recipe::Recipe& r,
                    const CreatorContext& creator, TokenDraft& scope)
  {
    if (!m_options.zones.empty()) {
      for (const auto& name : m_options.zones) {
        if (std::any_of(creator.zones.begin(), creator.zones.end(), [&](const cloudflare::Zone& z) { return z.name == name; })) {
          scope.zone_names.insert(name);
        } else {
          warn("unknown_zone", "--zone " + name + " is not a zone this credential can see");
        }
      }
      scope.scope_reasons.push_back("zones given with --zone");
      return;
    }
    if (r.migrate.zone_scope == recipe::ZoneScope::account) {
      scope.account_wide = true;
      scope.scope_reasons.push_back(r.name + " works on all zones of the account");
      return;
    }
    std::string text = file.content;
    if (auto it = m_referrers.find(&f); it != m_referrers.end()) {
      for (const auto& referrer : it->second) {
        text += "\n" + m_files.at(referrer).content;  // compose file naming the routers of a .env key
      }
    }
    std::string dir = fs::path(path).parent_path().string();
    for (const auto& source : r.migrate.zone_sources) {
      text += related_text(source, path, dir);
    }
    // Hide the e-mail domain: an e-mail address is not a zone in use.
    for (const auto* z : zones_in(creator.zones, text)) {
      scope.zone_names.insert(z->name);
    }
    if (scope.zone_names.empty()) {
      scope.account_wide = true;
      scope.scope_reasons.push_back("no zone could be read from " + path + "; the token covers all zones of the account");
      warn("broad_scope", f.path + ":" + std::to_string(f.setting.line) + " (" + r.id
                              + "): no zone found in the configuration, so the token covers every zone of the account; "
                                "use --zone to narrow it");
    } else {
      scope.scope_reasons.push_back("zones named in the configuration");
    }
  }

  std::string related_text(const recipe::ZoneSource& source, const std::string& path, const std::string& dir) const
  {
    std::string out;
    for (std::string pattern : source.paths) {
      if (auto at = pattern.find("${dir}"); at != std::string::npos) {
        pattern.replace(at, 6, dir);
      }
      // Walk the directory that the pattern's fixed prefix names.
      std::string prefix = pattern.substr(0, pattern.find_first_of("*?"));
      prefix = prefix.substr(0, prefix.rfind('/') + 1);
      std::error_code ec;
      fs::recursive_directory_iterator it(real_path(m_root, prefix.empty() ? "/" : prefix), ec), end;
      std::size_t budget = 2000;
      for (; !ec && it != end && budget-- > 0; it.increment(ec)) {
        if (!it->is_regular_file(ec)) {
          continue;
        }
        std::string reported = prefix + fs::relative(it->path(), real_path(m_root, prefix), ec).generic_string();
        if (!glob_match(pattern, reported)) {
          continue;
        }
        auto content = read_file_content(it->path().string());
        bool ok = content.has_value();
        std::string text = ok ? std::move(*content) : std::string();
        std::string needle = source.contains;
        if (auto at = needle.find("${path}"); at != std::string::npos) {
          needle.replace(at, 7, path);
        }
        if (ok && (needle.empty() || text.find(needle) != std::string::npos)) {
          out += "\n" + reported + "\n" + text;
        }
      }
    }
    return out;
  }

  // ---- assembling ----------------------------------------------------------------------------

  void finish_tokens()
  {
    std::vector<TokenDraft*> drafts;
    for (auto& [key, d] : m_drafts) {
      drafts.push_back(&d);
    }
    std::sort(drafts.begin(), drafts.end(), [](const TokenDraft* a, const TokenDraft* b) {
      return std::stoi(a->key.substr(1)) < std::stoi(b->key.substr(1));
    });
    for (TokenDraft* d : drafts) {
      CreatorContext& creator = m_creators[d->credential];
      PlannedToken t;
      t.key = d->key;
      t.program = d->program;
      t.credential = d->credential;
      t.name = "cfmigrate/" + m_result.plan.host + "/" + d->program + "/" + sha256_hex(d->instance).substr(0, 8);
      t.account_wide = d->account_wide;
      std::string reasons;
      for (const auto& r : d->scope_reasons) {
        if (reasons.find(r) == std::string::npos) {
          reasons += (reasons.empty() ? "" : "; ") + r;
        }
      }
      t.scope_reason = reasons;
      if (!t.account_wide) {
        for (const auto& name : d->zone_names) {
          for (const auto& z : creator.zones) {
            if (z.name == name) {
              t.zones.push_back(z.name);
              t.zone_ids.push_back(z.id);
            }
          }
        }
      }
      t.allow_ips = m_options.allow_ips;
      t.expires_on = m_options.expires_on;
      t.files.assign(d->files.begin(), d->files.end());
      cloudflare::Policy zone_policy;
      cloudflare::Policy account_policy;
      cloudflare::Policy user_policy;
      for (const auto& p : d->permissions) {
        std::optional<PermissionRef> ref = resolve_permission(creator.groups, p);
        if (!ref) {
          warn("unknown_permission", "permission group '" + p.group + "' (" + recipe::to_string(p.scope)
                                         + ") is not offered by the API; token " + t.name + " is planned without it");
          continue;
        }
        t.permissions.push_back(*ref);
        cloudflare::Policy& policy = p.scope == recipe::PermissionScope::zone      ? zone_policy
                                     : p.scope == recipe::PermissionScope::account ? account_policy
                                                                                   : user_policy;
        policy.permission_group_ids.push_back(ref->id);
      }
      std::string account_key = "com.cloudflare.api.account." + creator.description.account_id;
      if (!zone_policy.permission_group_ids.empty()) {
        if (t.account_wide) {
          zone_policy.resources[account_key] = cloudflare::NestedResources{{"com.cloudflare.api.account.zone.*", "*"}};
        } else {
          for (const auto& id : t.zone_ids) {
            zone_policy.resources["com.cloudflare.api.account.zone." + id] = std::string("*");
          }
        }
        t.policies.push_back(std::move(zone_policy));
      }
      if (!account_policy.permission_group_ids.empty()) {
        account_policy.resources[account_key] = std::string("*");
        t.policies.push_back(std::move(account_policy));
      }
      if (!user_policy.permission_group_ids.empty()) {
        user_policy.resources["com.cloudflare.api.user." + creator.description.user_id] = std::string("*");
        t.policies.push_back(std::move(user_policy));
      }
      m_result.plan.tokens.push_back(std::move(t));
    }
    for (const auto& program : m_programs_changed) {
      if (const recipe::Recipe* r = recipe_of(program)) {
        for (const auto& step : r->migrate.reload) {
          m_result.plan.reload.push_back(program + ": " + step);
        }
      }
    }
  }

  void build_file_edits()
  {
    for (auto& [path, changes] : m_changes) {
      if (changes.empty()) {
        continue;
      }
      const FileContext& file = m_files.at(path);
      auto merged = merge_changes(std::move(changes));
      if (!merged) {
        ManualItem item;
        item.program = file.findings.empty() ? "unknown" : file.findings.front().program;
        item.path = path;
        item.why = "the planned changes to this file conflict (" + merged.error().message() + ")";
        item.steps = {"Edit the file by hand"};
        m_result.plan.manual.push_back(std::move(item));
        continue;
      }
      FileEdit edit;
      edit.path = path;
      edit.program = file.findings.empty() ? "unknown" : file.findings.front().program;
      edit.changes = std::move(*merged);
      FileState state;
      state.path = path;
      struct stat st{};
      std::string real = real_path(m_root, path);
      if (::stat(real.c_str(), &st) == 0) {
        state.size = static_cast<std::uint64_t>(st.st_size);
        state.mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000LL + st.st_mtim.tv_nsec;
        state.inode = static_cast<std::uint64_t>(st.st_ino);
        state.mode = static_cast<std::uint32_t>(st.st_mode & 07777);
        state.uid = st.st_uid;
        state.gid = st.st_gid;
      }
      state.sha256 = sha256_hex(file.content);
      m_result.plan.files.push_back(std::move(state));
      m_result.plan.edits.push_back(std::move(edit));
      m_result.contents[path] = file.content;
    }
  }

  const recipe::RecipeIndex& m_index;
  const PlanOptions& m_options;
  std::string m_root;
  std::map<std::string, FileContext> m_files;
  std::map<std::string, CreatorContext> m_creators;
  std::map<std::string, TokenDraft> m_drafts;
  std::map<std::string, std::vector<Change>> m_changes;
  std::map<std::string, const Finding*> m_reference_targets;
  std::map<const Finding*, std::vector<std::string>> m_referrers;  // key finding -> files that reference it
  std::set<std::string> m_programs_changed;
  PlanResult m_result;
};

} // namespace

Result<PlanResult> make_plan(const recipe::RecipeIndex& index, const PlanOptions& options)
{
  return Planner(index, options).run();
}

} // namespace cfmigrate::plan
