#pragma once
// File names are chosen by users. Shown raw, a name with ESC sequences can rewrite the operator's
// terminal, and a name that is not UTF-8 makes a JSON report invalid. These helpers make any byte
// string safe to show and to put in JSON, without losing what the name really is.

#include <string>
#include <string_view>

namespace cfmigrate {

// True when `bytes` is well-formed UTF-8 (no overlong forms, no surrogates, nothing past U+10FFFF).
bool is_valid_utf8(std::string_view bytes);

// For human output: control characters (C0, DEL, C1) and bytes that are not UTF-8 become \xNN;
// a backslash becomes \\ so the escaping cannot be forged. Everything else is kept.
std::string escape_for_terminal(std::string_view bytes);

// For multi-line human output built from file contents (conflict diffs): as escape_for_terminal,
// but line feeds and tabs are kept so the text keeps its layout.
std::string escape_lines_for_terminal(std::string_view text);

// For JSON strings: valid UTF-8 is returned unchanged; otherwise every byte that is not part of a
// well-formed sequence is replaced by U+FFFD, so the document stays valid. Pair it with the raw
// bytes in base64 (util/json_path_field put_json_path) to keep the name losslessly.
std::string utf8_display(std::string_view bytes);

} // namespace cfmigrate
