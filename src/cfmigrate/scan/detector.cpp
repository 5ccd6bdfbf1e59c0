#include <cfmigrate/scan/detector.hpp>
#include <cfmigrate/util/text.hpp>

#include <cfmigrate/util/glob.hpp>
#include <cfmigrate/scan/settings_extractor.hpp>
#include <cfmigrate/scan/value_shape.hpp>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstring>
#include <optional>
#include <set>
#include <tuple>

namespace cfmigrate::scan {

namespace {

// Recipes below this priority are the catch-alls (generic-env, generic-script).
constexpr int k_generic_priority = 10;

bool contains_ci(std::string_view haystack_lower, std::string_view needle_lower)
{
  return haystack_lower.find(needle_lower) != std::string_view::npos;
}

bool is_alnum(char c)
{
  return std::isalnum(static_cast<unsigned char>(c)) != 0;
}

const std::set<std::string, std::less<>>& generic_key_words()
{
  // A setting whose name holds one of these, in a file that talks to Cloudflare, is a key slot.
  static const std::set<std::string, std::less<>> k_words = {"key", "token", "secret", "pass", "auth"};
  return k_words;
}

// File-level Cloudflare signals (scanners.md §7).
bool has_cloudflare_signal(std::string_view lower)
{
  return contains_ci(lower, "cloudflare") || contains_ci(lower, "x-auth-email") || contains_ci(lower, "x-auth-key")
         || contains_ci(lower, "cf_api") || contains_ci(lower, "cf_email") || contains_ci(lower, "cf_key");
}

// Per-file view of the recipes: which apply here, and name look-ups.
class FileMatcher {
public:
  // Path globs, signals and the lower-cased content are computed only when a setting's name makes
  // a recipe a candidate: most files scanned never need them.
  FileMatcher(const recipe::RecipeIndex& index, const std::string& path, std::string_view content)
    : m_index(index), m_path(path), m_content(content),
      m_path_match(index.recipes().size(), k_unknown), m_signal_match(index.recipes().size(), k_unknown)
  {
  }

  enum class Role { key, email, token };

  // Score of recipe r for a setting name (as written and lower-cased) in a role; 0 when r does not
  // claim it here.
  int score(std::size_t r, std::string_view name, std::string_view lower_name, Role role) const
  {
    const auto& recipe = m_index.recipes()[r];
    bool named = lists(r, name, lower_name, role) || (recipe.id == "generic-script" && dynamic(name, role));
    if (!named) {
      return 0;
    }
    if (recipe.detect.context == recipe::Context::required && !path_match(r) && !signal_match(r)) {
      return 0;
    }
    // A generic recipe's path (any .env, any unit file) says less than a specific recipe's signal.
    int path_bonus = recipe.priority < k_generic_priority ? 1 : 4;
    return 1 + (path_match(r) ? path_bonus : 0) + (signal_match(r) ? 2 : 0);
  }

  // The best recipe for a name in a role, or -1.
  int best(std::string_view name, Role role) const
  {
    std::string lower_name = to_lower(name);
    int best = -1;
    int best_score = 0;
    const auto& recipes = m_index.recipes();
    for (std::size_t r = 0; r < recipes.size(); ++r) {
      int s = score(r, name, lower_name, role);
      if (s == 0) {
        continue;
      }
      bool better = s > best_score
                    || (s == best_score && best >= 0
                        && (recipes[r].priority > recipes[static_cast<std::size_t>(best)].priority
                            || (recipes[r].priority == recipes[static_cast<std::size_t>(best)].priority
                                && recipes[r].id < recipes[static_cast<std::size_t>(best)].id)));
      if (better) {
        best = static_cast<int>(r);
        best_score = s;
      }
    }
    return best;
  }

  bool lists(std::size_t r, std::string_view name, Role role) const { return lists(r, name, to_lower(name), role); }

  bool lists(std::size_t r, std::string_view name, std::string_view lower_name, Role role) const
  {
    const auto& names = m_index.names(r);
    const auto& list = role == Role::key ? names.key : role == Role::email ? names.email : names.token;
    std::string_view probe = m_index.recipes()[r].detect.case_sensitive_names ? name : lower_name;
    return std::find(list.begin(), list.end(), probe) != list.end();
  }

  // Variables used as X-Auth-Key / X-Auth-Email header values in this file.
  void add_dynamic(std::string name, Role role) { (role == Role::key ? m_dynamic_keys : m_dynamic_emails).insert(std::move(name)); }
  bool dynamic(std::string_view name, Role role) const
  {
    const auto& set = role == Role::key ? m_dynamic_keys : m_dynamic_emails;
    return set.find(name) != set.end();
  }

  bool cloudflare_file() const
  {
    if (m_cloudflare == k_unknown) {
      m_cloudflare = has_cloudflare_signal(lower()) ? 1 : 0;
    }
    return m_cloudflare == 1;
  }

  // The file is part of a program's installation (a recipe's ignore_paths), not configuration.
  bool program_code() const
  {
    if (m_program_code == k_unknown) {
      const auto& recipes = m_index.recipes();
      m_program_code = std::any_of(recipes.begin(), recipes.end(), [&](const recipe::Recipe& r) {
        return std::any_of(r.detect.ignore_paths.begin(), r.detect.ignore_paths.end(),
                           [&](const std::string& g) { return glob_match(g, m_path); });
      }) ? 1 : 0;
    }
    return m_program_code == 1;
  }

private:
  static constexpr std::int8_t k_unknown = -1;

  const std::string& lower() const
  {
    if (!m_lower_ready) {
      m_lower = to_lower(m_content);
      m_lower_ready = true;
    }
    return m_lower;
  }

  bool path_match(std::size_t r) const
  {
    if (m_path_match[r] == k_unknown) {
      const auto& paths = m_index.recipes()[r].detect.paths;
      m_path_match[r] = std::any_of(paths.begin(), paths.end(), [&](const std::string& g) { return glob_match(g, m_path); }) ? 1 : 0;
    }
    return m_path_match[r] == 1;
  }

  bool signal_match(std::size_t r) const
  {
    if (m_signal_match[r] == k_unknown) {
      const auto& signals = m_index.recipes()[r].detect.signals;
      m_signal_match[r] = std::any_of(signals.begin(), signals.end(), [&](const std::string& sig) { return contains_ci(lower(), sig); }) ? 1 : 0;
    }
    return m_signal_match[r] == 1;
  }

  const recipe::RecipeIndex& m_index;
  const std::string& m_path;
  std::string_view m_content;
  mutable std::string m_lower;
  mutable bool m_lower_ready = false;
  mutable std::vector<std::int8_t> m_path_match;
  mutable std::vector<std::int8_t> m_signal_match;
  mutable std::int8_t m_cloudflare = k_unknown;
  mutable std::int8_t m_program_code = k_unknown;
  std::set<std::string, std::less<>> m_dynamic_keys;
  std::set<std::string, std::less<>> m_dynamic_emails;
};

bool name_has_key_word(std::string_view name)
{
  std::string lower = to_lower(name);
  return std::any_of(generic_key_words().begin(), generic_key_words().end(),
                     [&](const std::string& w) { return lower.find(w) != std::string::npos; });
}

bool is_header(const Setting& s, std::string_view which)
{
  return s.syntax == Syntax::header && to_lower(s.name) == which;
}

bool is_bare_identifier(std::string_view v)
{
  return !v.empty() && std::all_of(v.begin(), v.end(), [](char c) { return is_alnum(c) || c == '_'; })
         && std::isdigit(static_cast<unsigned char>(v.front())) == 0;
}

// The variable a header value points at: $VAR, ${VAR}, or a bare identifier (Python, Go, PHP).
std::optional<std::string> header_variable(std::string_view value)
{
  ValueShape shape = classify_value(value);
  if (shape.shape == Shape::reference && !shape.reference.empty()) {
    return shape.reference;
  }
  if (is_bare_identifier(value)) {
    return std::string(value);
  }
  return std::nullopt;
}

// An e-mail setting's value: the address (decoded when a Secret's data is base64), or nullopt
// for a reference; `usable` is false when the value is neither.
struct EmailValue {
  bool usable = false;
  std::optional<std::string> address;
};

EmailValue email_value(std::string_view raw)
{
  ValueShape shape = classify_value(raw);
  if (shape.shape == Shape::email) {
    return {true, std::string(raw)};
  }
  if (shape.shape == Shape::reference) {
    return {true, std::nullopt};
  }
  std::string decoded = decode_base64(raw, 8);
  while (!decoded.empty() && (decoded.back() == '\n' || decoded.back() == '\r')) {
    decoded.pop_back();
  }
  if (!decoded.empty() && classify_value(decoded).shape == Shape::email) {
    return {true, decoded};
  }
  return {};
}

// Whether the file has "x-auth-" in any case (every header setting's name starts with it).
bool contains_x_auth(std::string_view content)
{
  constexpr std::string_view k_word = "-auth-";
  for (std::size_t at = content.find('-'); at != std::string_view::npos; at = content.find('-', at + 1)) {
    if (at > 0 && ascii_lower(content[at - 1]) == 'x' && at + k_word.size() <= content.size()
        && std::equal(k_word.begin(), k_word.end(), content.begin() + static_cast<std::ptrdiff_t>(at),
                      [](char want, char have) { return want == ascii_lower(have); })) {
      return true;
    }
  }
  return false;
}

// Whether the passes below can use a setting with this value: one with a shape (a credential, a
// reference, an e-mail, a placeholder), or base64 that decodes to one (as pass 2 and email_value
// decode it). The others are not stored at all.
bool may_matter(std::string_view value)
{
  if (classify_value(value).shape != Shape::nothing) {
    return true;
  }
  if (value.size() < 8 || value.size() % 4 != 0) {
    return false;
  }
  std::string decoded = decode_base64(value, 8);
  while (!decoded.empty() && (decoded.back() == '\n' || decoded.back() == '\r')) {
    decoded.pop_back();
  }
  return !decoded.empty() && classify_value(decoded).shape != Shape::nothing;
}

// What the passes over one file share.
struct FileView {
  const recipe::RecipeIndex& index;
  const std::string& path;
  std::string_view content;
  const std::vector<Setting>& settings;
  FileMatcher& matcher;
  int generic_script = -1;  // the recipe header-only credentials fall back to, or -1

  std::string_view value_of(const Setting& s) const { return content.substr(s.value_span.offset, s.value_span.length); }
};

// The settings whose value can matter. `assigned` gets the names assigned anywhere in the file (a
// header's variable may be set by a line not kept); only needed, and only collected, when the
// file has an X-Auth header.
std::vector<Setting> relevant_settings(std::string_view content, std::set<std::string, std::less<>>& assigned)
{
  bool headers = contains_x_auth(content);
  return extract_settings(content, [&](std::string_view name, std::string_view value, Syntax syntax) {
    if (headers && syntax != Syntax::header && assigned.find(name) == assigned.end()) {
      assigned.emplace(name);
    }
    return syntax == Syntax::header || may_matter(value);
  });
}

// Pass 1: variables that feed X-Auth-Key / X-Auth-Email headers become key / e-mail names. Returns,
// per setting, whether it is a header whose variable is assigned in this file.
std::vector<bool> resolve_header_variables(const FileView& file, const std::set<std::string, std::less<>>& assigned)
{
  std::vector<bool> resolved_header(file.settings.size(), false);
  for (std::size_t i = 0; i < file.settings.size(); ++i) {
    const Setting& s = file.settings[i];
    if (s.syntax != Syntax::header) {
      continue;
    }
    if (auto var = header_variable(file.value_of(s))) {
      bool key = is_header(s, "x-auth-key");
      file.matcher.add_dynamic(*var, key ? FileMatcher::Role::key : FileMatcher::Role::email);
      resolved_header[i] = assigned.find(*var) != assigned.end();
    }
  }
  return resolved_header;
}

// A setting's value as classified: decoded when it is base64 of a credential.
struct ClassifiedValue {
  ValueShape shape;
  Encoding encoding = Encoding::plain;
  std::string decoded;  // the value to store when encoding is base64
};

ClassifiedValue classify_setting_value(std::string_view raw)
{
  ClassifiedValue out{classify_value(raw), Encoding::plain, {}};
  if (out.shape.shape != Shape::nothing || raw.size() < 48) {
    return out;
  }
  out.decoded = decode_base64(raw, 48);
  while (!out.decoded.empty() && (out.decoded.back() == '\n' || out.decoded.back() == '\r')) {
    out.decoded.pop_back();
  }
  if (!out.decoded.empty()) {
    ValueShape inner = classify_value(out.decoded);
    if (inner.shape != Shape::nothing && inner.shape != Shape::reference && inner.shape != Shape::email) {
      out.shape = inner;
      out.encoding = Encoding::base64;
    }
  }
  return out;
}

// Which recipes name a setting as a key or a token, and whether a Cloudflare file makes it a slot.
struct Slots {
  int key_recipe = -1;
  int token_recipe = -1;
  bool cloudflare = false;

  bool key() const { return key_recipe >= 0; }
  bool token() const { return token_recipe >= 0; }
  bool any() const { return key() || token() || cloudflare; }
  int program() const { return key() ? key_recipe : token() ? token_recipe : -1; }
};

Slots slots_of(const FileMatcher& matcher, const Setting& s)
{
  Slots slots;
  slots.key_recipe = matcher.best(s.name, FileMatcher::Role::key);
  slots.token_recipe = matcher.best(s.name, FileMatcher::Role::token);
  slots.cloudflare = matcher.cloudflare_file() && name_has_key_word(s.name);
  return slots;
}

// The credential a value of this shape is in these slots, if any.
std::optional<Credential> credential_of(Shape shape, const Slots& slots, bool resolved_header, const FileMatcher& matcher)
{
  switch (shape) {
  case Shape::new_global_key:
    return Credential::global_key;
  case Shape::legacy_hex:
    if (slots.any()) {
      return Credential::global_key;  // 37-45 hex is a Global key even in a token slot
    }
    break;
  case Shape::hex40:
    if (slots.key()) {
      return Credential::global_key;
    }
    if (slots.token()) {
      return Credential::scoped_token;
    }
    break;
  case Shape::new_token:
    return Credential::scoped_token;
  case Shape::legacy_token:
    if (slots.key() || slots.token()) {
      return Credential::scoped_token;
    }
    break;
  case Shape::origin_ca_key:
    if (slots.key() || slots.token() || matcher.cloudflare_file()) {
      return Credential::origin_ca_key;
    }
    break;
  case Shape::reference:
    // A reference in a key slot says where the key must live; headers resolved in this file
    // are covered by the assignment they point at.
    if (slots.key() && !resolved_header && !matcher.program_code()) {
      return Credential::reference;
    }
    break;
  default:
    break;
  }
  return std::nullopt;
}

// Pairs the e-mail from the same recipe's e-mail names (same section first, then nearest line).
void pair_email(const FileView& file, const Setting& s, int program, Finding& f)
{
  const Setting* best = nullptr;
  auto rank = [&](const Setting& e) {
    std::uint32_t distance = e.line > s.line ? e.line - s.line : s.line - e.line;
    return std::make_tuple(e.section == s.section ? 0 : 1, e.state == s.state ? 0 : 1, distance);
  };
  bool generic = program == file.generic_script;
  for (const auto& e : file.settings) {
    bool named = file.matcher.lists(static_cast<std::size_t>(program), e.name, FileMatcher::Role::email)
                 || (generic && file.matcher.dynamic(e.name, FileMatcher::Role::email))
                 || (generic && is_header(e, "x-auth-email"));
    if (!named) {
      continue;
    }
    if (!email_value(file.value_of(e)).usable) {
      continue;
    }
    if (best == nullptr || rank(e) < rank(*best)) {
      best = &e;
    }
  }
  if (best != nullptr) {
    f.email_setting = *best;
    f.email = email_value(file.value_of(*best)).address;
  }
}

Finding make_finding(const FileView& file, const Setting& s, int program, Credential credential,
                     const ClassifiedValue& value)
{
  Finding f;
  f.path = file.path;
  f.program = program >= 0 ? file.index.recipes()[static_cast<std::size_t>(program)].id : "unknown";
  f.credential = credential;
  f.encoding = value.encoding;
  f.setting = s;
  if (credential == Credential::reference) {
    f.reference = value.shape.reference;
    f.note = "value comes from " + value.shape.reference;
  } else {
    std::string_view stored = value.encoding == Encoding::base64 ? std::string_view(value.decoded) : file.value_of(s);
    f.value = Secret(stored);
    f.fingerprint = f.value.fingerprint();
  }
  if (program >= 0 && (credential == Credential::global_key || credential == Credential::reference)) {
    pair_email(file, s, program, f);
  }
  return f;
}

// Pass 2 for one setting: its finding, if its value is a credential where one belongs.
std::optional<Finding> detect_in_setting(const FileView& file, const Setting& s, bool resolved_header,
                                         DetectStats& stats)
{
  ClassifiedValue value = classify_setting_value(file.value_of(s));
  if (value.shape.shape == Shape::nothing || value.shape.shape == Shape::email) {
    return std::nullopt;
  }
  Slots slots = slots_of(file.matcher, s);
  if (value.shape.shape == Shape::placeholder) {
    // Counted only where a key or token belongs: "your title here" in a page is no placeholder
    // for a credential (and the prefilter may then skip files that only have such prose).
    if (slots.any()) {
      ++stats.placeholders;
    }
    return std::nullopt;
  }
  std::optional<Credential> credential = credential_of(value.shape.shape, slots, resolved_header, file.matcher);
  if (!credential) {
    return std::nullopt;
  }
  int program = slots.program();
  if (program < 0 && s.syntax == Syntax::header && file.generic_script >= 0) {
    program = file.generic_script;
  }
  return make_finding(file, s, program, *credential, value);
}

// A new-format Global key at `at` outside any setting: located by its line and comment state.
Finding bare_key_finding(const std::string& path, std::string_view content, std::size_t at)
{
  std::size_t line_start = content.rfind('\n', at);
  line_start = line_start == std::string_view::npos ? 0 : line_start + 1;
  std::size_t line_end = content.find('\n', at);
  std::size_t next = line_end == std::string_view::npos ? content.size() : line_end + 1;
  Finding f;
  f.path = path;
  f.program = "unknown";
  f.credential = Credential::global_key;
  f.setting.syntax = Syntax::bare;
  f.setting.value_span = {at, 52};
  f.setting.line_span = {line_start, next - line_start};
  f.setting.line = static_cast<std::uint32_t>(std::count(content.begin(), content.begin() + static_cast<std::ptrdiff_t>(at), '\n') + 1);
  f.setting.column = static_cast<std::uint32_t>(at - line_start + 1);
  std::string_view line = content.substr(line_start, at - line_start);
  std::size_t first = line.find_first_not_of(" \t");
  if (first != std::string_view::npos && (line[first] == '#' || line[first] == ';' || line.substr(first).starts_with("//"))) {
    f.setting.state = State::commented;
  }
  f.value = Secret(content.substr(at, 52));
  f.fingerprint = f.value.fingerprint();
  return f;
}

// Pass 3: new-format Global keys need no name; adds those not inside a setting already reported.
void add_bare_new_keys(const std::string& path, std::string_view content, std::vector<Finding>& findings)
{
  for (std::size_t at = content.find("cfk_"); at != std::string_view::npos; at = content.find("cfk_", at + 4)) {
    if (at > 0 && is_alnum(content[at - 1])) {
      continue;
    }
    if (at + 52 > content.size() || (at + 52 < content.size() && is_alnum(content[at + 52]))) {
      continue;
    }
    if (classify_value(content.substr(at, 52)).shape != Shape::new_global_key) {
      continue;
    }
    bool inside = std::any_of(findings.begin(), findings.end(), [&](const Finding& f) {
      return at >= f.setting.value_span.offset && at < f.setting.value_span.end();
    });
    if (!inside) {
      findings.push_back(bare_key_finding(path, content, at));
    }
  }
}

} // namespace

std::vector<Finding> detect(const recipe::RecipeIndex& index, const std::string& path, std::string_view content,
                            DetectStats& stats)
{
  std::set<std::string, std::less<>> assigned;
  std::vector<Setting> settings = relevant_settings(content, assigned);
  FileMatcher matcher(index, path, content);
  const FileView file{index, path, content, settings, matcher, index.find("generic-script")};
  std::vector<bool> resolved_header = resolve_header_variables(file, assigned);

  std::vector<Finding> findings;
  for (std::size_t i = 0; i < settings.size(); ++i) {
    if (std::optional<Finding> f = detect_in_setting(file, settings[i], resolved_header[i], stats)) {
      findings.push_back(std::move(*f));
    }
  }
  add_bare_new_keys(path, content, findings);
  std::sort(findings.begin(), findings.end(),
            [](const Finding& a, const Finding& b) { return a.setting.value_span.offset < b.setting.value_span.offset; });
  return findings;
}

} // namespace cfmigrate::scan
