#pragma once
// Turns a text file into the list of `name <sep> value` settings it contains, format-agnostically:
// INI, env/.env, shell, systemd Environment=, YAML (maps, lists, compose), JSON, TOML, HCL, PHP
// define() and arrays, XML elements, and HTTP header strings ("X-Auth-Key: …").
// It records exact byte spans, the comment state and the enclosing INI section or YAML path.

#include <cfmigrate/scan/finding.hpp>

#include <string_view>
#include <vector>

namespace cfmigrate::scan {

// `content` is the whole file. Settings are returned in file order. A value may be empty.
// Lines inside /* */ or <!-- --> blocks and lines starting with #, ;, // are State::commented.
std::vector<Setting> extract_settings(std::string_view content);

} // namespace cfmigrate::scan
