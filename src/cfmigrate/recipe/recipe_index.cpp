#include <cfmigrate/recipe/recipe_index.hpp>
#include <cfmigrate/util/text.hpp>

namespace cfmigrate::recipe {

RecipeIndex::RecipeIndex(const std::vector<Recipe>& recipes) : m_recipes(recipes)
{
  for (const auto& r : m_recipes) {
    Names n;
    auto prepare = [&](const std::vector<std::string>& in, std::vector<std::string>& out) {
      for (const auto& name : in) {
        out.push_back(r.detect.case_sensitive_names ? name : to_lower(name));
      }
    };
    prepare(r.detect.key_names, n.key);
    prepare(r.detect.email_names, n.email);
    prepare(r.detect.token_names, n.token);
    m_names.push_back(std::move(n));
  }
}

int RecipeIndex::find(std::string_view id) const
{
  for (std::size_t i = 0; i < m_recipes.size(); ++i) {
    if (m_recipes[i].id == id) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

} // namespace cfmigrate::recipe
