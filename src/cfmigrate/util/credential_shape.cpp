#include <cfmigrate/util/credential_shape.hpp>

#include <array>

namespace cfmigrate {

namespace {

constexpr std::string_view k_hidden = "<hidden credential-shaped value>";

bool is_run_char(char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

bool is_lower_hex(std::string_view s)
{
  for (const char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return true;
}

bool run_is_credential(std::string_view run)
{
  const std::size_t n = run.size();
  if (n >= 37 && n <= 45 && is_lower_hex(run)) {
    return true; // Global API Key (37) and nearby lengths
  }
  if (n == 40) {
    return true; // API token: 40 of [A-Za-z0-9_-]
  }
  constexpr std::array<std::string_view, 3> prefixes{"cfk_", "cfut_", "cfat_"};
  for (const std::string_view prefix : prefixes) {
    if (n > prefix.size() && run.starts_with(prefix)) {
      return true;
    }
  }
  return false;
}

// Calls `on_run(start, length, is_credential)` for every maximal run of credential characters.
template<typename OnRun>
void for_each_run(std::string_view text, OnRun on_run)
{
  std::size_t i = 0;
  while (i < text.size()) {
    if (!is_run_char(text[i])) {
      ++i;
      continue;
    }
    const std::size_t start = i;
    while (i < text.size() && is_run_char(text[i])) {
      ++i;
    }
    if (!on_run(start, i - start, run_is_credential(text.substr(start, i - start)))) {
      return;
    }
  }
}

} // namespace

bool looks_like_credential(std::string_view text)
{
  bool found = false;
  for_each_run(text, [&](std::size_t, std::size_t, bool credential) {
    found = credential;
    return !found;
  });
  return found;
}

std::string mask_credential_shaped(std::string_view text)
{
  std::string out;
  out.reserve(text.size());
  std::size_t copied = 0;
  for_each_run(text, [&](std::size_t start, std::size_t length, bool credential) {
    if (credential) {
      out.append(text.substr(copied, start - copied));
      out.append(k_hidden);
      copied = start + length;
    }
    return true;
  });
  out.append(text.substr(copied));
  return out;
}

} // namespace cfmigrate
