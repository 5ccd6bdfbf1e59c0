#include <cfmigrate/plan/edit_builder.hpp>
#include <cfmigrate/util/text.hpp>

#include <cfmigrate/scan/value_shape.hpp>

#include <algorithm>
#include <cctype>

namespace cfmigrate::plan {

namespace {

using scan::Setting;
using scan::Syntax;

ReplacementPart literal(std::string text)
{
  return ReplacementPart{std::move(text), {}, false};
}

// Where the token's value goes, written as the key it replaces was (plain or base64).
ReplacementPart token(const std::string& key, scan::Encoding encoding)
{
  return ReplacementPart{{}, key, encoding == scan::Encoding::base64};
}

bool is_quote(char c)
{
  return c == '"' || c == '\'';
}

class Builder {
public:
  Builder(std::string_view content, const std::vector<Setting>& settings, const EditRequest& request)
    : m_content(content), m_settings(settings), m_request(request), m_finding(*request.finding),
      m_recipe(*request.recipe)
  {
  }

  EditOutcome run()
  {
    const Setting& key = m_finding.setting;
    if (key.state == scan::State::commented) {
      change(key.line_span.offset, key.line_span.length, {}, "delete the commented-out Global API Key (still a live key on disk)");
      return std::move(m_out);
    }
    if (key.syntax == Syntax::bare || key.name_span.length == 0) {
      problem("the key is not written as a setting; replace it by hand");
      return std::move(m_out);
    }
    std::vector<const Setting*> via_headers = headers_using(key.name);
    if (key.syntax == Syntax::header) {
      rewrite_literal_header(key);
      remove_paired_email_header();
    } else if (!via_headers.empty()) {
      change(key.value_span.offset, key.value_span.length, {token(m_request.token_key, scan::Encoding::plain)},
             "the variable now holds the API token");
      for (const Setting* header : via_headers) {
        rewrite_variable_header(*header);
      }
      remove_paired_email_header();
    } else {
      rewrite_setting(key);
      bool email_taken = set_extra_settings(key);
      if (m_recipe.migrate.remove_email && !email_taken && m_finding.email_setting
          && m_finding.email_setting->state == scan::State::active) {
        remove_setting(*m_finding.email_setting, "remove the e-mail: next to a token it switches the program back to key mode");
      }
    }
    return std::move(m_out);
  }

private:
  void change(std::size_t offset, std::size_t length, std::vector<ReplacementPart> parts, std::string reason)
  {
    m_out.changes.push_back(Change{offset, length, std::move(parts), std::move(reason)});
  }

  void problem(std::string text) { m_out.problems.push_back(std::move(text)); }

  std::string_view text(scan::Span span) const { return m_content.substr(span.offset, span.length); }

  // The line without its terminator, and the terminator itself.
  std::size_t line_text_end(const Setting& s) const
  {
    std::size_t end = s.line_span.end();
    if (end > s.line_span.offset && m_content[end - 1] == '\n') {
      --end;
      if (end > s.line_span.offset && m_content[end - 1] == '\r') {
        --end;
      }
    }
    return end;
  }

  std::string line_terminator(const Setting& s) const
  {
    std::string_view t = m_content.substr(line_text_end(s), s.line_span.end() - line_text_end(s));
    if (!t.empty()) {
      return std::string(t);
    }
    return m_content.find("\r\n") != std::string_view::npos ? "\r\n" : "\n";
  }

  // Header settings in the file whose value is the variable `name` ($name, ${name}, or name).
  std::vector<const Setting*> headers_using(const std::string& name) const
  {
    std::vector<const Setting*> out;
    for (const auto& s : m_settings) {
      if (s.syntax != Syntax::header || to_lower(s.name) != "x-auth-key") {
        continue;
      }
      std::string_view value = text(s.value_span);
      scan::ValueShape shape = scan::classify_value(value);
      if ((shape.shape == scan::Shape::reference && shape.reference == name) || value == name) {
        out.push_back(&s);
      }
    }
    return out;
  }

  // "X-Auth-Key: v" inside one string, versus 'X-Auth-Key': v (map entry) or ("X-Auth-Key", v).
  bool header_in_one_string(const Setting& h) const
  {
    std::size_t after_name = h.name_span.end();
    return after_name >= m_content.size() || !is_quote(m_content[after_name]);
  }

  void rewrite_literal_header(const Setting& h)
  {
    if (header_in_one_string(h)) {
      change(h.name_span.offset, h.value_span.offset - h.name_span.offset, {literal("Authorization: Bearer ")},
             "send the token as a Bearer header");
      change(h.value_span.offset, h.value_span.length, {token(m_request.token_key, scan::Encoding::plain)}, "the API token");
      return;
    }
    if (h.quote == 0) {
      problem("the X-Auth-Key header value is code, not a literal; change it to \"Bearer \" + token by hand");
      return;
    }
    change(h.name_span.offset, h.name_span.length, {literal("Authorization")}, "send the token as a Bearer header");
    change(h.value_span.offset, h.value_span.length, {literal("Bearer "), token(m_request.token_key, scan::Encoding::plain)},
           "the API token");
  }

  void rewrite_variable_header(const Setting& h)
  {
    if (header_in_one_string(h)) {
      change(h.name_span.offset, h.value_span.offset - h.name_span.offset, {literal("Authorization: Bearer ")},
             "send the token as a Bearer header");
      return;
    }
    problem("line " + std::to_string(h.line) + ": the X-Auth-Key header takes a variable in code; change it to "
            "Authorization: \"Bearer \" + the variable by hand");
  }

  // Removes `-H "X-Auth-Email: …"` (or a map entry) paired with the key.
  void remove_paired_email_header()
  {
    for (const auto& s : m_settings) {
      if (s.syntax != Syntax::header || to_lower(s.name) != "x-auth-email" || s.state != scan::State::active) {
        continue;
      }
      bool paired = m_finding.email_setting && (m_finding.email_setting->value_span == s.value_span);
      bool same_command = s.line + 3 >= m_finding.setting.line && s.line <= m_finding.setting.line + 3;
      if (!paired && !same_command && !header_feeds_key_command(s)) {
        continue;
      }
      remove_header(s);
    }
  }

  bool header_feeds_key_command(const Setting& email) const
  {
    for (const Setting* h : headers_using(m_finding.setting.name)) {
      if (email.line + 3 >= h->line && email.line <= h->line + 3) {
        return true;
      }
    }
    return false;
  }

  void remove_header(const Setting& h)
  {
    std::size_t line_start = h.line_span.offset;
    std::size_t line_end = line_text_end(h);
    std::size_t a = h.name_span.offset;
    std::size_t b = h.value_span.end();
    if (h.quote != 0 && b < line_end && m_content[b] == h.quote) {
      ++b;
    }
    if (header_in_one_string(h)) {
      // "-H "X-Auth-Email: v"": the string around it, then the option before it.
      if (a > line_start && is_quote(m_content[a - 1]) && b < line_end && m_content[b] == m_content[a - 1]) {
        --a;
        ++b;
      }
      std::size_t before = a;
      while (before > line_start && m_content[before - 1] == ' ') {
        --before;
      }
      for (std::string_view option : {std::string_view("-H"), std::string_view("--header")}) {
        if (before >= line_start + option.size() && m_content.substr(before - option.size(), option.size()) == option) {
          a = before - option.size();
          break;
        }
      }
    } else {
      // 'X-Auth-Email': v,   or   "X-Auth-Email" => v,
      if (a > line_start && is_quote(m_content[a - 1])) {
        --a;
      }
      if (b < line_end && m_content[b] == ',') {
        ++b;
      }
    }
    while (b < line_end && m_content[b] == ' ') {
      ++b;
    }
    std::string_view rest_before = m_content.substr(line_start, a - line_start);
    std::string_view rest_after = m_content.substr(b, line_end - b);
    auto blank = [](std::string_view s) {
      return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t' || c == '\\'; });
    };
    if (blank(rest_before) && blank(rest_after)) {
      change(h.line_span.offset, h.line_span.length, {}, "remove the X-Auth-Email header");
    } else {
      change(a, b - a, {}, "remove the X-Auth-Email header");
    }
  }

  void rewrite_setting(const Setting& key)
  {
    const std::string& target = m_recipe.migrate.token_setting_for(key.name);
    if (target.empty()) {
      problem("the recipe names no token setting");
      return;
    }
    if (target != key.name) {
      change(key.name_span.offset, key.name_span.length, {literal(target)}, "the token setting replaces the key setting");
    }
    change(key.value_span.offset, key.value_span.length, {token(m_request.token_key, m_finding.encoding)}, "the API token");
  }

  std::string extra_value(const recipe::ExtraSetting& extra)
  {
    if (extra.value == "account_id") {
      return m_request.account_id;
    }
    if (extra.value == "zone_id") {
      if (m_request.zone_ids.size() == 1) {
        return m_request.zone_ids.front();
      }
      problem(extra.name + " needs one zone id, but the token covers " + std::to_string(m_request.zone_ids.size())
              + " zones; set it by hand");
      return {};
    }
    return extra.value.substr(std::string_view("literal:").size());
  }

  const Setting* active_setting(const std::string& name) const
  {
    const Setting* best = nullptr;
    for (const auto& s : m_settings) {
      if (s.name == name && s.state == scan::State::active && s.syntax != Syntax::header) {
        if (best == nullptr || s.section == m_finding.setting.section) {
          best = &s;
        }
      }
    }
    return best;
  }

  // Returns true when an extra setting reused the e-mail's setting (ddclient: login=token).
  bool set_extra_settings(const Setting& key)
  {
    bool email_taken = false;
    for (const auto& extra : m_recipe.migrate.extra_settings_for(key.name)) {
      std::string value = extra_value(extra);
      if (value.empty()) {
        continue;
      }
      if (const Setting* existing = active_setting(extra.name)) {
        change(existing->value_span.offset, existing->value_span.length, {literal(value)}, "set " + extra.name);
        if (m_finding.email_setting && m_finding.email_setting->value_span == existing->value_span) {
          email_taken = true;
        }
        continue;
      }
      // A new line shaped like the key's own line: same indentation, prefix, separator and quotes.
      std::size_t text_end = line_text_end(key);
      std::string line;
      line += m_content.substr(key.line_span.offset, key.name_span.offset - key.line_span.offset);
      line += extra.name;
      line += m_content.substr(key.name_span.end(), key.value_span.offset - key.name_span.end());
      line += value;
      line += m_content.substr(key.value_span.end(), text_end - key.value_span.end());
      std::string terminator = line_terminator(key);
      bool key_line_terminated = text_end < key.line_span.end();
      std::vector<ReplacementPart> parts;
      if (key_line_terminated) {
        parts.push_back(literal(line + terminator));
      } else {
        parts.push_back(literal(terminator + line));
      }
      change(key.line_span.end(), 0, std::move(parts), "add " + extra.name + ", which the token form needs");
    }
    return email_taken;
  }

  // Deleting the last member of a JSON object or array must not leave the previous member's comma
  // in front of the closing brace: {"a": 1, "b": 2} without "b" is {"a": 1}.
  void drop_dangling_comma(scan::Span deleted_line, const std::string& reason)
  {
    std::size_t after = deleted_line.end();
    while (after < m_content.size() && std::isspace(static_cast<unsigned char>(m_content[after])) != 0) {
      ++after;
    }
    if (after >= m_content.size() || (m_content[after] != '}' && m_content[after] != ']')) {
      return;
    }
    std::size_t before = deleted_line.offset;
    while (before > 0 && std::isspace(static_cast<unsigned char>(m_content[before - 1])) != 0) {
      --before;
    }
    if (before > 0 && m_content[before - 1] == ',') {
      change(before - 1, 1, {}, reason + " (and the comma before it)");
    }
  }

  void remove_setting(const Setting& s, std::string reason)
  {
    bool shares_line = std::any_of(m_settings.begin(), m_settings.end(), [&](const Setting& t) {
      bool same_line = t.line_span == s.line_span && !(t.value_span == s.value_span);
      bool wraps = t.value_span.offset <= s.name_span.offset && t.value_span.end() >= s.value_span.end();
      return same_line && !wraps;
    });
    if (!shares_line) {
      change(s.line_span.offset, s.line_span.length, {}, reason);
      drop_dangling_comma(s.line_span, reason);
      return;
    }
    std::size_t line_start = s.line_span.offset;
    std::size_t line_end = line_text_end(s);
    std::size_t a = s.name_span.offset;
    std::size_t b = s.value_span.end();
    if (s.quote != 0 && b < line_end && m_content[b] == s.quote) {
      ++b;
    }
    if (a > line_start && is_quote(m_content[a - 1]) && b < line_end && m_content[b] == m_content[a - 1]) {
      --a;
      ++b;
    }
    if (b < line_end && m_content[b] == ' ') {
      ++b;
    } else if (a > line_start && m_content[a - 1] == ' ') {
      --a;
    }
    change(a, b - a, {}, std::move(reason));
  }

  std::string_view m_content;
  const std::vector<Setting>& m_settings;
  const EditRequest& m_request;
  const scan::Finding& m_finding;
  const recipe::Recipe& m_recipe;
  EditOutcome m_out;
};

} // namespace

EditOutcome build_edits(std::string_view content, const std::vector<scan::Setting>& settings, const EditRequest& request)
{
  return Builder(content, settings, request).run();
}

Result<std::vector<Change>> merge_changes(std::vector<Change> changes)
{
  std::stable_sort(changes.begin(), changes.end(), [](const Change& a, const Change& b) {
    return a.offset != b.offset ? a.offset < b.offset : a.length < b.length;
  });
  std::vector<Change> out;
  for (auto& c : changes) {
    if (!out.empty()) {
      const Change& last = out.back();
      bool same = last.offset == c.offset && last.length == c.length && last.replacement.size() == c.replacement.size()
                  && std::equal(last.replacement.begin(), last.replacement.end(), c.replacement.begin(),
                                [](const ReplacementPart& x, const ReplacementPart& y) {
                                  return x.text == y.text && x.token_key == y.token_key && x.base64 == y.base64;
                                });
      if (same) {
        continue;
      }
      // Deleting a whole line also covers smaller changes inside it.
      if (last.replacement.empty() && c.offset >= last.offset && c.offset + c.length <= last.offset + last.length
          && c.length > 0) {
        continue;
      }
      if (c.offset < last.offset + last.length) {
        return make_error(ErrorCode::conflict, "two changes overlap at byte " + std::to_string(c.offset));
      }
    }
    out.push_back(std::move(c));
  }
  return out;
}

std::string apply_changes(std::string_view content, const std::vector<Change>& changes,
                          const std::function<std::string(const std::string&, bool)>& render_token)
{
  std::string out;
  out.reserve(content.size() + 64);
  std::size_t at = 0;
  for (const auto& c : changes) {
    out.append(content.substr(at, c.offset - at));
    for (const auto& part : c.replacement) {
      out += part.token_key.empty() ? part.text : render_token(part.token_key, part.base64);
    }
    at = c.offset + c.length;
  }
  out.append(content.substr(at));
  return out;
}

} // namespace cfmigrate::plan
