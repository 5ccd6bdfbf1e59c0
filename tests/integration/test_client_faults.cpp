// Fault injection and rate limits: the client against the emulator's 5xx, dropped connections,
// delays (timeouts), 429 with Retry-After, token propagation delay, and a rate-limited burst.

#include "test_emulator_process.hpp"

#include <cfmigrate/cloudflare/client.hpp>

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

std::unique_ptr<cf::Client> make_client(cf::ClientOptions options, cf::Credentials creds)
{
  auto client = cf::Client::create(std::move(options), std::move(creds));
  BOOST_REQUIRE_MESSAGE(client.has_value(), (client.has_value() ? std::string() : client.error().message()));
  return std::move(*client);
}

std::uint64_t count_in_log(const boost::json::value& state, const std::string& method, const std::string& path_suffix)
{
  std::uint64_t n = 0;
  for (const auto& e : state.as_object().at("log").as_array()) {
    const auto& o = e.as_object();
    const std::string path(o.at("path").as_string());
    if (o.at("method").as_string() == method && path.size() >= path_suffix.size()
        && path.compare(path.size() - path_suffix.size(), path_suffix.size(), path_suffix) == 0) {
      ++n;
    }
  }
  return n;
}

cf::TokenSpec simple_spec(const std::string& name)
{
  cf::TokenSpec spec;
  spec.name = name;
  spec.policies.push_back(zone_policy({k_zone_read}, k_zone_com));
  return spec;
}

} // namespace

BOOST_AUTO_TEST_SUITE(client_faults)

BOOST_AUTO_TEST_CASE(idempotent_call_retries_after_5xx_and_dropped_connection)
{
  EmulatorProcess emu({"--fail-nth", "1"});
  auto client = make_client(emu.client_options(), global_key());
  REQUIRE_OK(client->get_user()); // 1st request: 500, 2nd: ok
  BOOST_TEST(count_in_log(emu.state(), "GET", "/user") == 2U);

  emu.set_faults(R"({"drop_nth":1})");
  REQUIRE_OK(client->list_accounts()); // dropped, then retried on a new connection
  BOOST_TEST(count_in_log(emu.state(), "GET", "/accounts") == 2U);

  auto no_retry = emu.client_options();
  no_retry.retry = cf::RetryPolicy::none();
  auto strict = make_client(no_retry, global_key());
  emu.set_faults(R"({"fail_nth":1})");
  auto failed = strict->get_user();
  BOOST_REQUIRE(!failed);
  BOOST_TEST(failed.error().http_status() == 500);
  BOOST_TEST(static_cast<int>(failed.error().code()) == static_cast<int>(ErrorCode::http));
}

BOOST_AUTO_TEST_CASE(token_create_is_looked_up_before_it_is_tried_again)
{
  EmulatorProcess emu({});
  auto client = make_client(emu.client_options(), global_key());
  // 500 on the create: the outcome is unknown to the client, so it lists tokens by name first.
  emu.set_faults(R"({"fail_nth":1})");
  auto created = client->create_token(cf::TokenOwner::user(), simple_spec("after-500"));
  REQUIRE_OK(created);
  auto state = emu.state();
  BOOST_TEST(count_in_log(state, "POST", "/user/tokens") == 2U);
  BOOST_TEST(count_in_log(state, "GET", "/user/tokens") == 1U); // the lookup between the two

  // A dropped connection on the create: same.
  emu.set_faults(R"({"drop_nth":1})");
  REQUIRE_OK(client->create_token(cf::TokenOwner::user(), simple_spec("after-drop")));
  // A delay beyond the read timeout on the create: the token exists, its value is lost; the
  // client reports a conflict naming it instead of creating a second one.
  auto options = emu.client_options();
  options.timeouts.read = std::chrono::milliseconds(300);
  auto impatient = make_client(options, global_key());
  emu.set_faults(R"({"delay_nth":1,"delay_ms":800})");
  auto lost = impatient->create_token(cf::TokenOwner::user(), simple_spec("slow"));
  BOOST_REQUIRE(!lost);
  BOOST_TEST(static_cast<int>(lost.error().code()) == static_cast<int>(ErrorCode::conflict));
  BOOST_TEST(lost.error().message().find("slow") != std::string::npos);
  std::size_t named_slow = 0;
  const boost::json::value after = emu.state();
  for (const auto& t : after.as_object().at("tokens").as_array()) {
    named_slow += t.as_object().at("name") == "slow" ? 1U : 0U;
  }
  BOOST_TEST(named_slow == 1U);
}

BOOST_AUTO_TEST_CASE(delay_beyond_the_read_timeout_is_a_network_error)
{
  EmulatorProcess emu({"--delay-ms", "1500"});
  auto options = emu.client_options();
  options.timeouts.read = std::chrono::milliseconds(300);
  options.retry = cf::RetryPolicy::none();
  auto client = make_client(options, global_key());
  const auto start = std::chrono::steady_clock::now();
  auto r = client->get_user();
  const auto elapsed = std::chrono::steady_clock::now() - start;
  BOOST_REQUIRE(!r);
  BOOST_TEST(static_cast<int>(r.error().code()) == static_cast<int>(ErrorCode::network));
  BOOST_TEST(r.error().message().find("timed out") != std::string::npos, r.error().message());
  BOOST_TEST(elapsed < std::chrono::milliseconds(1400));
  emu.set_faults(R"({"delay_ms":0})");
  REQUIRE_OK(client->get_user()); // the session reconnects
}

BOOST_AUTO_TEST_CASE(answer_429_honours_retry_after)
{
  EmulatorProcess emu({"--answer-429-nth", "1"});
  auto client = make_client(emu.client_options(), global_key());
  const auto start = std::chrono::steady_clock::now();
  REQUIRE_OK(client->list_zones());
  const auto elapsed = std::chrono::steady_clock::now() - start;
  BOOST_TEST(elapsed >= std::chrono::milliseconds(950)); // Retry-After: 1
  BOOST_TEST(count_in_log(emu.state(), "GET", "/zones") == 2U);

  auto options = emu.client_options();
  options.retry = cf::RetryPolicy::none();
  auto strict = make_client(options, global_key());
  emu.set_faults(R"({"answer_429_nth":1})");
  auto limited = strict->get_user();
  BOOST_REQUIRE(!limited);
  BOOST_TEST(static_cast<int>(limited.error().code()) == static_cast<int>(ErrorCode::rate_limited));
  BOOST_TEST(limited.error().http_status() == 429);
}

BOOST_AUTO_TEST_CASE(new_tokens_propagate_after_a_delay)
{
  EmulatorProcess emu({"--token-propagation-seconds", "1"});
  auto client = make_client(emu.client_options(), global_key());
  auto created = client->create_token(cf::TokenOwner::user(), simple_spec("propagating"));
  REQUIRE_OK(created);
  auto early = client->verify_token(cf::TokenOwner::user(), created->value);
  BOOST_REQUIRE(!early);
  BOOST_TEST(static_cast<int>(early.error().code()) == static_cast<int>(ErrorCode::auth));
  auto later = client->wait_until_token_valid(cf::TokenOwner::user(), created->value, std::chrono::milliseconds(5000));
  REQUIRE_OK(later);
  BOOST_TEST(later->status == "active");
}

BOOST_AUTO_TEST_CASE(burst_under_the_client_limiter_never_sees_429)
{
  // Server: 20 requests per 2 s window, then 429 for the rest of the window.
  EmulatorProcess emu({"--rate-limit", "20/2"});
  auto options = emu.client_options();
  options.rate_limit = cf::RateLimit{18, std::chrono::milliseconds(2100)};
  options.retry = cf::RetryPolicy::none(); // a 429 would surface as an error
  auto client = make_client(options, global_key());
  for (int i = 0; i < 45; ++i) {
    auto r = client->get_user();
    BOOST_REQUIRE_MESSAGE(r.has_value(), "request " << i << ": " << (r ? std::string() : r.error().message()));
  }
  BOOST_TEST(emu.state().as_object().at("rate_limited").to_number<std::uint64_t>() == 0U);

  // Without the client limiter the same burst is cut off by the server.
  emu.set_faults(R"({"reset_rate_limit":true})");
  options.rate_limit = cf::RateLimit{0, std::chrono::milliseconds(1)};
  auto unlimited = make_client(options, global_key());
  int refused = 0;
  for (int i = 0; i < 25; ++i) {
    auto r = unlimited->get_user();
    refused += (!r && r.error().http_status() == 429) ? 1 : 0;
  }
  BOOST_TEST(refused >= 1);
}

BOOST_AUTO_TEST_CASE(a_window_another_process_spent_is_waited_out_not_hit)
{
  // Server: 10 requests per 3 s. A first client (another process, say the plan before an apply)
  // spends 6; a new client, whose own limiter knows nothing of them, then needs 10 more.
  EmulatorProcess emu({"--rate-limit", "10/3"});
  auto options = emu.client_options();
  options.rate_limit = cf::RateLimit{10, std::chrono::milliseconds(3100)};
  options.retry = cf::RetryPolicy::none(); // a 429 would surface as an error
  auto first = make_client(options, global_key());
  for (int i = 0; i < 6; ++i) {
    REQUIRE_OK(first->get_user());
  }
  auto second = make_client(options, global_key());
  for (int i = 0; i < 10; ++i) {
    auto r = second->get_user();
    BOOST_REQUIRE_MESSAGE(r.has_value(), "request " << i << ": " << (r ? std::string() : r.error().message()));
  }
  BOOST_TEST(emu.state().as_object().at("rate_limited").to_number<std::uint64_t>() == 0U);
}

BOOST_AUTO_TEST_SUITE_END()
