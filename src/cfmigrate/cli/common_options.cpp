#include <cfmigrate/cli/common_options.hpp>

#include <cfmigrate/cli/exit_codes.hpp>
#include <cfmigrate/cli/option_values.hpp>
#include <cfmigrate/recipe/recipe_loader.hpp>

#include <ostream>

#include <cstdlib>
#include <unistd.h>

namespace cfmigrate::cli {

namespace po = boost::program_options;

void add_api_options(po::options_description& description)
{
  description.add_options()
    ("api-base", po::value<std::string>(), "Cloudflare API base URL (env CFMIGRATE_API_BASE; default https://api.cloudflare.com/client/v4)")
    ("ca-file", po::value<std::string>(), "trust this CA bundle instead of the system's (env CFMIGRATE_CA_FILE)")
    ("rate-limit", po::value<std::string>(), "client-side request budget N/SECONDS (default 1200/300, Cloudflare's limit)");
}

Result<cloudflare::ClientOptions> client_options(const po::variables_map& vm)
{
  cloudflare::ClientOptions options = cloudflare::ClientOptions::from_environment();
  if (vm.count("api-base") != 0) {
    options.api_base = vm["api-base"].as<std::string>();
  }
  if (vm.count("ca-file") != 0) {
    options.ca_file = vm["ca-file"].as<std::string>();
  }
  if (vm.count("rate-limit") != 0) {
    // "N/SECONDS", both whole numbers from 1 (stoul would have wrapped "-1").
    const std::string text = vm["rate-limit"].as<std::string>();
    const std::size_t slash = text.find('/');
    const std::string_view view(text);
    auto requests = parse_whole_number("--rate-limit", view.substr(0, slash), 1, 1000000);
    auto seconds = slash == std::string::npos ? requests : parse_whole_number("--rate-limit", view.substr(slash + 1), 1, 86400);
    if (slash == std::string::npos || !requests || !seconds) {
      return make_error(ErrorCode::invalid_argument, "--rate-limit must look like 1200/300 (requests/seconds)");
    }
    options.rate_limit.requests = static_cast<decltype(options.rate_limit.requests)>(*requests);
    options.rate_limit.window = std::chrono::seconds(*seconds);
  }
  return options;
}

EnvironmentCredentials credentials_from_environment()
{
  EnvironmentCredentials out;
  const char* token = std::getenv("CLOUDFLARE_API_TOKEN");
  if (token != nullptr && *token != '\0') {
    out.credentials = cloudflare::Credentials(cloudflare::BearerToken{Secret(token)});
    out.source = "env:CLOUDFLARE_API_TOKEN";
    return out;
  }
  const char* email = std::getenv("CLOUDFLARE_EMAIL");
  const char* key = std::getenv("CLOUDFLARE_API_KEY");
  if (email != nullptr && key != nullptr && *email != '\0' && *key != '\0') {
    out.credentials = cloudflare::Credentials(cloudflare::GlobalKey{email, Secret(key)});
    out.source = "env:CLOUDFLARE_API_KEY";
  }
  return out;
}

Result<std::vector<recipe::Recipe>> recipes_from(const po::variables_map& vm)
{
  return recipe::load_recipes(vm.count("recipes") != 0 ? vm["recipes"].as<std::string>() : std::string());
}

std::string this_host_name()
{
  char buffer[256] = {};
  if (::gethostname(buffer, sizeof buffer - 1) != 0) {
    return "localhost";
  }
  return buffer;
}

ParsedCommandLine parse_command_line(const std::vector<std::string>& args, const po::options_description& visible,
                                     const char* positional_name, int positional_count, std::ostream& out, std::ostream& err,
                                     const char* command)
{
  ParsedCommandLine p;
  po::options_description all;
  all.add(visible);
  po::positional_options_description positional;
  if (positional_name != nullptr) {
    all.add_options()(positional_name, po::value<std::vector<std::string>>()->composing(), "");
    positional.add(positional_name, positional_count);
  }
  try {
    po::store(po::command_line_parser(args).options(all).positional(positional).run(), p.vm);
    po::notify(p.vm);
  } catch (const po::error& e) {
    err << "cfmigrate " << command << ": " << e.what() << "\n";
    p.exit_code = k_exit_usage;
    return p;
  }
  if (p.vm.count("help") != 0) {
    out << visible << "\n";
    p.exit_code = k_exit_ok;
  }
  return p;
}

} // namespace cfmigrate::cli
