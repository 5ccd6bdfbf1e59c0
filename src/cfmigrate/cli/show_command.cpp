#include <cfmigrate/cli/show_command.hpp>

#include <cfmigrate/cli/exit_codes.hpp>
#include <cfmigrate/plan/plan_renderer.hpp>
#include <cfmigrate/plan/saved_plan_view.hpp>
#include <cfmigrate/util/display_text.hpp>

#include <ostream>

namespace cfmigrate::cli {

int show_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err)
{
  if (args.size() != 1 || args[0] == "--help" || args[0] == "-h") {
    (args.size() == 1 ? out : err) << "cfmigrate show PLAN-FILE\n\nRenders a saved plan, with masked diffs of files that "
                                      "have not changed since it was made.\n"
                                   << exit_codes_help("show") << "\n";
    return args.size() == 1 ? k_exit_ok : k_exit_usage;
  }
  const std::string& plan_file = args[0];
  auto view = plan::read_saved_plan_view(plan_file);
  if (!view) {
    err << "cfmigrate show: " << escape_for_terminal(view.error().describe()) << "\n";
    return k_exit_error;
  }
  plan::render_plan(out, view->render_input());
  return view->plan.has_changes() ? k_exit_found : k_exit_ok;
}

} // namespace cfmigrate::cli
