// The Cloudflare client against the emulator over real TLS on 127.0.0.1 (the emulator generates a CA;
// the client verifies it with ca_file): every typed call, authorization per token policy,
// validation errors, wrong CA, http:// to a non-loopback host, secrets absent from errors and state.

#include "test_emulator_process.hpp"

#include <cfmigrate/cloudflare/client.hpp>
#include <cfmigrate/emulator/tls_material.hpp>

#include <boost/test/unit_test.hpp>

using namespace cfmigrate;
using namespace cfmigrate::testing;
namespace cf = cfmigrate::cloudflare;

// Evaluates `r` once.
#define REQUIRE_OK(r)                                                                                   \
  do {                                                                                                 \
    const auto& require_ok_ = (r);                                                                     \
    BOOST_REQUIRE_MESSAGE(require_ok_.has_value(), (require_ok_ ? std::string() : require_ok_.error().message())); \
  } while (false)

namespace {

std::unique_ptr<cf::Client> make_client(const EmulatorProcess& emu, cf::Credentials creds)
{
  auto client = cf::Client::create(emu.client_options(), std::move(creds));
  BOOST_REQUIRE_MESSAGE(client.has_value(), (client.has_value() ? std::string() : client.error().message()));
  return std::move(*client);
}

} // namespace

BOOST_AUTO_TEST_SUITE(client_emulator)

BOOST_AUTO_TEST_CASE(global_key_flow_covers_every_typed_call)
{
  EmulatorProcess emu({}, 53); // 55 zones: two pages of 50
  auto client = make_client(emu, global_key());

  auto user = client->get_user();
  REQUIRE_OK(user);
  BOOST_TEST(user->id == k_user_id);
  BOOST_TEST(user->email == k_test_email);

  auto accounts = client->list_accounts();
  REQUIRE_OK(accounts);
  BOOST_REQUIRE_EQUAL(accounts->size(), 1U);
  BOOST_TEST(accounts->front().id == k_account);

  auto zones = client->list_zones();
  REQUIRE_OK(zones);
  BOOST_TEST(zones->size() == 55U);
  auto one = client->list_zones(cf::ZoneFilter{std::string("example.org"), std::nullopt, std::nullopt});
  REQUIRE_OK(one);
  BOOST_REQUIRE_EQUAL(one->size(), 1U);
  BOOST_TEST(one->front().id == k_zone_org);
  BOOST_TEST(one->front().account_id == k_account);

  auto groups = client->list_permission_groups();
  REQUIRE_OK(groups);
  BOOST_TEST(groups->size() > 100U);

  cf::TokenSpec spec;
  spec.name = "migrated: web-1";
  spec.policies.push_back(zone_policy({k_zone_read, k_dns_write}, k_zone_com));
  spec.request_ip = cf::IpCondition{{"127.0.0.0/8"}, {"127.0.0.7/32"}};
  spec.expires_on = "2099-01-01T00:00:00Z";
  auto created = client->create_token(cf::TokenOwner::user(), spec);
  REQUIRE_OK(created);
  BOOST_TEST(created->value.size() == 40U);
  BOOST_TEST(created->token.name == spec.name);
  BOOST_TEST(created->token.status == "active");
  const std::string value(created->value.expose_secret_value_for_use_in_credential_slot());

  auto got = client->get_token(cf::TokenOwner::user(), created->token.id);
  REQUIRE_OK(got);
  BOOST_TEST(got->policies.size() == 1U);
  BOOST_REQUIRE(got->request_ip.has_value());
  BOOST_TEST(got->request_ip->not_in.front() == "127.0.0.7/32");

  auto listed = client->list_tokens();
  REQUIRE_OK(listed);
  BOOST_TEST(listed->size() == 2U); // bootstrap + the new one
  auto by_name = client->find_tokens_by_name(cf::TokenOwner::user(), spec.name);
  REQUIRE_OK(by_name);
  BOOST_TEST(by_name->size() == 1U);

  auto verified = client->verify_token(cf::TokenOwner::user(), created->value);
  REQUIRE_OK(verified);
  BOOST_TEST(verified->id == created->token.id);
  BOOST_TEST(verified->status == "active");

  // The admin state shows policies and conditions, never the value.
  const std::string state = emu.state_text();
  BOOST_TEST(state.find(created->token.id) != std::string::npos);
  BOOST_TEST(state.find("127.0.0.7/32") != std::string::npos);
  BOOST_TEST(state.find(value) == std::string::npos);
  BOOST_TEST(state.find(k_test_key) == std::string::npos);

  auto deleted = client->delete_token(cf::TokenOwner::user(), created->token.id);
  REQUIRE_OK(deleted);
  auto gone = client->get_token(cf::TokenOwner::user(), created->token.id);
  BOOST_REQUIRE(!gone);
  BOOST_TEST(static_cast<int>(gone.error().code()) == static_cast<int>(ErrorCode::not_found));
  auto revoked = client->verify_token(cf::TokenOwner::user(), created->value);
  BOOST_REQUIRE(!revoked);
  BOOST_TEST(static_cast<int>(revoked.error().code()) == static_cast<int>(ErrorCode::auth));
  BOOST_TEST(revoked.error().api_code() == 1000);
  BOOST_TEST(revoked.error().message().find(value) == std::string::npos);
}

BOOST_AUTO_TEST_CASE(bearer_bootstrap_token_creates_user_and_account_tokens)
{
  EmulatorProcess emu({});
  auto client = make_client(emu, bearer(k_bootstrap_token));
  cf::TokenSpec spec;
  spec.name = "account-owned";
  spec.policies.push_back(zone_policy({k_dns_read}, k_zone_org));
  auto account_token = client->create_token(cf::TokenOwner::account(k_account), spec);
  REQUIRE_OK(account_token);
  auto v = client->verify_token(cf::TokenOwner::account(k_account), account_token->value);
  REQUIRE_OK(v);
  // An account-owned token is not valid on the user verify endpoint.
  BOOST_TEST(!client->verify_token(cf::TokenOwner::user(), account_token->value));
  auto account_tokens = client->list_tokens(cf::TokenOwner::account(k_account));
  REQUIRE_OK(account_tokens);
  BOOST_TEST(account_tokens->size() == 1U);
  auto account_groups = client->list_permission_groups(cf::TokenOwner::account(k_account));
  REQUIRE_OK(account_groups);
  for (const auto& g : *account_groups) {
    BOOST_TEST(g.scopes.front() != "com.cloudflare.api.user");
  }
  spec.name = "user-owned";
  auto user_token = client->create_token(cf::TokenOwner::user(), spec);
  REQUIRE_OK(user_token);
  REQUIRE_OK(client->delete_token(cf::TokenOwner::account(k_account), account_token->token.id));
  // The bootstrap token has no User Details Read: GET /user is refused.
  auto user = client->get_user();
  BOOST_REQUIRE(!user);
  BOOST_TEST(user.error().http_status() == 403);
}

BOOST_AUTO_TEST_CASE(token_policies_are_enforced_per_zone_and_permission)
{
  EmulatorProcess emu({});
  auto admin = make_client(emu, global_key());
  cf::TokenSpec spec;
  spec.name = "narrow";
  spec.policies.push_back(zone_policy({k_zone_read, k_dns_write, k_settings_read, k_cache_purge, k_analytics_read}, k_zone_com));
  auto narrow = admin->create_token(cf::TokenOwner::user(), spec);
  REQUIRE_OK(narrow);
  auto client = make_client(emu, cf::Credentials(cf::BearerToken{narrow->value.clone()}));

  auto zones = client->list_zones();
  REQUIRE_OK(zones);
  BOOST_REQUIRE_EQUAL(zones->size(), 1U); // only what the token covers is visible
  BOOST_TEST(zones->front().name == "example.com");

  const std::string com = std::string("/zones/") + k_zone_com;
  const std::string org = std::string("/zones/") + k_zone_org;
  using cf::Idempotency;
  BOOST_TEST(client->call("GET", com, "", "", Idempotency::idempotent).has_value());
  BOOST_TEST(client->call("GET", com + "/dns_records", "", "", Idempotency::idempotent).has_value());
  auto rec = client->call("POST", com + "/dns_records", "", R"({"type":"TXT","name":"_probe.example.com","content":"x"})",
                          Idempotency::not_idempotent);
  REQUIRE_OK(rec);
  BOOST_TEST(client->call("GET", com + "/settings", "", "", Idempotency::idempotent).has_value());
  BOOST_TEST(client->call("POST", com + "/purge_cache", "", R"({"purge_everything":true})", Idempotency::not_idempotent).has_value());
  BOOST_TEST(client->call("GET", com + "/analytics/dashboard", "", "", Idempotency::idempotent).has_value());
  // Too narrow: settings write, and everything on example.org.
  auto settings_write = client->call("PATCH", com + "/settings/ssl", "", R"({"value":"strict"})", Idempotency::idempotent);
  BOOST_REQUIRE(!settings_write);
  BOOST_TEST(settings_write.error().http_status() == 403);
  BOOST_TEST(settings_write.error().api_code() == 10000);
  for (const std::string& path : {org, org + "/dns_records", org + "/settings", org + "/analytics/dashboard"}) {
    auto r = client->call("GET", path, "", "", Idempotency::idempotent);
    BOOST_TEST(!r, path);
    if (!r) {
      BOOST_TEST(static_cast<int>(r.error().code()) == static_cast<int>(ErrorCode::auth));
    }
  }
  auto purge_org = client->call("POST", org + "/purge_cache", "", "{}", Idempotency::not_idempotent);
  BOOST_TEST(!purge_org);
  // It cannot manage tokens either.
  BOOST_TEST(!client->list_tokens());

  // A deny policy wins over an allow.
  cf::TokenSpec deny = spec;
  deny.name = "deny-dns";
  cf::Policy d = zone_policy({k_dns_write}, k_zone_com);
  d.effect = cf::Effect::deny;
  deny.policies.push_back(d);
  auto denied = admin->create_token(cf::TokenOwner::user(), deny);
  REQUIRE_OK(denied);
  auto denied_client = make_client(emu, cf::Credentials(cf::BearerToken{denied->value.clone()}));
  BOOST_TEST(!denied_client->call("GET", com + "/dns_records", "", "", Idempotency::idempotent));
  BOOST_TEST(denied_client->call("GET", com, "", "", Idempotency::idempotent).has_value());

  // An IP condition that excludes 127.0.0.1 makes the token unusable from here (9109).
  cf::TokenSpec elsewhere = spec;
  elsewhere.name = "elsewhere";
  elsewhere.request_ip = cf::IpCondition{{"192.0.2.0/24"}, {}};
  auto far = admin->create_token(cf::TokenOwner::user(), elsewhere);
  REQUIRE_OK(far);
  auto far_client = make_client(emu, cf::Credentials(cf::BearerToken{far->value.clone()}));
  auto far_call = far_client->call("GET", com, "", "", Idempotency::idempotent);
  BOOST_REQUIRE(!far_call);
  BOOST_TEST(far_call.error().api_code() == 9109);
}

BOOST_AUTO_TEST_CASE(create_bodies_are_validated_like_cloudflare)
{
  EmulatorProcess emu({});
  auto client = make_client(emu, global_key());
  auto attempt = [&](cf::TokenSpec spec) {
    auto r = client->create_token(cf::TokenOwner::user(), spec);
    BOOST_REQUIRE(!r);
    BOOST_TEST(r.error().http_status() == 400);
    BOOST_TEST(r.error().message().find(k_test_key) == std::string::npos);
    return r.error().api_code();
  };
  cf::TokenSpec base;
  base.name = "x";
  base.policies.push_back(zone_policy({k_zone_read}, k_zone_com));

  cf::TokenSpec unknown_group = base;
  unknown_group.policies[0].permission_group_ids = {"00000000000000000000000000000000"};
  BOOST_TEST(attempt(unknown_group) == 1003);
  cf::TokenSpec wrong_scope = base; // a user-scope group on a zone resource
  wrong_scope.policies[0].permission_group_ids = {k_api_tokens_write};
  BOOST_TEST(attempt(wrong_scope) == 1003);
  cf::TokenSpec unknown_zone = base;
  unknown_zone.policies[0].resources = {{"com.cloudflare.api.account.zone.ffffffffffffffffffffffffffffffff", std::string("*")}};
  BOOST_TEST(attempt(unknown_zone) == 1004);
  cf::TokenSpec no_policies = base;
  no_policies.policies.clear();
  BOOST_TEST(attempt(no_policies) == 1002);
  cf::TokenSpec bad_cidr = base;
  bad_cidr.request_ip = cf::IpCondition{{"10.0.0.300/8"}, {}};
  BOOST_TEST(attempt(bad_cidr) == 1005);
  cf::TokenSpec past = base;
  past.expires_on = "2001-01-01T00:00:00Z";
  BOOST_TEST(attempt(past) == 1006);
  cf::TokenSpec bad_date = base;
  bad_date.not_before = "tomorrow";
  BOOST_TEST(attempt(bad_date) == 1006);
  cf::TokenSpec long_name = base;
  long_name.name = std::string(121, 'n');
  BOOST_TEST(attempt(long_name) == 1001);
  // Nested account form is accepted.
  cf::TokenSpec nested = base;
  nested.policies[0].resources = {{std::string("com.cloudflare.api.account.") + k_account,
                                   cf::NestedResources{{"com.cloudflare.api.account.zone.*", "*"}}}};
  REQUIRE_OK(client->create_token(cf::TokenOwner::user(), nested));
  BOOST_TEST(emu.state_text().find(k_test_key) == std::string::npos);
}

BOOST_AUTO_TEST_CASE(wrong_global_key_is_refused_without_echoing_it)
{
  EmulatorProcess emu({});
  const std::string wrong = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
  auto client = make_client(emu, cf::Credentials(cf::GlobalKey{k_test_email, Secret(wrong)}));
  auto r = client->get_user();
  BOOST_REQUIRE(!r);
  BOOST_TEST(static_cast<int>(r.error().code()) == static_cast<int>(ErrorCode::auth));
  BOOST_TEST(r.error().api_code() == 9103);
  BOOST_TEST(r.error().message().find(wrong) == std::string::npos);
}

BOOST_AUTO_TEST_CASE(wrong_ca_is_refused)
{
  EmulatorProcess emu({});
  TempDir other;
  auto material = emulator::generate_tls_material(other.path() + "/tls", "another");
  BOOST_REQUIRE(material.has_value());
  auto options = emu.client_options();
  options.ca_file = material->ca_cert_path;
  options.retry = cf::RetryPolicy::none();
  auto client = cf::Client::create(options, global_key());
  REQUIRE_OK(client);
  auto r = (*client)->get_user();
  BOOST_REQUIRE(!r);
  BOOST_TEST(static_cast<int>(r.error().code()) == static_cast<int>(ErrorCode::network));
  BOOST_TEST(r.error().message().find("certificate verify failed") != std::string::npos, r.error().message());
  BOOST_TEST(emu.state().as_object().at("requests").to_number<std::uint64_t>() == 0U);
}

BOOST_AUTO_TEST_CASE(system_store_does_not_trust_the_emulator)
{
  EmulatorProcess emu({});
  auto options = emu.client_options();
  options.ca_file.clear();
  options.retry = cf::RetryPolicy::none();
  auto client = cf::Client::create(options, global_key());
  REQUIRE_OK(client);
  BOOST_TEST(!(*client)->get_user());
}

BOOST_AUTO_TEST_CASE(plain_http_is_only_for_loopback)
{
  cf::ClientOptions options;
  options.api_base = "http://api.cloudflare.com/client/v4";
  auto client = cf::Client::create(options, global_key());
  BOOST_REQUIRE(!client);
  BOOST_TEST(static_cast<int>(client.error().code()) == static_cast<int>(ErrorCode::invalid_argument));
  options.api_base = "http://192.0.2.10:8080/client/v4";
  BOOST_TEST(!cf::Client::create(options, global_key()));

  EmulatorProcess emu({}, 0, /*http=*/true);
  BOOST_TEST(emu.base_url().rfind("http://127.0.0.1:", 0) == 0U);
  auto local = cf::Client::create(emu.client_options(), global_key());
  REQUIRE_OK(local);
  REQUIRE_OK((*local)->get_user());
}

BOOST_AUTO_TEST_CASE(emulator_refuses_non_loopback_and_stops_on_sigterm)
{
  EmulatorProcess emu({});
  BOOST_TEST(emu.stop() == 0);
  TempDir dir;
  const std::string seed = write_test_seed(dir.path());
  const std::string cmd = std::string(CFMIGRATE_EMULATOR_BINARY) + " --http --listen 0.0.0.0:0 --seed " + seed + " >/dev/null 2>&1";
  const int status = std::system(cmd.c_str());
  BOOST_TEST(WEXITSTATUS(status) == 1);
}

BOOST_AUTO_TEST_SUITE_END()
