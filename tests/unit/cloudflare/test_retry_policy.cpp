#include <cfmigrate/cloudflare/retry_policy.hpp>

#include <boost/test/unit_test.hpp>

using namespace cfmigrate::cloudflare;
using namespace std::chrono_literals;

BOOST_AUTO_TEST_SUITE(retry_policy)

namespace {
RetryPolicy fixed()
{
  RetryPolicy p;
  p.random = [] { return 0.5; }; // no jitter effect
  return p;
}
AttemptOutcome status(unsigned s, std::optional<std::chrono::milliseconds> ra = std::nullopt)
{
  AttemptOutcome o;
  o.http_status = s;
  o.retry_after = ra;
  return o;
}
} // namespace

BOOST_AUTO_TEST_CASE(backoff_doubles_up_to_the_cap)
{
  const RetryPolicy p = fixed();
  BOOST_TEST(p.backoff(1).count() == 500);
  BOOST_TEST(p.backoff(2).count() == 1000);
  BOOST_TEST(p.backoff(5).count() == 8000);
  BOOST_TEST(p.backoff(12).count() == 8000);
}

BOOST_AUTO_TEST_CASE(only_safe_failures_are_retried)
{
  const RetryPolicy p = fixed();
  BOOST_TEST(p.decide(1, Idempotency::idempotent, status(500)).retry);
  BOOST_TEST(p.decide(1, Idempotency::idempotent, status(503)).retry);
  BOOST_TEST(!p.decide(1, Idempotency::idempotent, status(404)).retry);
  BOOST_TEST(!p.decide(1, Idempotency::idempotent, status(403)).retry);
  const RetryDecision post500 = p.decide(1, Idempotency::not_idempotent, status(500));
  BOOST_TEST(!post500.retry);
  BOOST_TEST(post500.outcome_unknown);
  BOOST_TEST(p.decide(1, Idempotency::not_idempotent, status(429)).retry); // not executed
  AttemptOutcome before_send; // transport failure, nothing written
  BOOST_TEST(p.decide(1, Idempotency::not_idempotent, before_send).retry);
  AttemptOutcome after_send;
  after_send.request_written = true;
  const RetryDecision lost = p.decide(1, Idempotency::not_idempotent, after_send);
  BOOST_TEST(!lost.retry);
  BOOST_TEST(lost.outcome_unknown);
  BOOST_TEST(p.decide(1, Idempotency::idempotent, after_send).retry);
  BOOST_TEST(!p.decide(4, Idempotency::idempotent, status(500)).retry); // max_attempts
}

BOOST_AUTO_TEST_CASE(retry_after_wins_when_longer_and_lockouts_are_not_waited_out)
{
  const RetryPolicy p = fixed();
  BOOST_TEST(p.decide(1, Idempotency::idempotent, status(429, 3000ms)).delay.count() == 3000);
  BOOST_TEST(p.decide(1, Idempotency::idempotent, status(429, 100ms)).delay.count() == 500);
  BOOST_TEST(!p.decide(1, Idempotency::idempotent, status(429, 600000ms)).retry);
  BOOST_TEST(!RetryPolicy::none().decide(1, Idempotency::idempotent, status(500)).retry);
}

BOOST_AUTO_TEST_CASE(parses_retry_after_seconds_and_dates)
{
  BOOST_TEST(parse_retry_after("7")->count() == 7000);
  BOOST_TEST(!parse_retry_after("soon"));
  BOOST_TEST(!parse_retry_after(""));
  const auto now = std::chrono::system_clock::from_time_t(1'700'000'000); // Tue, 14 Nov 2023 22:13:20 GMT
  BOOST_TEST(parse_retry_after("Tue, 14 Nov 2023 22:13:30 GMT", now)->count() == 10000);
  BOOST_TEST(parse_retry_after("Tue, 14 Nov 2023 22:13:00 GMT", now)->count() == 0);
}

BOOST_AUTO_TEST_SUITE_END()
