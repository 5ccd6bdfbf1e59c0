#include <cfmigrate/emulator/service.hpp>

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

using namespace cfmigrate;
using namespace cfmigrate::emulator;
using namespace std::chrono_literals;

namespace {

constexpr const char* k_key = "0f3a5c7e9b1d2f4a6c8e0b2d4f6a8c0e1a3c5";

enum class Credentials { global_key, none };

std::int64_t error_of(const Response& r)
{
  const auto body = boost::json::parse(r.body);
  BOOST_TEST(body.at("success").as_bool() == false);
  return body.at("errors").at(0).at("code").as_int64();
}

struct Fixture {
  std::shared_ptr<cloudflare::ManualClock> clock = std::make_shared<cloudflare::ManualClock>();
  std::unique_ptr<Service> service;
  static Result<State> make_state()
  {
    auto seed = boost::json::parse(R"({"users":[{"id":"u1","email":"a@example.com","global_key":")" + std::string(k_key)
                                   + R"(","accounts":["acc"]}],"accounts":[{"id":"acc","name":"A"}],
        "zones":[{"id":"z1","name":"example.com","account":"acc"},{"id":"z2","name":"example.org","account":"acc"}]})");
    auto groups = boost::json::parse(R"([{"id":"zr","name":"Zone Read","scope":"com.cloudflare.api.account.zone"}])");
    return State::from_json(seed, groups);
  }
  Fixture()
  {
    auto state = make_state();
    BOOST_REQUIRE(state.has_value());
    ServiceOptions options;
    options.rate_limit = cloudflare::RateLimit{3, 10'000ms};
    service = std::make_unique<Service>(std::move(*state), options, clock);
  }
  void without_rate_limit()
  {
    ServiceOptions options;
    options.rate_limit.requests = 0;
    service = std::make_unique<Service>(std::move(*make_state()), options, clock);
  }
  Response get(const std::string& target, Credentials credentials = Credentials::global_key)
  {
    return call("GET", target, credentials);
  }
  Response call(const std::string& method, const std::string& target, Credentials credentials = Credentials::global_key)
  {
    Request r;
    r.method = method;
    r.target = target;
    if (credentials == Credentials::global_key) {
      r.headers = {{"X-Auth-Email", "a@example.com"}, {"X-Auth-Key", k_key}};
    }
    return service->handle(r);
  }
};

} // namespace

BOOST_AUTO_TEST_SUITE(service)

BOOST_FIXTURE_TEST_CASE(authentication_and_pagination, Fixture)
{
  BOOST_TEST(get("/client/v4/zones", Credentials::none).status == 400U); // 9106
  BOOST_TEST(get("/client/v4/zones?per_page=4").status == 400U);
  const Response page = get("/client/v4/zones?per_page=5&page=1");
  BOOST_TEST(page.status == 200U);
  const auto body = boost::json::parse(page.body);
  BOOST_TEST(body.at("result").as_array().size() == 2U);
  BOOST_TEST(body.at("result_info").at("total_count").as_int64() == 2);
}

BOOST_FIXTURE_TEST_CASE(fixed_window_rate_limit_answers_429_until_the_window_ends, Fixture)
{
  for (int i = 0; i < 3; ++i) {
    BOOST_TEST(get("/client/v4/user").status != 429U);
  }
  const Response limited = get("/client/v4/user");
  BOOST_TEST(limited.status == 429U);
  bool has_retry_after = false;
  for (const auto& [k, v] : limited.headers) {
    has_retry_after = has_retry_after || (k == "Retry-After" && v == "10");
  }
  BOOST_TEST(has_retry_after);
  clock->advance(9s);
  BOOST_TEST(get("/client/v4/user").status == 429U);
  clock->advance(1s);
  BOOST_TEST(get("/client/v4/user").status == 200U); // a new window
}

BOOST_FIXTURE_TEST_CASE(unknown_paths_and_admin_state, Fixture)
{
  BOOST_TEST(get("/elsewhere").status == 404U);
  const Response state = get("/__emulator/state", Credentials::none);
  BOOST_TEST(state.status == 200U);
  BOOST_TEST(state.body.find(k_key) == std::string::npos);
}

BOOST_FIXTURE_TEST_CASE(route_table_answers_unknown_routes_after_authentication, Fixture)
{
  without_rate_limit();
  const Response unknown = get("/client/v4/nothing/here");
  BOOST_TEST(unknown.status == 404U);
  BOOST_TEST(error_of(unknown) == 7003);
  BOOST_TEST(error_of(get("/client/v4/nothing/here", Credentials::none)) == 9106); // credentials first
  // {zone_id} is matched and resolved: a known zone answers, an unknown one is 1001 even below it.
  BOOST_TEST(get("/client/v4/zones/z1").status == 200U);
  BOOST_TEST(get("/client/v4/zones//z1/").status == 200U);
  BOOST_TEST(error_of(get("/client/v4/zones/nope")) == 1001);
  BOOST_TEST(error_of(get("/client/v4/zones/nope/no_such_thing")) == 1001);
  BOOST_TEST(error_of(get("/client/v4/zones/z1/no_such_thing")) == 7003);
  BOOST_TEST(error_of(get("/client/v4/zones/z1/dns_records/r1")) == 7003); // DELETE only
}

BOOST_FIXTURE_TEST_CASE(route_table_method_mismatch_is_no_route_after_the_ids_are_resolved, Fixture)
{
  without_rate_limit();
  BOOST_TEST(call("DELETE", "/client/v4/zones/z1").status == 404U);
  BOOST_TEST(error_of(call("DELETE", "/client/v4/zones/z1")) == 7003);
  BOOST_TEST(error_of(call("DELETE", "/client/v4/zones/nope")) == 1001);
  BOOST_TEST(error_of(call("POST", "/client/v4/user")) == 7003);
  // GET .../tokens/verify is a route; with another method "verify" is taken for a token id.
  BOOST_TEST(error_of(call("GET", "/client/v4/user/tokens/verify")) == 1000); // a Global key is no token
  BOOST_TEST(error_of(call("POST", "/client/v4/user/tokens/verify")) == 1003);
  BOOST_TEST(error_of(call("PATCH", "/client/v4/user/tokens")) == 7003);
  BOOST_TEST(error_of(call("GET", "/client/v4/accounts/other/tokens/verify")) == 10000);
  BOOST_TEST(error_of(call("HEAD", "/client/v4/accounts/acc/tokens")) == 7003);
}

BOOST_AUTO_TEST_CASE(cidr_matching)
{
  BOOST_TEST(ip_in_cidr("127.0.0.1", "127.0.0.0/8"));
  BOOST_TEST(!ip_in_cidr("128.0.0.1", "127.0.0.0/8"));
  BOOST_TEST(ip_in_cidr("192.0.2.7", "192.0.2.7/32"));
  BOOST_TEST(ip_in_cidr("2400:cb00::1", "2400:cb00::/32"));
  BOOST_TEST(!ip_in_cidr("127.0.0.1", "2400:cb00::/32"));
  BOOST_TEST(!is_valid_cidr("10.0.0.1"));
  BOOST_TEST(!is_valid_cidr("10.0.0.1/33"));
}

BOOST_AUTO_TEST_SUITE_END()
