#pragma once
// Options several commands share: where the scanned system is, which recipes, how to reach the
// Cloudflare API, and credentials from the environment (never from argv).

#include <cfmigrate/cloudflare/client.hpp>
#include <cfmigrate/recipe/recipe.hpp>
#include <cfmigrate/util/result.hpp>

#include <boost/program_options.hpp>

#include <optional>
#include <string>
#include <vector>

namespace cfmigrate::cli {

// --api-base, --ca-file, --rate-limit.
void add_api_options(boost::program_options::options_description& description);
// ClientOptions from the environment (CFMIGRATE_API_BASE, CFMIGRATE_CA_FILE), then the options.
[[nodiscard]] Result<cloudflare::ClientOptions> client_options(const boost::program_options::variables_map& vm);

struct EnvironmentCredentials {
  std::optional<cloudflare::Credentials> credentials;
  std::string source;  // "env:CLOUDFLARE_API_TOKEN" or "env:CLOUDFLARE_API_KEY"
};
// CLOUDFLARE_API_TOKEN (a bootstrap token), else CLOUDFLARE_EMAIL + CLOUDFLARE_API_KEY, else none.
EnvironmentCredentials credentials_from_environment();

// The recipes (embedded, then --recipes DIR when given).
[[nodiscard]] Result<std::vector<recipe::Recipe>> recipes_from(const boost::program_options::variables_map& vm);

std::string this_host_name();

// Parsed command line of one subcommand; exit_code >= 0 means stop now with that code (usage
// error reported, or --help printed).
struct ParsedCommandLine {
  boost::program_options::variables_map vm;
  int exit_code = -1;
};

// Parses `args` against `visible` plus an optional positional option `positional_name` taking
// `positional_count` values (-1: any number). Errors go to `err` prefixed with the command.
ParsedCommandLine parse_command_line(const std::vector<std::string>& args,
                                     const boost::program_options::options_description& visible,
                                     const char* positional_name, int positional_count, std::ostream& out,
                                     std::ostream& err, const char* command);

} // namespace cfmigrate::cli
