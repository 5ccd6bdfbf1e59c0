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

} // namespace cfmigrate::cli
