#pragma once
// What a configured value looks like: a key, a token, an id, a reference, a placeholder...
// Shapes come from docs/detection.md (Cloudflare's token-format page and consumers.md §5).

#include <string>
#include <string_view>

namespace cfmigrate::scan {

enum class Shape {
  nothing,        // no credential shape
  legacy_hex,     // 37-45 lowercase hex, not 40: a legacy Global key when the context says "key"
  hex40,          // 40 lowercase hex: a legacy key under a key name, a token under a token name, else a hash
  new_global_key, // cfk_ + 40 alnum + 8 hex: a Global key without context
  new_token,      // cfut_ / cfat_: an already-scoped token
  legacy_token,   // 40 chars [A-Za-z0-9_-] (not all hex): an API token under a key or token name
  origin_ca_key,  // v1.0-…
  reference,      // ${VAR}, $VAR, {{ x }}, secrets.X, env(X), var.x …
  placeholder,    // documentation examples and obvious fill-ins
  email,
};

const char* to_string(Shape shape);

struct ValueShape {
  Shape shape = Shape::nothing;
  std::string reference;  // for Shape::reference: the variable or secret pointed at
};

// Classifies a value as written (quotes already removed). Never keeps the value.
ValueShape classify_value(std::string_view value);

// True for the documentation example keys and tokens and for obvious fill-ins.
bool is_placeholder(std::string_view value);

// Standard base64 decoding; empty when `text` is not base64 of at least `min_length` characters.
std::string decode_base64(std::string_view text, std::size_t min_length);

bool is_lower_hex(std::string_view s);

} // namespace cfmigrate::scan
