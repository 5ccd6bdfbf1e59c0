// attributable_token_ids and delete_token_ids (issue 12, finding 3) against the emulator's request
// handling in-process: a journalled id is used as it is, with no lookup; a create whose outcome is
// unknown is matched by exact name, only among tokens issued after its intent (less the clock
// skew) and recorded by no other migration; deletion journals before and after each call.

#include <cfmigrate/exec/token_deletion.hpp>

#include <cfmigrate/emulator/service.hpp>
#include <cfmigrate/util/rfc3339.hpp>

#include "../../support/temp_dir.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

using namespace cfmigrate;
using namespace cfmigrate::exec;
namespace json = boost::json;

namespace {

constexpr const char* k_email = "a@example.com";
constexpr const char* k_key = "0f3a5c7e9b1d2f4a6c8e0b2d4f6a8c0e1a3c5"; // 37 hex, test only
constexpr const char* k_name = "cfmigrate web-01 certbot/0a1b2c3d";

// Hands the client's requests to an in-process emulator::Service and counts them.
class ServiceTransport final : public cloudflare::Transport {
public:
  ServiceTransport(emulator::Service& service, unsigned& requests) : m_service(service), m_requests(requests) {}
  Result<cloudflare::HttpResponse> send(const cloudflare::HttpRequest& request, cloudflare::SendInfo& info) override
  {
    ++m_requests;
    emulator::Request r;
    r.method = request.method;
    r.target = request.target;
    r.body = request.body;
    for (const auto& h : request.headers) {
      r.headers.emplace_back(h.name, h.value);
    }
    for (const auto& h : request.secret_headers) {
      r.headers.emplace_back(h.name, std::string(h.value.expose_secret_value_for_use_in_credential_slot()));
    }
    info.request_written = true;
    emulator::Response answer = m_service.handle(r);
    cloudflare::HttpResponse out;
    out.status = answer.status;
    out.body = answer.body;
    for (const auto& [name, value] : answer.headers) {
      out.headers.push_back(cloudflare::HttpHeader{name, value});
    }
    return out;
  }

private:
  emulator::Service& m_service;
  unsigned& m_requests;
};

std::string now_plus(std::chrono::seconds offset)
{
  return format_rfc3339(std::chrono::system_clock::now() + offset);
}

// An emulator seeded with tokens t1, t2 (named k_name) and t3 (another name), all issued now.
struct Fixture {
  unsigned requests = 0;
  std::unique_ptr<emulator::Service> service;
  std::unique_ptr<cloudflare::Client> client;
  std::vector<json::object> journal;

  Fixture()
  {
    const std::string token_value(40, 'T');
    json::value seed =
        json::parse(std::string(R"({"users":[{"id":"u1","email":")") + k_email + R"(","global_key":")" + k_key
                    + R"(","accounts":["acc"]}],"accounts":[{"id":"acc","name":"A"}],"zones":[],"tokens":[)"
                    + R"({"id":"t1","name":")" + k_name + R"(","user":"u1","value":")" + token_value + "1\"},"
                    + R"({"id":"t2","name":")" + k_name + R"(","user":"u1","value":")" + token_value + "2\"},"
                    + R"({"id":"t3","name":"someone else's token","user":"u1","value":")" + token_value + "3\"}]}");
    json::value groups =
        json::parse(test::read_file(std::string(CFMIGRATE_SOURCE_DIR) + "/data/permission_groups.json"));
    auto state = emulator::State::from_json(seed, groups);
    BOOST_TEST_REQUIRE(state.has_value(), state.error().message());
    emulator::ServiceOptions options;
    options.rate_limit.requests = 0;
    service = std::make_unique<emulator::Service>(std::move(*state), options);
    cloudflare::ClientOptions o;
    o.api_base = "https://api.example.test/client/v4";
    o.proxy = cloudflare::ProxySettings{};
    auto created = cloudflare::Client::create_with_transport(
        o, cloudflare::Credentials(cloudflare::GlobalKey{k_email, Secret(k_key)}),
        std::make_unique<ServiceTransport>(*service, requests));
    BOOST_TEST_REQUIRE(created.has_value(), created.error().message());
    client = std::move(*created);
  }

  std::vector<std::string> ids_on_emulator()
  {
    std::vector<std::string> ids;
    json::value admin = service->admin_state();
    for (const auto& t : admin.at("tokens").as_array()) {
      ids.emplace_back(t.at("id").as_string());
    }
    std::sort(ids.begin(), ids.end());
    return ids;
  }

  Result<unsigned> delete_ids(const TokenRecord& record, const std::vector<std::string>& ids, bool dry_run = false)
  {
    FaultInjector faults;
    TokenDeletion how{*client, faults,
                      [this](json::object r) -> Status {
                        journal.push_back(std::move(r));
                        return {};
                      },
                      [](const std::string&) {}, dry_run};
    return delete_token_ids(how, record, ids);
  }
};

TokenRecord unknown_outcome(std::string intent_time)
{
  TokenRecord r;
  r.key = "t_certbot";
  r.name = k_name;
  r.state = "create_intent";
  r.intent_time = std::move(intent_time);
  return r;
}

std::vector<std::string> sorted(std::vector<std::string> v)
{
  std::sort(v.begin(), v.end());
  return v;
}

} // namespace

BOOST_AUTO_TEST_SUITE(token_deletion)

BOOST_FIXTURE_TEST_CASE(a_journalled_id_is_used_without_asking_the_api, Fixture)
{
  TokenRecord r = unknown_outcome(now_plus(std::chrono::seconds(-60)));
  r.id = "t2";
  r.state = "verified";
  auto ids = attributable_token_ids(*client, r, {});
  BOOST_TEST_REQUIRE(ids.has_value());
  BOOST_TEST((*ids == std::vector<std::string>{"t2"}));
  BOOST_TEST(requests == 0U); // no lookup by name, even though t1 has the same name
}

BOOST_FIXTURE_TEST_CASE(an_unknown_create_matches_exact_name_issued_after_its_intent, Fixture)
{
  auto ids = attributable_token_ids(*client, unknown_outcome(now_plus(std::chrono::seconds(-60))), {});
  BOOST_TEST_REQUIRE(ids.has_value());
  BOOST_TEST((sorted(*ids) == std::vector<std::string>{"t1", "t2"})); // not t3: another name
  BOOST_TEST(requests > 0U);
}

BOOST_FIXTURE_TEST_CASE(tokens_recorded_by_another_migration_are_never_attributed, Fixture)
{
  auto ids = attributable_token_ids(*client, unknown_outcome(now_plus(std::chrono::seconds(-60))), {"t1"});
  BOOST_TEST_REQUIRE(ids.has_value());
  BOOST_TEST((*ids == std::vector<std::string>{"t2"}));
}

BOOST_FIXTURE_TEST_CASE(tokens_issued_before_the_intent_are_not_attributed, Fixture)
{
  // Issued now; an intent an hour from now cannot have created them.
  auto later = attributable_token_ids(*client, unknown_outcome(now_plus(std::chrono::hours(1))), {});
  BOOST_TEST_REQUIRE(later.has_value());
  BOOST_TEST(later->empty());
  // Within the allowed clock skew they still count (the API's clock may lag ours).
  auto skewed = attributable_token_ids(
      *client, unknown_outcome(now_plus(std::chrono::seconds(k_token_clock_skew_seconds / 2))), {});
  BOOST_TEST_REQUIRE(skewed.has_value());
  BOOST_TEST(skewed->size() == 2U);
  auto beyond = attributable_token_ids(
      *client, unknown_outcome(now_plus(std::chrono::seconds(k_token_clock_skew_seconds + 60))), {});
  BOOST_TEST_REQUIRE(beyond.has_value());
  BOOST_TEST(beyond->empty());
}

BOOST_FIXTURE_TEST_CASE(without_an_intent_time_or_a_name_nothing_is_attributed, Fixture)
{
  auto no_time = attributable_token_ids(*client, unknown_outcome(""), {});
  BOOST_TEST_REQUIRE(no_time.has_value());
  BOOST_TEST(no_time->empty());
  TokenRecord no_name = unknown_outcome(now_plus(std::chrono::seconds(-60)));
  no_name.name.clear();
  auto unnamed = attributable_token_ids(*client, no_name, {});
  BOOST_TEST_REQUIRE(unnamed.has_value());
  BOOST_TEST(unnamed->empty());
  BOOST_TEST(requests == 0U);
}

BOOST_FIXTURE_TEST_CASE(deletion_journals_around_each_call_and_counts_a_missing_token_as_deleted, Fixture)
{
  TokenRecord r = unknown_outcome(now_plus(std::chrono::seconds(-60)));
  auto deleted = delete_ids(r, {"t2", "gone-already"});
  BOOST_TEST_REQUIRE(deleted.has_value(), deleted.error().message());
  BOOST_TEST(*deleted == 2U);
  BOOST_TEST((ids_on_emulator() == std::vector<std::string>{"t1", "t3"}));
  BOOST_TEST_REQUIRE(journal.size() == 4U);
  const std::vector<std::pair<std::string, std::string>> expected{{"token_delete_intent", "t2"},
                                                                  {"token_deleted", "t2"},
                                                                  {"token_delete_intent", "gone-already"},
                                                                  {"token_deleted", "gone-already"}};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    BOOST_TEST(journal[i].at("type").as_string() == expected[i].first);
    BOOST_TEST(journal[i].at("id").as_string() == expected[i].second);
    BOOST_TEST(journal[i].at("token").as_string() == "t_certbot");
  }
}

BOOST_FIXTURE_TEST_CASE(a_dry_run_deletes_nothing, Fixture)
{
  auto deleted = delete_ids(unknown_outcome(now_plus(std::chrono::seconds(-60))), {"t1"}, true);
  BOOST_TEST_REQUIRE(deleted.has_value());
  BOOST_TEST(requests == 0U);
  BOOST_TEST((ids_on_emulator() == std::vector<std::string>{"t1", "t2", "t3"}));
}

BOOST_AUTO_TEST_SUITE_END()
