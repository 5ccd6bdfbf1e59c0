#pragma once
// A Finding is one place where a Cloudflare credential (or a reference to one) is configured.
// It keeps the exact byte spans later stages need to edit the file, and the key only as a Secret.

#include <cfmigrate/util/secret.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cfmigrate::scan {

// A byte range in a file's content.
struct Span {
  std::size_t offset = 0;
  std::size_t length = 0;
  std::size_t end() const { return offset + length; }
  bool operator==(const Span&) const = default;
};

enum class Credential { global_key, scoped_token, origin_ca_key, reference };
enum class State { active, commented };
enum class Encoding { plain, base64 };

// How the setting is written; the editor (plan) keeps the style when it rewrites it.
enum class Syntax {
  assignment,  // name = value, name: value, name => value (INI, env, shell, YAML, JSON, TOML, HCL, PHP arrays)
  php_define,  // define('NAME', 'value')
  xml_element, // <name>value</name>
  header,      // "X-Auth-Key: value" inside a string (curl -H, PHP/Python/Go header maps)
  bare,        // a value found without a name (cfk_ keys)
};

const char* to_string(Credential c);
const char* to_string(State s);
const char* to_string(Encoding e);
const char* to_string(Syntax s);

// One name/value setting as found in the file (also used for the paired e-mail).
struct Setting {
  std::string name;        // as written, without quotes
  Span name_span;          // empty for bare values
  Span value_span;         // the value's bytes as they appear (inside quotes; base64 text if encoded)
  Span line_span;          // the physical line, including its line terminator
  std::uint32_t line = 0;  // 1-based
  std::uint32_t column = 0;// 1-based byte column of the value
  char quote = 0;          // '"', '\'' or 0
  Syntax syntax = Syntax::assignment;
  State state = State::active;
  std::string section;     // INI section or YAML parent path ("data", "services.traefik.environment")
};

struct Finding {
  std::string path;          // as on the scanned system ("/etc/letsencrypt/cloudflare.ini")
  std::string program;       // recipe id, or "unknown"
  Credential credential = Credential::global_key;
  Encoding encoding = Encoding::plain;
  Setting setting;           // where the credential is
  Secret value;              // the credential itself (empty for references)
  std::string fingerprint;   // of the credential (empty for references)
  std::optional<std::string> email;       // paired e-mail value
  std::optional<Setting> email_setting;   // where that e-mail is (for its removal)
  std::string reference;     // for references: the variable or secret the value points at
  std::string note;          // short human explanation, never contains the value
};

} // namespace cfmigrate::scan
