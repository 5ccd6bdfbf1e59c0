#pragma once
// Turns a text file into the list of `name <sep> value` settings it contains, format-agnostically:
// INI, env/.env, shell, systemd Environment=, YAML (maps, lists, compose), JSON, TOML, HCL, PHP
// define() and arrays, XML elements, and HTTP header strings ("X-Auth-Key: …").
// It records exact byte spans, the comment state and the enclosing INI section or YAML path.

#include <cfmigrate/scan/finding.hpp>

#include <functional>
#include <string_view>
#include <vector>

namespace cfmigrate::scan {

// `content` is the whole file. Settings are returned in file order. A value may be empty.
// Lines inside /* */ or <!-- --> blocks and lines starting with #, ;, // are State::commented.
std::vector<Setting> extract_settings(std::string_view content);

// Asked for each setting found (name as finally given, value, syntax) before it is stored; only
// settings it keeps are returned. A scan keeps those that can hold a credential, an e-mail or a
// reference: a 16 MiB log has hundreds of thousands of `key=value` pairs nobody needs in memory.
using SettingFilter = std::function<bool(std::string_view name, std::string_view value, Syntax syntax)>;
std::vector<Setting> extract_settings(std::string_view content, const SettingFilter& keep);

} // namespace cfmigrate::scan
