#include <cfmigrate/cli/recipes_command.hpp>

#include <cfmigrate/cli/exit_codes.hpp>
#include <cfmigrate/recipe/recipe_loader.hpp>
#include <cfmigrate/util/display_text.hpp>

#include <ostream>

namespace cfmigrate::cli {

int recipes_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err)
{
  std::string dir;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--recipes" && i + 1 < args.size()) {
      dir = args[++i];
    } else if (args[i] == "--help" || args[i] == "-h") {
      out << "cfmigrate recipes [--recipes DIR]\n\nValidates and lists the recipes (embedded, then DIR's).\n"
          << exit_codes_help("recipes") << "\n";
      return k_exit_ok;
    } else {
      err << "cfmigrate recipes: unexpected argument '" << args[i] << "'\n";
      return k_exit_usage;
    }
  }
  auto recipes = recipe::load_recipes(dir);
  if (!recipes) {
    err << "cfmigrate recipes: " << escape_for_terminal(recipes.error().describe()) << "\n";
    return k_exit_error;
  }
  for (const auto& r : *recipes) {
    out << r.id << "\t" << recipe::to_string(r.migrate.mode) << "\t" << r.name << "\t(" << r.origin << ")\n";
  }
  return k_exit_ok;
}

} // namespace cfmigrate::cli
