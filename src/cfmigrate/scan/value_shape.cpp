#include <cfmigrate/scan/value_shape.hpp>
#include <cfmigrate/util/base64.hpp>
#include <cfmigrate/util/text.hpp>

#include <algorithm>
#include <array>
#include <cctype>

namespace cfmigrate::scan {

namespace {

bool is_alnum(char c)
{
  return std::isalnum(static_cast<unsigned char>(c)) != 0;
}

bool is_token_char(char c)
{
  return is_alnum(c) || c == '-' || c == '_';
}

bool is_identifier_char(char c)
{
  return is_alnum(c) || c == '_' || c == '.' || c == '-';
}

// The documentation examples listed in consumers.md §5: never real keys.
constexpr std::array<std::string_view, 5> k_documentation_examples = {
  "0123456789abcdef0123456789abcdef01234",      // certbot docs, Global key
  "0123456789abcdef0123456789abcdef01234567",   // certbot docs, token
  "b9841238feb177a84330febba8a83208921177bffe733", // lego docs
  "c2547eb745079dac9320b638f5e225cf483cc5cfdda41", // older Cloudflare API docs
  "Sn3lZJTBX6kkg7OdcBUAxOO963GEIyGQqnFTOFYY",   // Cloudflare API reference token example
};

constexpr std::array<std::string_view, 14> k_fill_in_words = {
  "your", "xxxx", "here", "example", "changeme", "change_me", "replace", "placeholder",
  "redacted", "dummy", "secret_key", "insert", "todo", "<",
};

// `${X}`, `${X:-default}`, `$X`, `$(cmd)`, `{{ x }}`, `${{ secrets.X }}`, `env/X` (octodns), env("X"),
// getenv('X'), ENV['X'], os.environ["X"], process.env.X, var.x, local.x, secrets.X.
bool parse_reference(std::string_view v, std::string& target)
{
  auto take_identifier = [](std::string_view s) {
    std::size_t n = 0;
    while (n < s.size() && is_identifier_char(s[n])) {
      ++n;
    }
    return std::string(s.substr(0, n));
  };
  auto strip = [](std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '"' || s.front() == '\'' || s.front() == '(' || s.front() == '[')) {
      s.remove_prefix(1);
    }
    return s;
  };
  if (v.starts_with("${{") || v.starts_with("{{")) {
    std::string_view inner = v.substr(v.starts_with("${{") ? 3 : 2);
    inner = strip(inner);
    target = take_identifier(inner);
    return true;
  }
  if (v.starts_with("${")) {
    target = take_identifier(v.substr(2));
    return true;
  }
  if (v.starts_with("$(")) {
    target = "command substitution";
    return true;
  }
  if (v.starts_with("$") && v.size() > 1 && (is_alnum(v[1]) || v[1] == '_')) {
    target = take_identifier(v.substr(1));
    return true;
  }
  if (v.starts_with("env/")) {  // octodns: "env/CLOUDFLARE_TOKEN"
    target = take_identifier(v.substr(4));
    return true;
  }
  static constexpr std::array<std::string_view, 10> k_calls = {
    "env(", "getenv(", "ENV[", "os.environ[", "os.environ.get(", "os.getenv(", "process.env.", "System.getenv(",
    "lookup(", "env.",
  };
  for (std::string_view call : k_calls) {
    std::size_t at = v.find(call);
    if (at != std::string_view::npos && at < 24) {
      target = take_identifier(strip(v.substr(at + call.size())));
      return true;
    }
  }
  for (std::string_view prefix : {std::string_view("var."), std::string_view("local."), std::string_view("secrets.")}) {
    if (v.starts_with(prefix)) {
      target = take_identifier(v);
      return true;
    }
  }
  return false;
}

} // namespace

const char* to_string(Shape shape)
{
  switch (shape) {
  case Shape::nothing: return "nothing";
  case Shape::legacy_hex: return "legacy_hex";
  case Shape::hex40: return "hex40";
  case Shape::new_global_key: return "new_global_key";
  case Shape::new_token: return "new_token";
  case Shape::legacy_token: return "legacy_token";
  case Shape::origin_ca_key: return "origin_ca_key";
  case Shape::reference: return "reference";
  case Shape::placeholder: return "placeholder";
  case Shape::email: return "email";
  }
  return "nothing";
}

bool is_lower_hex(std::string_view s)
{
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

bool is_placeholder(std::string_view value)
{
  for (std::string_view example : k_documentation_examples) {
    if (value == example) {
      return true;
    }
  }
  // Lower-cased into a small buffer: this runs for every setting of every file the prefilter lets
  // through, and a heap string per value showed in profiles.
  char small[128];
  std::string large;
  std::string_view lower;
  if (value.size() <= sizeof small) {
    std::transform(value.begin(), value.end(), small, ascii_lower);
    lower = std::string_view(small, value.size());
  } else {
    large = to_lower(value);
    lower = large;
  }
  for (std::string_view word : k_fill_in_words) {
    if (lower.find(word) != std::string_view::npos) {
      return true;
    }
  }
  // One repeated character ("0000…", "aaaa…") or an obvious ascending run.
  if (value.size() > 4 && std::all_of(value.begin(), value.end(), [&](char c) { return c == value.front(); })) {
    return true;
  }
  if (lower.starts_with("0123456789abcdef")) {
    return true;
  }
  return false;
}

ValueShape classify_value(std::string_view v)
{
  ValueShape out;
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) {
    v.remove_prefix(1);
  }
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t' || v.back() == '\r')) {
    v.remove_suffix(1);
  }
  if (v.empty()) {
    return out;
  }
  if (parse_reference(v, out.reference)) {
    out.shape = Shape::reference;
    return out;
  }
  if (v.size() == 52 && v.starts_with("cfk_")) {
    std::string_view body = v.substr(4, 40);
    if (std::all_of(body.begin(), body.end(), is_alnum) && is_lower_hex(v.substr(44))) {
      out.shape = is_placeholder(v) ? Shape::placeholder : Shape::new_global_key;
      return out;
    }
  }
  if (v.size() == 53 && (v.starts_with("cfut_") || v.starts_with("cfat_"))) {
    std::string_view body = v.substr(5, 40);
    if (std::all_of(body.begin(), body.end(), is_alnum) && is_lower_hex(v.substr(45))) {
      out.shape = Shape::new_token;
      return out;
    }
  }
  if (v.starts_with("v1.0-") && v.size() >= 60) {
    out.shape = Shape::origin_ca_key;
    return out;
  }
  if (v.find('@') != std::string_view::npos && v.find('.') != std::string_view::npos && v.find(' ') == std::string_view::npos) {
    out.shape = Shape::email;
    return out;
  }
  if (is_placeholder(v)) {
    out.shape = Shape::placeholder;
    return out;
  }
  if (is_lower_hex(v)) {
    if (v.size() == 40) {
      out.shape = Shape::hex40;
    } else if (v.size() >= 37 && v.size() <= 45) {
      out.shape = Shape::legacy_hex;
    }
    return out;
  }
  if (v.size() == 40 && std::all_of(v.begin(), v.end(), is_token_char)) {
    out.shape = Shape::legacy_token;
    return out;
  }
  return out;
}

std::string decode_base64(std::string_view text, std::size_t min_length)
{
  if (text.size() < min_length) {
    return {};
  }
  auto decoded = base64_decode(text);
  return decoded ? std::move(*decoded) : std::string();
}

} // namespace cfmigrate::scan
