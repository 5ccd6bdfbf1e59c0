#include <cfmigrate/cloudflare/client.hpp>

#include <boost/test/unit_test.hpp>

#include <deque>

using namespace cfmigrate;
using namespace cfmigrate::cloudflare;
using namespace std::chrono_literals;

namespace {

// Answers from a script and records what was sent (without credential values).
class FakeTransport final : public Transport {
public:
  struct Shared {
    std::deque<Result<HttpResponse>> answers;
    std::vector<std::string> targets;
    std::vector<std::string> secret_header_names;
  };
  explicit FakeTransport(std::shared_ptr<Shared> shared) : m_shared(std::move(shared)) {}
  Result<HttpResponse> send(const HttpRequest& request, SendInfo& info) override
  {
    m_shared->targets.push_back(request.method + " " + request.target);
    for (const auto& h : request.secret_headers) {
      m_shared->secret_header_names.push_back(h.name);
    }
    info.request_written = true;
    if (m_shared->answers.empty()) {
      return make_error(ErrorCode::network, "no scripted answer");
    }
    auto a = std::move(m_shared->answers.front());
    m_shared->answers.pop_front();
    return a;
  }

private:
  std::shared_ptr<Shared> m_shared;
};

HttpResponse answer(unsigned status, std::string body, std::vector<HttpHeader> headers = {})
{
  return HttpResponse{status, std::move(headers), std::move(body)};
}

struct Fixture {
  std::shared_ptr<FakeTransport::Shared> shared = std::make_shared<FakeTransport::Shared>();
  std::shared_ptr<ManualClock> clock = std::make_shared<ManualClock>();
  std::unique_ptr<Client> client;
  const std::string key = "0123456789abcdef0123456789abcdef01234";

  Fixture()
  {
    ClientOptions o;
    o.api_base = "https://api.example.test/client/v4";
    o.limiter = std::make_shared<RateLimiter>(RateLimit{1200, 300s}, clock);
    o.retry.random = [] { return 0.5; };
    client = std::move(*Client::create_with_transport(o, Credentials(GlobalKey{"a@example.com", Secret(key)}),
                                                      std::make_unique<FakeTransport>(shared)));
  }
};

std::string zone_page(int first, int count, int total)
{
  std::string items;
  for (int i = 0; i < count; ++i) {
    items += (i != 0 ? "," : "") + std::string(R"({"id":"z)") + std::to_string(first + i) + R"(","name":"n)"
             + std::to_string(first + i) + R"(.example","status":"active","account":{"id":"a","name":"A"}})";
  }
  return R"({"success":true,"errors":[],"messages":[],"result":[)" + items + R"(],"result_info":{"page":1,"per_page":50,"count":)"
         + std::to_string(count) + R"(,"total_count":)" + std::to_string(total) + "}}";
}

} // namespace

BOOST_AUTO_TEST_SUITE(client)

BOOST_FIXTURE_TEST_CASE(list_zones_reads_every_page, Fixture)
{
  shared->answers.emplace_back(answer(200, zone_page(0, 50, 120)));
  shared->answers.emplace_back(answer(200, zone_page(50, 50, 120)));
  shared->answers.emplace_back(answer(200, zone_page(100, 20, 120)));
  auto zones = client->list_zones(ZoneFilter{std::string("contains:.example"), std::nullopt, std::nullopt});
  BOOST_REQUIRE(zones.has_value());
  BOOST_TEST(zones->size() == 120U);
  BOOST_REQUIRE_EQUAL(shared->targets.size(), 3U);
  BOOST_TEST(shared->targets[0] == "GET /client/v4/zones?name=contains%3A.example&page=1&per_page=50");
  BOOST_TEST(shared->targets[2] == "GET /client/v4/zones?name=contains%3A.example&page=3&per_page=50");
  // Credentials travel only as secret headers.
  BOOST_TEST(shared->secret_header_names.front() == "X-Auth-Key");
}

BOOST_FIXTURE_TEST_CASE(an_empty_page_ends_the_listing, Fixture)
{
  shared->answers.emplace_back(answer(200, R"({"success":true,"errors":[],"messages":[],"result":[]})"));
  auto zones = client->list_zones();
  BOOST_REQUIRE(zones.has_value());
  BOOST_TEST(zones->empty());
}

BOOST_FIXTURE_TEST_CASE(errors_are_typed_and_redacted, Fixture)
{
  // A server that echoes the key must not get it into the message.
  shared->answers.emplace_back(answer(403, R"({"success":false,"errors":[{"code":9103,"message":"Unknown X-Auth-Key )" + key
                                             + R"("}],"messages":[],"result":null})"));
  auto user = client->get_user();
  BOOST_REQUIRE(!user);
  BOOST_TEST(static_cast<int>(user.error().code()) == static_cast<int>(ErrorCode::auth));
  BOOST_TEST(user.error().http_status() == 403);
  BOOST_TEST(user.error().api_code() == 9103);
  BOOST_TEST(user.error().message().find(key) == std::string::npos);
  BOOST_TEST(user.error().message().find("********") != std::string::npos);

  shared->answers.emplace_back(answer(200, "not json"));
  auto bad = client->get_user();
  BOOST_REQUIRE(!bad);
  BOOST_TEST(static_cast<int>(bad.error().code()) == static_cast<int>(ErrorCode::parse));
}

BOOST_FIXTURE_TEST_CASE(retry_after_is_honoured_without_real_sleeping, Fixture)
{
  shared->answers.emplace_back(answer(429, R"({"success":false,"errors":[{"code":10000,"message":"rate"}],"messages":[],"result":null})",
                                      {{"Retry-After", "4"}}));
  shared->answers.emplace_back(answer(200, R"({"success":true,"errors":[],"messages":[],"result":{"id":"u1","email":"a@example.com"}})"));
  auto user = client->get_user();
  BOOST_REQUIRE(user.has_value());
  BOOST_TEST(user->id == "u1");
  BOOST_TEST(std::chrono::duration_cast<std::chrono::milliseconds>(clock->total_slept()).count() >= 4000);
}

BOOST_FIXTURE_TEST_CASE(create_after_unknown_outcome_looks_up_by_name, Fixture)
{
  shared->answers.emplace_back(answer(502, "bad gateway"));
  // Lookup: a token with that name exists -> conflict, no second POST.
  shared->answers.emplace_back(answer(200, R"({"success":true,"errors":[],"messages":[],"result":[{"id":"t1","name":"web","status":"active"}],"result_info":{"page":1,"per_page":50,"count":1,"total_count":1}})"));
  TokenSpec spec;
  spec.name = "web";
  auto created = client->create_token(TokenOwner::user(), spec);
  BOOST_REQUIRE(!created);
  BOOST_TEST(static_cast<int>(created.error().code()) == static_cast<int>(ErrorCode::conflict));
  BOOST_TEST(created.error().message().find("t1") != std::string::npos);
  BOOST_REQUIRE_EQUAL(shared->targets.size(), 2U);
  BOOST_TEST(shared->targets[0] == "POST /client/v4/user/tokens");
  BOOST_TEST(shared->targets[1].rfind("GET /client/v4/user/tokens?", 0) == 0U);
}

BOOST_FIXTURE_TEST_CASE(created_token_value_goes_into_a_secret, Fixture)
{
  const std::string value = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-xy";
  shared->answers.emplace_back(answer(200, R"({"success":true,"errors":[],"messages":[],"result":{"id":"t9","name":"n","status":"active","value":")"
                                             + value + R"(","policies":[{"id":"p","effect":"allow","permission_groups":[{"id":"g"}],"resources":{"com.cloudflare.api.account.zone.z":"*"}}],"condition":{"request_ip":{"in":["192.0.2.0/24"]}}}})"));
  TokenSpec spec;
  spec.name = "n";
  auto created = client->create_token(TokenOwner::account("acc"), spec);
  BOOST_REQUIRE(created.has_value());
  BOOST_TEST(created->value.expose_secret_value_for_use_in_credential_slot() == value);
  BOOST_TEST(created->token.request_ip->in.front() == "192.0.2.0/24");
  BOOST_TEST(shared->targets[0] == "POST /client/v4/accounts/acc/tokens");
}

BOOST_AUTO_TEST_SUITE_END()
