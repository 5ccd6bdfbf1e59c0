#include <cfmigrate/cloudflare/rate_limiter.hpp>

#include <boost/test/unit_test.hpp>

using namespace cfmigrate::cloudflare;
using namespace std::chrono_literals;

BOOST_AUTO_TEST_SUITE(rate_limiter)

BOOST_AUTO_TEST_CASE(sliding_window_waits_through_the_injected_clock)
{
  auto clock = std::make_shared<ManualClock>();
  RateLimiter limiter(RateLimit{3, 10s}, clock);
  limiter.acquire();
  clock->advance(1s);
  limiter.acquire();
  limiter.acquire();
  BOOST_TEST(clock->total_slept().count() == 0);
  BOOST_TEST(!limiter.try_acquire());
  BOOST_TEST(std::chrono::duration_cast<std::chrono::milliseconds>(limiter.delay_until_available()).count() == 9000);
  limiter.acquire(); // waits until the first start leaves the window
  BOOST_TEST(std::chrono::duration_cast<std::chrono::milliseconds>(clock->total_slept()).count() == 9000);
  // Never more than 3 starts in any 10 s.
  for (int i = 0; i < 20; ++i) {
    limiter.acquire();
  }
  BOOST_TEST(std::chrono::duration_cast<std::chrono::seconds>(clock->total_slept()).count() >= 70);
}

BOOST_AUTO_TEST_CASE(a_request_counts_from_its_answer)
{
  // The server's window may start when a slow first request (connect, TLS handshake) finally
  // arrives; the request that request's leaving admits must not arrive before that window ends.
  auto clock = std::make_shared<ManualClock>();
  RateLimiter limiter(RateLimit{2, 10s}, clock);
  const auto first = limiter.acquire();
  clock->advance(3s); // its answer took 3 s
  limiter.finished(first);
  limiter.finished(limiter.acquire());
  BOOST_TEST(clock->total_slept().count() == 0);
  limiter.acquire(); // until 10 s after the first answer (t = 13 s), not after its start (t = 10 s)
  BOOST_TEST(std::chrono::duration_cast<std::chrono::milliseconds>(clock->total_slept()).count() == 10000);
}

BOOST_AUTO_TEST_CASE(pause_for_delays_everyone)
{
  auto clock = std::make_shared<ManualClock>();
  RateLimiter limiter(RateLimit{100, 10s}, clock);
  limiter.pause_for(2s);
  limiter.acquire();
  BOOST_TEST(std::chrono::duration_cast<std::chrono::seconds>(clock->total_slept()).count() == 2);
}

BOOST_AUTO_TEST_CASE(zero_requests_disables_limiting)
{
  auto clock = std::make_shared<ManualClock>();
  RateLimiter limiter(RateLimit{0, 10s}, clock);
  for (int i = 0; i < 1000; ++i) {
    limiter.acquire();
  }
  BOOST_TEST(clock->total_slept().count() == 0);
}

BOOST_AUTO_TEST_CASE(share_of_splits_the_quota)
{
  BOOST_TEST(RateLimiter::share_of(k_cloudflare_rate_limit, 4).requests == 300U);
  BOOST_TEST(RateLimiter::share_of(RateLimit{3, 10s}, 10).requests == 1U);
  BOOST_TEST(RateLimiter::share_of(k_cloudflare_rate_limit, 1).requests == 1200U);
}

BOOST_AUTO_TEST_SUITE_END()
