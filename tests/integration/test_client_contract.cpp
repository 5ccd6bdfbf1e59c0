// Drives every typed client call against CFMIGRATE_CONTRACT_API_BASE (Prism in proxy mode in front
// of the emulator, see tests/contract/run.sh). Skipped unless that variable is set. Prism answers
// any request or response that violates the official OpenAPI schema with an error, so every call
// must succeed.

#include "test_emulator_process.hpp"

#include <cfmigrate/cloudflare/client.hpp>

#include <boost/test/unit_test.hpp>

#include <cstdlib>

using namespace cfmigrate;
using namespace cfmigrate::testing;
namespace cf = cfmigrate::cloudflare;
namespace utf = boost::unit_test;

#define CONTRACT_OK(r)                                                                                  \
  do {                                                                                                 \
    const auto& contract_ok_ = (r);                                                                    \
    BOOST_REQUIRE_MESSAGE(contract_ok_.has_value(), (contract_ok_ ? std::string() : contract_ok_.error().message())); \
  } while (false)

namespace {

bool contract_base_set()
{
  const char* v = std::getenv("CFMIGRATE_CONTRACT_API_BASE");
  return v != nullptr && *v != '\0';
}

std::unique_ptr<cf::Client> contract_client(cf::Credentials creds)
{
  cf::ClientOptions o;
  o.api_base = std::getenv("CFMIGRATE_CONTRACT_API_BASE");
  o.proxy = cf::ProxySettings{};
  o.retry = cf::RetryPolicy::none(); // a violation must surface, not be retried away
  auto c = cf::Client::create(o, std::move(creds));
  BOOST_REQUIRE(c.has_value());
  return std::move(*c);
}

} // namespace

BOOST_AUTO_TEST_SUITE(client_contract, *utf::precondition([](utf::test_unit_id) {
  return boost::test_tools::assertion_result(contract_base_set());
}))

BOOST_AUTO_TEST_CASE(every_call_with_the_global_key_and_a_bootstrap_token)
{
  auto gk = contract_client(global_key());
  CONTRACT_OK(gk->get_user());
  CONTRACT_OK(gk->list_accounts());
  CONTRACT_OK(gk->list_zones());
  CONTRACT_OK(gk->list_zones(cf::ZoneFilter{std::string("example.org"), std::string(k_account), std::string("active")}));
  CONTRACT_OK(gk->list_permission_groups());
  CONTRACT_OK(gk->list_permission_groups(cf::TokenOwner::account(k_account)));

  cf::TokenSpec spec;
  spec.name = "contract: web-1";
  spec.policies.push_back(zone_policy({k_zone_read, k_dns_write}, k_zone_com));
  cf::Policy nested;
  nested.permission_group_ids = {k_dns_read};
  nested.resources[std::string("com.cloudflare.api.account.") + k_account] =
    cf::NestedResources{{"com.cloudflare.api.account.zone.*", "*"}};
  spec.policies.push_back(nested);
  spec.request_ip = cf::IpCondition{{"127.0.0.0/8"}, {"127.0.0.9/32"}};
  spec.not_before = "2020-01-01T00:00:00Z";
  spec.expires_on = "2099-01-01T00:00:00Z";
  auto created = gk->create_token(cf::TokenOwner::user(), spec);
  CONTRACT_OK(created);
  CONTRACT_OK(gk->get_token(cf::TokenOwner::user(), created->token.id));
  CONTRACT_OK(gk->list_tokens());
  CONTRACT_OK(gk->find_tokens_by_name(cf::TokenOwner::user(), spec.name));
  CONTRACT_OK(gk->verify_token(cf::TokenOwner::user(), created->value));
  CONTRACT_OK(gk->delete_token(cf::TokenOwner::user(), created->token.id));

  auto bt = contract_client(bearer(k_bootstrap_token));
  spec.name = "contract: account-owned";
  spec.policies.resize(1);
  auto account_token = bt->create_token(cf::TokenOwner::account(k_account), spec);
  CONTRACT_OK(account_token);
  CONTRACT_OK(bt->get_token(cf::TokenOwner::account(k_account), account_token->token.id));
  CONTRACT_OK(bt->list_tokens(cf::TokenOwner::account(k_account)));
  CONTRACT_OK(bt->verify_token(cf::TokenOwner::account(k_account), account_token->value));
  CONTRACT_OK(bt->delete_token(cf::TokenOwner::account(k_account), account_token->token.id));
  spec.name = "contract: via bootstrap";
  auto user_token = bt->create_token(cf::TokenOwner::user(), spec);
  CONTRACT_OK(user_token);
  CONTRACT_OK(bt->delete_token(cf::TokenOwner::user(), user_token->token.id));
  CONTRACT_OK(bt->list_zones());
}

BOOST_AUTO_TEST_SUITE_END()
