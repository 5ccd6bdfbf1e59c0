#include <cfmigrate/plan/permission_names.hpp>

#include <boost/test/unit_test.hpp>

using namespace cfmigrate;
using namespace cfmigrate::plan;
using recipe::PermissionScope;

BOOST_AUTO_TEST_SUITE(permission_names)

BOOST_AUTO_TEST_CASE(scope_keys)
{
  BOOST_TEST(std::string(scope_key(PermissionScope::zone)) == "com.cloudflare.api.account.zone");
  BOOST_TEST(std::string(scope_key(PermissionScope::account)) == "com.cloudflare.api.account");
  BOOST_TEST(std::string(scope_key(PermissionScope::user)) == "com.cloudflare.api.user");
}

BOOST_AUTO_TEST_CASE(names_resolve_per_scope)
{
  std::vector<cloudflare::PermissionGroup> groups{
    {"zone-dns", "DNS Write", {"com.cloudflare.api.account.zone"}},
    {"acct-dns", "DNS Write", {"com.cloudflare.api.account"}},
    {"tokens", "API Tokens Write", {"com.cloudflare.api.user"}},
  };
  auto zone = resolve_permission(groups, {"DNS Write", PermissionScope::zone});
  BOOST_TEST_REQUIRE(zone.has_value());
  BOOST_TEST(zone->id == "zone-dns");
  BOOST_TEST(zone->name == "DNS Write");
  BOOST_TEST(zone->scope == "zone");
  auto account = resolve_permission(groups, {"DNS Write", PermissionScope::account});
  BOOST_TEST_REQUIRE(account.has_value());
  BOOST_TEST(account->id == "acct-dns");
  BOOST_TEST(account->scope == "account");
  BOOST_TEST(!resolve_permission(groups, {"API Tokens Write", PermissionScope::zone}).has_value());
  BOOST_TEST(!resolve_permission(groups, {"Zone Read", PermissionScope::zone}).has_value());
}

BOOST_AUTO_TEST_CASE(dashboard_notation)
{
  BOOST_TEST(dashboard_name({"x", "DNS Write", "zone"}) == "Zone:DNS:Edit");
  BOOST_TEST(dashboard_name({"x", "Account Settings Read", "account"}) == "Account:Account Settings:Read");
  BOOST_TEST(dashboard_name({"x", "Cache Purge", "zone"}) == "Zone:Cache Purge");
  BOOST_TEST(dashboard_name({"x", "API Tokens Write", "user"}) == "User:API Tokens:Edit");
}

BOOST_AUTO_TEST_SUITE_END()
