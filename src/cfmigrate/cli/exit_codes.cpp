#include <cfmigrate/cli/exit_codes.hpp>

namespace cfmigrate::cli {

namespace {

constexpr std::string_view k_usage = "bad command line";
constexpr std::size_t k_help_width = 88;

} // namespace

const std::vector<CommandExitCodes>& exit_code_table()
{
  static const std::vector<CommandExitCodes> k_table = {
    {"scan", {{k_exit_ok, "no Global key found"}, {k_exit_error, "error"}, {k_exit_found, "Global keys found"},
              {k_exit_usage, k_usage}}},
    {"plan", {{k_exit_ok, "nothing to change"}, {k_exit_error, "error"}, {k_exit_found, "changes planned"},
              {k_exit_usage, k_usage}}},
    {"show", {{k_exit_ok, "nothing to change"}, {k_exit_error, "error"}, {k_exit_found, "changes planned"},
              {k_exit_usage, k_usage}}},
    {"apply", {{k_exit_ok, "applied, or nothing to do"},
               {k_exit_error, "failed (rolled back unless --no-rollback), or not confirmed"},
               {k_exit_stale, "stale plan: nothing changed"},
               {k_exit_locked, "locked"},
               {k_exit_incompatible, "plan for another host or version"},
               {k_exit_usage, k_usage}}},
    {"rollback", {{k_exit_ok, "done, or nothing to do"}, {k_exit_error, "error, or a damaged journal"},
                  {k_exit_found, "files left in conflict"}, {k_exit_locked, "locked"}, {k_exit_usage, k_usage}}},
    {"status", {{k_exit_ok, "listed"}, {k_exit_error, "error"}, {k_exit_usage, k_usage}}},
    {"finalize", {{k_exit_ok, "no Global key usage remains"}, {k_exit_error, "error"},
                  {k_exit_found, "some remains"}, {k_exit_locked, "locked"}, {k_exit_usage, k_usage}}},
    {"report", {{k_exit_ok, "the key can be rolled"}, {k_exit_error, "error"}, {k_exit_found, "not yet"},
                {k_exit_usage, k_usage}}},
    {"recipes", {{k_exit_ok, "all recipes valid"}, {k_exit_error, "a recipe is invalid"}, {k_exit_usage, k_usage}}},
  };
  return k_table;
}

std::string exit_codes_help(std::string_view command)
{
  std::string text = "Exit:";
  std::size_t line_start = 0;
  for (const auto& entry : exit_code_table()) {
    if (entry.command != command) {
      continue;
    }
    for (std::size_t i = 0; i < entry.codes.size(); ++i) {
      std::string item = std::to_string(entry.codes[i].code) + " " + std::string(entry.codes[i].meaning)
                         + (i + 1 < entry.codes.size() ? "," : ".");
      if (text.size() - line_start + 1 + item.size() > k_help_width) {
        text += "\n";
        line_start = text.size();
      } else {
        text += " ";
      }
      text += item;
    }
  }
  return text;
}

std::string exit_codes_markdown()
{
  std::string out = "| command | code | meaning |\n|---|---|---|\n";
  for (const auto& entry : exit_code_table()) {
    for (const auto& code : entry.codes) {
      out += "| `" + std::string(entry.command) + "` | " + std::to_string(code.code) + " | " + std::string(code.meaning)
             + " |\n";
    }
  }
  return out;
}

} // namespace cfmigrate::cli
