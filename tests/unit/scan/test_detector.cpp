#include <cfmigrate/scan/detector.hpp>

#include <cfmigrate/recipe/recipe_index.hpp>
#include <cfmigrate/recipe/recipe_loader.hpp>

#include <boost/test/unit_test.hpp>

using namespace cfmigrate;
using namespace cfmigrate::scan;
using cfmigrate::recipe::RecipeIndex;

namespace {

recipe::Recipe make(const std::string& json, const std::string& id)
{
  auto r = recipe::parse_recipe(json, id, id);
  BOOST_TEST_REQUIRE(r.has_value(), (r ? std::string() : r.error().describe()));
  return *r;
}

RecipeIndex test_index()
{
  std::vector<recipe::Recipe> recipes;
  recipes.push_back(make(R"({"schema_version":1,"id":"certbot","name":"c","reference":"t",
    "detect":{"paths":["/etc/letsencrypt/**"],"signals":["dns_cloudflare_"],"key_names":["dns_cloudflare_api_key"],
              "email_names":["dns_cloudflare_email"],"token_names":["dns_cloudflare_api_token"]},
    "migrate":{"mode":"in_place","permissions":[{"group":"DNS Write","scope":"zone"}],"token_setting":"dns_cloudflare_api_token"}})",
                         "certbot"));
  recipes.push_back(make(R"({"schema_version":1,"id":"ddclient","name":"d","reference":"t",
    "detect":{"paths":["/etc/ddclient.conf"],"signals":["protocol=cloudflare"],"context":"required",
              "key_names":["password"],"email_names":["login"]},
    "migrate":{"mode":"in_place","permissions":[{"group":"DNS Write","scope":"zone"}],"token_setting":"password"}})",
                         "ddclient"));
  recipes.push_back(make(R"({"schema_version":1,"id":"lego","name":"l","reference":"t","priority":50,
    "detect":{"signals":["lego"],"key_names":["CF_API_KEY"],"email_names":["CF_API_EMAIL"]},
    "migrate":{"mode":"in_place","permissions":[{"group":"DNS Write","scope":"zone"}],"token_setting":"CF_DNS_API_TOKEN"}})",
                         "lego"));
  recipes.push_back(make(R"({"schema_version":1,"id":"generic-env","name":"g","reference":"t","priority":5,
    "detect":{"paths":["**/.env"],"key_names":["CF_API_KEY","CLOUDFLARE_API_KEY"],"email_names":["CF_API_EMAIL","CLOUDFLARE_EMAIL"]},
    "migrate":{"mode":"in_place","permissions":[],"token_setting":"CF_API_TOKEN"}})",
                         "generic-env"));
  recipes.push_back(make(R"({"schema_version":1,"id":"generic-script","name":"s","reference":"t","priority":5,
    "detect":{"key_names":["X-Auth-Key"],"email_names":["X-Auth-Email"]},
    "migrate":{"mode":"in_place","permissions":[],"token_setting":"Authorization"}})",
                         "generic-script"));
  return RecipeIndex(recipes);
}

std::vector<Finding> run(const std::string& path, const std::string& content)
{
  static const RecipeIndex index = test_index();
  DetectStats stats;
  return detect(index, path, content, stats);
}

const char* k_key = "7c1e2d3c4b5a69788796a5b4c3d2e1f0a1b2c";

} // namespace

BOOST_AUTO_TEST_SUITE(detector)

BOOST_AUTO_TEST_CASE(certbot_key_with_email)
{
  auto f = run("/etc/letsencrypt/cloudflare.ini",
               std::string("dns_cloudflare_email = a@example.com\ndns_cloudflare_api_key = ") + k_key + "\n");
  BOOST_TEST_REQUIRE(f.size() == 1U);
  BOOST_TEST(f[0].program == "certbot");
  BOOST_TEST((f[0].credential == Credential::global_key));
  BOOST_TEST(f[0].email.value_or("") == "a@example.com");
  BOOST_TEST(f[0].setting.line == 2U);
  BOOST_TEST(f[0].fingerprint == Secret(k_key).fingerprint());
  BOOST_TEST(f[0].value.expose_secret_value_for_use_in_credential_slot() == k_key);
  BOOST_TEST(f[0].email_setting->line == 1U);
}

BOOST_AUTO_TEST_CASE(context_required_recipe_claims_only_with_context)
{
  std::string block = std::string("protocol=cloudflare\nlogin=a@example.com\npassword=") + k_key + "\n";
  auto with = run("/etc/ddclient.conf", block);
  BOOST_TEST_REQUIRE(with.size() == 1U);
  BOOST_TEST(with[0].program == "ddclient");
  BOOST_TEST(with[0].email.value_or("") == "a@example.com");
  // "password" elsewhere, with no Cloudflare signal, is not a key slot.
  BOOST_TEST(run("/etc/app.conf", std::string("password=") + k_key + "\n").empty());
}

BOOST_AUTO_TEST_CASE(signals_and_paths_decide_between_recipes)
{
  auto lego = run("/srv/lego/run.sh", std::string("# lego --dns cloudflare\nCF_API_KEY=") + k_key + "\n");
  BOOST_TEST_REQUIRE(lego.size() == 1U);
  BOOST_TEST(lego[0].program == "lego");
  auto env = run("/srv/app/.env", std::string("CF_API_EMAIL=a@example.com\nCF_API_KEY=") + k_key + "\n");
  BOOST_TEST_REQUIRE(env.size() == 1U);
  BOOST_TEST(env[0].program == "generic-env");
  BOOST_TEST(env[0].email.value_or("") == "a@example.com");
}

BOOST_AUTO_TEST_CASE(header_variables_become_key_names)
{
  std::string script = std::string("EMAIL=\"ops@example.org\"\nKEY=\"") + k_key
                       + "\"\ncurl -H \"X-Auth-Email: $EMAIL\" -H \"X-Auth-Key: $KEY\" https://api.cloudflare.com/client/v4/user\n";
  auto f = run("/usr/local/bin/x.sh", script);
  BOOST_TEST_REQUIRE(f.size() == 1U);  // the header itself is resolved, not a separate reference
  BOOST_TEST(f[0].program == "generic-script");
  BOOST_TEST(f[0].setting.line == 2U);
  BOOST_TEST(f[0].email.value_or("") == "ops@example.org");

  auto literal = run("/x.py", std::string("headers = {'X-Auth-Email': 'a@example.com', 'X-Auth-Key': '") + k_key + "'}\n");
  BOOST_TEST_REQUIRE(literal.size() == 1U);
  BOOST_TEST(literal[0].program == "generic-script");
  BOOST_TEST(literal[0].email.value_or("") == "a@example.com");
}

BOOST_AUTO_TEST_CASE(dormant_reference_token_origin_and_placeholders)
{
  auto dormant = run("/etc/letsencrypt/c.ini", std::string("#dns_cloudflare_api_key = ") + k_key + "\n");
  BOOST_TEST_REQUIRE(dormant.size() == 1U);
  BOOST_TEST((dormant[0].setting.state == State::commented));

  auto reference = run("/srv/app/.env", "CF_API_KEY=${CF_API_KEY}\n");
  BOOST_TEST_REQUIRE(reference.size() == 1U);
  BOOST_TEST((reference[0].credential == Credential::reference));
  BOOST_TEST(reference[0].reference == "CF_API_KEY");
  BOOST_TEST(reference[0].fingerprint.empty());

  auto token = run("/etc/letsencrypt/c.ini", "dns_cloudflare_api_token = Q3x-7Yb_9Kc2Lm4Np6Rs8Tv0Wx1Yz3Ab5Cd7Ef9G\n");
  BOOST_TEST_REQUIRE(token.size() == 1U);
  BOOST_TEST((token[0].credential == Credential::scoped_token));

  DetectStats stats;
  static const RecipeIndex index = test_index();
  auto none = detect(index, "/etc/letsencrypt/c.ini",
                     "dns_cloudflare_api_key = 0123456789abcdef0123456789abcdef01234\n"
                     "zone_id = 7c1e2d3c4b5a69788796a5b4c3d2e1f0\n"
                     "commit: 7c1e2d3c4b5a69788796a5b4c3d2e1f0a1b2c3d4\n",
                     stats);
  BOOST_TEST(none.empty());
  BOOST_TEST(stats.placeholders == 1U);
}

BOOST_AUTO_TEST_CASE(placeholders_count_only_where_a_key_or_token_belongs)
{
  static const RecipeIndex index = test_index();
  DetectStats stats;
  auto none = detect(index, "/etc/letsencrypt/c.ini",
                     "title = your site here\nnote = <fill in>\ndns_cloudflare_api_key = your-api-key\n", stats);
  BOOST_TEST(none.empty());
  BOOST_TEST(stats.placeholders == 1U);  // the key slot only, not the title or the note
}

BOOST_AUTO_TEST_CASE(base64_secret_values_are_decoded)
{
  // base64 of the 37-hex key
  std::string b64 = "N2MxZTJkM2M0YjVhNjk3ODg3OTZhNWI0YzNkMmUxZjBhMWIyYw==";
  auto f = run("/srv/k8s/secret.yaml", "apiVersion: v1\nkind: Secret\ndata:\n  CF_API_KEY: " + b64 + "\n");
  BOOST_TEST_REQUIRE(f.size() == 1U);
  BOOST_TEST((f[0].encoding == Encoding::base64));
  BOOST_TEST(f[0].fingerprint == Secret(k_key).fingerprint());
}

BOOST_AUTO_TEST_CASE(new_format_keys_need_no_context)
{
  std::string key = "cfk_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789ABCD0badc0de";
  auto f = run("/opt/notes.txt", "the key is " + key + " for now\n");
  BOOST_TEST_REQUIRE(f.size() == 1U);
  BOOST_TEST(f[0].program == "unknown");
  BOOST_TEST((f[0].setting.syntax == Syntax::bare));
  BOOST_TEST(f[0].setting.column == 12U);
}

BOOST_AUTO_TEST_SUITE_END()
