#pragma once
// A subcommand's command line turned into its validated options struct: the one shape every
// command's parser shares (issue 11: cli/ parses options into a struct and calls one function).

#include <cfmigrate/cli/common_options.hpp>
#include <cfmigrate/cli/exit_codes.hpp>
#include <cfmigrate/util/display_text.hpp>
#include <cfmigrate/util/result.hpp>

#include <boost/program_options.hpp>

#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace cfmigrate::cli {

// exit_code >= 0: stop with it (usage error printed to `err`, or --help printed to `out`).
template<typename Options>
struct CommandLine {
  Options options;
  int exit_code = -1;
};

// parse_command_line, then `convert` (variables_map -> Result<Options>); a value `convert`
// refuses is a usage error (exit 64), printed as "cfmigrate <command>: <reason>".
template<typename Options, typename Convert>
CommandLine<Options> parse_command_options(const std::vector<std::string>& args,
                                           const boost::program_options::options_description& visible,
                                           const char* positional_name, int positional_count, std::ostream& out,
                                           std::ostream& err, const char* command, Convert&& convert)
{
  CommandLine<Options> line;
  ParsedCommandLine parsed = parse_command_line(args, visible, positional_name, positional_count, out, err, command);
  line.exit_code = parsed.exit_code;
  if (parsed.exit_code >= 0) {
    return line;
  }
  Result<Options> options = std::forward<Convert>(convert)(parsed.vm);
  if (!options) {
    err << "cfmigrate " << command << ": " << escape_for_terminal(options.error().describe()) << "\n";
    line.exit_code = k_exit_usage;
    return line;
  }
  line.options = std::move(*options);
  return line;
}

} // namespace cfmigrate::cli
