#include <cfmigrate/scan/settings_extractor.hpp>
#include <cfmigrate/util/text.hpp>

#include <algorithm>
#include <cctype>

namespace cfmigrate::scan {

namespace {

bool is_space(char c)
{
  return c == ' ' || c == '\t';
}

bool is_name_char(char c)
{
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-' || c == '.' || c == ':';
}

// `word` is lower-case ASCII.
bool iequals_at(std::string_view s, std::size_t at, std::string_view word)
{
  if (at + word.size() > s.size()) {
    return false;
  }
  for (std::size_t i = 0; i < word.size(); ++i) {
    if (ascii_lower(s[at + i]) != word[i]) {
      return false;
    }
  }
  return true;
}

struct LineContext {
  std::string_view content;  // whole file
  std::size_t line_start = 0;
  std::size_t line_end = 0;   // without terminator
  std::size_t next_line = 0;  // after terminator
  std::uint32_t line_number = 0;
  State state = State::active;
  const std::string* section = nullptr;
};

class Extractor {
public:
  Extractor(std::string_view content, const SettingFilter& keep) : m_content(content), m_keep(keep) {}

  std::vector<Setting> run()
  {
    std::size_t pos = 0;
    if (m_content.starts_with("\xEF\xBB\xBF")) {
      pos = 3;
    }
    std::uint32_t number = 0;
    while (pos < m_content.size()) {
      std::size_t end = m_content.find('\n', pos);
      std::size_t next = end == std::string_view::npos ? m_content.size() : end + 1;
      if (end == std::string_view::npos) {
        end = m_content.size();
      }
      std::size_t text_end = end;
      if (text_end > pos && m_content[text_end - 1] == '\r') {
        --text_end;
      }
      ++number;
      process_line(pos, text_end, next, number);
      pos = next;
    }
    return std::move(m_settings);
  }

private:
  void process_line(std::size_t start, std::size_t end, std::size_t next, std::uint32_t number)
  {
    std::string_view line = m_content.substr(start, end - start);
    std::size_t indent = 0;
    while (indent < line.size() && is_space(line[indent])) {
      ++indent;
    }
    std::string_view body = line.substr(indent);

    // Comment state: block comments first, then line comment leaders.
    State state = State::active;
    std::size_t skip = indent;
    if (m_in_block) {
      state = State::commented;
      std::size_t close = line.find(m_block_close);
      if (close != std::string_view::npos) {
        m_in_block = false;
      }
    } else if (body.starts_with("/*") || body.starts_with("<!--")) {
      state = State::commented;
      m_block_close = body.starts_with("/*") ? "*/" : "-->";
      skip += body.starts_with("/*") ? 2U : 4U;
      if (line.find(m_block_close, skip) == std::string_view::npos) {
        m_in_block = true;
      }
    } else if (body.starts_with("#") || body.starts_with(";") || body.starts_with("//")) {
      state = State::commented;
      skip += body.starts_with("//") ? 2U : 1U;
    } else {
      track_structure(line, indent, body);
    }
    if (body.empty()) {
      return;
    }

    LineContext ctx;
    ctx.content = m_content;
    ctx.line_start = start;
    ctx.line_end = end;
    ctx.next_line = next;
    ctx.line_number = number;
    ctx.state = state;
    ctx.section = &m_section;
    m_line.clear();
    extract_assignments(ctx, start + skip);
    extract_php_defines(ctx, start + skip);
    extract_xml_elements(ctx, start + skip);
    extract_header_calls(ctx, start + skip);
    extract_colon_record(ctx, start + skip);
    // Keep file order within the line and drop duplicates found by two rules.
    std::sort(m_line.begin(), m_line.end(),
              [](const Found& a, const Found& b) { return a.value.offset < b.value.offset; });
    auto last = std::unique(m_line.begin(), m_line.end(), [](const Found& a, const Found& b) { return a.value == b.value; });
    m_line.erase(last, m_line.end());
    for (Found& f : m_line) {
      name_kubernetes_env_value(f, number);
      if (!m_keep || m_keep(text(f.name), text(f.value), f.syntax)) {
        store(ctx, f);
      }
    }
  }

  // A setting found on the current line, before it is stored.
  struct Found {
    Span name;
    Span value;
    char quote = 0;
    Syntax syntax = Syntax::assignment;
  };

  std::string_view text(Span span) const { return m_content.substr(span.offset, span.length); }

  // Kubernetes and compose-style env lists write the name and the value on two lines:
  //   - name: CF_API_KEY
  //     value: "…"
  // The value setting takes the name it is given there (its name span points at that name).
  // Settings arrive in file order; `m_previous` is the one before, whether it was kept or not.
  void name_kubernetes_env_value(Found& f, std::uint32_t line)
  {
    const Previous p = m_previous;
    m_previous = {f.name, f.value, line, true};
    if (p.valid && text(f.name) == "value" && text(p.name) == "name" && line == p.line + 1 && p.value.length > 0) {
      f.name = p.value;
      m_previous.name = p.value;
    }
  }

  // INI "[section]" headers and YAML "key:" parents give settings their context.
  void track_structure(std::string_view line, std::size_t indent, std::string_view body)
  {
    if (body.starts_with("[") && body.find(']') != std::string_view::npos && body.find('=') == std::string_view::npos) {
      std::size_t close = body.find(']');
      m_section = std::string(body.substr(1, close - 1));
      m_yaml_stack.clear();
      m_ini = true;
      return;
    }
    if (m_ini) {
      return;
    }
    // YAML: pop parents at this indentation or deeper.
    bool popped = false;
    while (!m_yaml_stack.empty() && m_yaml_stack.back().first >= indent) {
      m_yaml_stack.pop_back();
      popped = true;
    }
    std::string_view rest = body;
    std::size_t item_indent = indent;
    if (rest.starts_with("- ")) {
      rest.remove_prefix(2);
      item_indent += 2;
    }
    std::size_t colon = rest.find(':');
    if (colon != std::string_view::npos && colon > 0) {
      std::string_view after = rest.substr(colon + 1);
      while (!after.empty() && is_space(after.front())) {
        after.remove_prefix(1);
      }
      std::string_view key = rest.substr(0, colon);
      bool plain_key = std::all_of(key.begin(), key.end(), [](char c) { return is_name_char(c) || c == '"' || c == '\''; });
      if (plain_key && (after.empty() || after.starts_with("#") || after == "|" || after == ">")) {
        std::string k(key);
        k.erase(std::remove(k.begin(), k.end(), '"'), k.end());
        k.erase(std::remove(k.begin(), k.end(), '\''), k.end());
        m_yaml_stack.emplace_back(item_indent == indent ? indent : indent, k);
      }
    }
    if (m_yaml_stack.size() != m_section_depth || popped) {
      m_section.clear();
      for (const auto& [level, key] : m_yaml_stack) {
        m_section += (m_section.empty() ? "" : ".") + key;
      }
      m_section_depth = m_yaml_stack.size();
    }
    (void)line;
  }

  // The name written just left of position `sep` (exclusive), skipping spaces and closing quotes
  // or brackets: `name =`, `"name":`, `'name' =>`, `$cfg['name'] =`, `export NAME=`.
  bool name_before(std::size_t line_start, std::size_t sep, Span& span) const
  {
    std::size_t i = sep;
    while (i > line_start && is_space(m_content[i - 1])) {
      --i;
    }
    if (i > line_start && m_content[i - 1] == ']') {
      --i;
    }
    char quote = 0;
    if (i > line_start && (m_content[i - 1] == '"' || m_content[i - 1] == '\'')) {
      quote = m_content[i - 1];
      --i;
    }
    std::size_t end = i;
    if (quote != 0) {
      while (i > line_start && m_content[i - 1] != quote) {
        --i;
      }
      if (i == line_start) {
        return false;
      }
    } else {
      while (i > line_start && is_name_char(m_content[i - 1])) {
        --i;
      }
      // ":" may be part of a name (certbot_dns_cloudflare:dns_cloudflare_api_key) but not lead it.
      while (i < end && m_content[i] == ':') {
        ++i;
      }
    }
    if (i == end) {
      return false;
    }
    span = {i, end - i};
    return true;
  }

  // The value starting at `pos`: quoted (to the matching quote) or bare (to a delimiter).
  bool value_at(std::size_t pos, std::size_t line_end, Span& span, char& quote) const
  {
    while (pos < line_end && is_space(m_content[pos])) {
      ++pos;
    }
    if (pos >= line_end) {
      span = {pos, 0};
      quote = 0;
      return true;
    }
    char c = m_content[pos];
    if (c == '"' || c == '\'' || c == '`') {
      std::size_t i = pos + 1;
      while (i < line_end && m_content[i] != c) {
        if (m_content[i] == '\\' && c != '\'') {
          ++i;
        }
        ++i;
      }
      quote = c;
      span = {pos + 1, std::min(i, line_end) - (pos + 1)};
      return true;
    }
    quote = 0;
    std::size_t i = pos;
    std::string_view rest = m_content.substr(pos, line_end - pos);
    if (rest.starts_with("${{") || rest.starts_with("{{")) {
      std::size_t close = rest.find("}}");
      i = close == std::string_view::npos ? line_end : pos + close + 2;
    } else if (rest.starts_with("${")) {
      std::size_t close = rest.find('}');
      i = close == std::string_view::npos ? line_end : pos + close + 1;
    } else {
      while (i < line_end) {
        char d = m_content[i];
        if (is_space(d) || d == '"' || d == '\'' || d == ',' || d == ';' || d == ')' || d == '}' || d == ']' || d == '<'
            || d == '&' || d == '|' || d == '\\' || d == '`') {
          break;
        }
        ++i;
      }
    }
    span = {pos, i - pos};
    return true;
  }

  void add(Span name, Span value, char quote, Syntax syntax)
  {
    if (iequals_at(text(name), 0, "x-auth-key") || iequals_at(text(name), 0, "x-auth-email")) {
      syntax = Syntax::header;
    }
    m_line.push_back({name, value, quote, syntax});
  }

  void store(const LineContext& ctx, const Found& f)
  {
    Setting s;
    s.name = std::string(text(f.name));
    s.name_span = f.name;
    s.value_span = f.value;
    s.line_span = {ctx.line_start, ctx.next_line - ctx.line_start};
    s.line = ctx.line_number;
    s.column = static_cast<std::uint32_t>(f.value.offset - ctx.line_start + 1);
    s.quote = f.quote;
    s.syntax = f.syntax;
    s.state = ctx.state;
    s.section = *ctx.section;
    m_settings.push_back(std::move(s));
  }

  void extract_assignments(const LineContext& ctx, std::size_t from)
  {
    for (std::size_t i = from; i < ctx.line_end; ++i) {
      char c = m_content[i];
      std::size_t sep_len = 0;
      if (c == '=') {
        char prev = i > ctx.line_start ? m_content[i - 1] : ' ';
        char next = i + 1 < ctx.line_end ? m_content[i + 1] : ' ';
        if (next == '>') {
          sep_len = 2;  // =>
        } else if (next == '=' || next == '~' || prev == '!' || prev == '<' || prev == '>' || prev == '=' || prev == '+') {
          continue;
        } else {
          sep_len = 1;
        }
        if (prev == ':') {
          // ":=" — the name ends before the colon.
          if (Span name; name_before(ctx.line_start, i - 1, name)) {
            take_value(ctx, name, i + 1);
          }
          continue;
        }
      } else if (c == ':') {
        char prev = i > ctx.line_start ? m_content[i - 1] : ' ';
        char next = i + 1 < ctx.line_end ? m_content[i + 1] : ' ';
        bool after_quote = prev == '"' || prev == '\'';
        bool before_value = is_space(next) || next == '"' || next == '\'' || i + 1 == ctx.line_end;
        if (next == ':' || prev == ':' || next == '=' || (!after_quote && !before_value)) {
          continue;
        }
        sep_len = 1;
      } else {
        continue;
      }
      Span name;
      if (!name_before(ctx.line_start, i, name)) {
        i += sep_len - 1;
        continue;
      }
      take_value(ctx, name, i + sep_len);
      i += sep_len - 1;
    }
  }

  void take_value(const LineContext& ctx, Span name, std::size_t value_pos)
  {
    Span value;
    char quote = 0;
    if (value_at(value_pos, ctx.line_end, value, quote)) {
      add(name, value, quote, Syntax::assignment);
    }
  }

  // define('NAME', 'value') and define("NAME", "value").
  void extract_php_defines(const LineContext& ctx, std::size_t from)
  {
    std::string_view line = m_content.substr(from, ctx.line_end - from);
    for (std::size_t at = 0; (at = find_word(line, "define", at)) != std::string_view::npos; at += 6) {
      std::size_t i = from + at + 6;
      auto skip = [&] {
        while (i < ctx.line_end && is_space(m_content[i])) {
          ++i;
        }
      };
      skip();
      if (i >= ctx.line_end || m_content[i] != '(') {
        continue;
      }
      ++i;
      skip();
      Span name;
      char name_quote = 0;
      if (!value_at(i, ctx.line_end, name, name_quote) || name_quote == 0) {
        continue;
      }
      i = name.end() + 1;
      skip();
      if (i >= ctx.line_end || m_content[i] != ',') {
        continue;
      }
      ++i;
      Span value;
      char quote = 0;
      if (value_at(i, ctx.line_end, value, quote)) {
        add(name, value, quote, Syntax::php_define);
      }
    }
  }

  // <name>value</name> on one line.
  void extract_xml_elements(const LineContext& ctx, std::size_t from)
  {
    std::string_view line = m_content.substr(from, ctx.line_end - from);
    for (std::size_t open = line.find('<'); open != std::string_view::npos; open = line.find('<', open + 1)) {
      std::size_t close = line.find('>', open);
      if (close == std::string_view::npos) {
        return;
      }
      std::string_view tag = line.substr(open + 1, close - open - 1);
      if (tag.empty() || !std::all_of(tag.begin(), tag.end(), is_name_char)) {
        continue;
      }
      std::string end_tag = "</" + std::string(tag) + ">";
      std::size_t end = line.find(end_tag, close + 1);
      if (end == std::string_view::npos) {
        continue;
      }
      Span name{from + open + 1, tag.size()};
      Span value{from + close + 1, end - close - 1};
      add(name, value, 0, Syntax::xml_element);
    }
  }

  // Header maps written as calls or pairs with a comma: Header.Set("X-Auth-Key", key).
  void extract_header_calls(const LineContext& ctx, std::size_t from)
  {
    std::string_view line = m_content.substr(from, ctx.line_end - from);
    for (std::string_view header : {std::string_view("x-auth-key"), std::string_view("x-auth-email")}) {
      for (std::size_t at = 0; at + header.size() <= line.size(); ++at) {
        // Every line of every file that reaches the detector comes here: test the first byte
        // before the whole word.
        if (ascii_lower(line[at]) != 'x' || !iequals_at(line, at, header)) {
          continue;
        }
        std::size_t i = from + at + header.size();
        if (i < ctx.line_end && (m_content[i] == '"' || m_content[i] == '\'')) {
          ++i;
        }
        while (i < ctx.line_end && is_space(m_content[i])) {
          ++i;
        }
        if (i >= ctx.line_end || m_content[i] != ',') {
          continue;
        }
        Span value;
        char quote = 0;
        if (value_at(i + 1, ctx.line_end, value, quote)) {
          add(Span{from + at, header.size()}, value, quote, Syntax::header);
        }
      }
    }
  }

  // Colon-separated records of upper-case field names and values, as CSF writes them:
  //   DOMAIN:example.com:USER:web:CFACCOUNT:a@example.com:CFAPIKEY:<key>
  void extract_colon_record(const LineContext& ctx, std::size_t from)
  {
    std::string_view line = m_content.substr(from, ctx.line_end - from);
    while (!line.empty() && is_space(line.front())) {
      line.remove_prefix(1);
      ++from;
    }
    // Two name:value pairs at least, so three colons: most lines have fewer.
    if (std::count(line.begin(), line.end(), ':') < 3) {
      return;
    }
    std::vector<Span> fields;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= line.size(); ++i) {
      if (i == line.size() || line[i] == ':') {
        fields.push_back({from + start, i - start});
        start = i + 1;
      }
    }
    if (fields.size() < 4 || fields.size() % 2 != 0) {
      return;
    }
    for (std::size_t f = 0; f < fields.size(); f += 2) {
      std::string_view name = m_content.substr(fields[f].offset, fields[f].length);
      bool upper = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
      });
      if (!upper) {
        return;
      }
    }
    for (std::size_t f = 0; f < fields.size(); f += 2) {
      add(fields[f], fields[f + 1], 0, Syntax::assignment);
    }
  }

  static std::size_t find_word(std::string_view s, std::string_view word, std::size_t from)
  {
    for (std::size_t at = s.find(word, from); at != std::string_view::npos; at = s.find(word, at + 1)) {
      bool left_ok = at == 0 || !is_name_char(s[at - 1]);
      if (left_ok) {
        return at;
      }
    }
    return std::string_view::npos;
  }

  struct Previous {
    Span name;
    Span value;
    std::uint32_t line = 0;
    bool valid = false;
  };

  std::string_view m_content;
  const SettingFilter& m_keep;
  std::vector<Setting> m_settings;
  std::vector<Found> m_line;
  Previous m_previous;
  bool m_in_block = false;
  std::string_view m_block_close;
  bool m_ini = false;
  std::string m_section;
  std::size_t m_section_depth = 0;  // m_yaml_stack's size when m_section was last built from it
  std::vector<std::pair<std::size_t, std::string>> m_yaml_stack;
};

} // namespace

std::vector<Setting> extract_settings(std::string_view content)
{
  return extract_settings(content, SettingFilter());
}

std::vector<Setting> extract_settings(std::string_view content, const SettingFilter& keep)
{
  return Extractor(content, keep).run();
}

} // namespace cfmigrate::scan
