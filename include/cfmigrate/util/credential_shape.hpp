#pragma once
// Credential-shaped text: a last line of defence where a secret must never be shown or stored
// (journal records, rollback's conflict diffs), whatever program or format it came from.

#include <string>
#include <string_view>

namespace cfmigrate {

// True when `text` contains a run of [A-Za-z0-9_-] characters that looks like a Cloudflare
// credential:
//   * 37-45 lowercase hex digits (the Global API Key is 37),
//   * a run starting with "cfk_", "cfut_" or "cfat_" followed by at least one character,
//   * exactly 40 characters (API tokens are 40 of [A-Za-z0-9_-]).
// 32-hex ids (tokens, zones, accounts) and 64-hex SHA-256 digests do not match. A 40-character
// identifier (for example a path component with dashes) does, by design: rename it.
bool looks_like_credential(std::string_view text);

// `text` with every such run replaced by "<hidden credential-shaped value>".
std::string mask_credential_shaped(std::string_view text);

} // namespace cfmigrate
