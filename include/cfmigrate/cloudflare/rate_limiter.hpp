#pragma once
// Client-side rate limiter: a sliding-window log that never lets more than `requests` calls start
// within any `window`, so a long run cannot trip Cloudflare's fixed-window lockout (1200 requests
// per 300 s, then 429 for the rest of the window). Thread-safe; share one instance (shared_ptr)
// between every Client that spends the same user's quota. Time comes from an injectable Clock so
// tests never sleep for real.
//
// A request is logged when it may start and re-logged when its answer arrives (finished()): the
// server counts it at some moment in between (after a connect and TLS handshake, say), so only the
// later time guarantees that the request this one's leaving admits cannot land in the same server
// window. Logging the start alone let a fast request follow a slow one by less than a window at
// the server (docs/performance.md, part 2).

#include <chrono>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>

namespace cfmigrate::cloudflare {

class Clock {
public:
  using duration = std::chrono::steady_clock::duration;
  using time_point = std::chrono::steady_clock::time_point;
  virtual ~Clock() = default;
  virtual time_point now() = 0;
  virtual void sleep_for(duration d) = 0;
};

// The real clock (steady_clock, std::this_thread::sleep_for).
class SystemClock final : public Clock {
public:
  time_point now() override;
  void sleep_for(duration d) override;
  // One process-wide instance (stateless, so sharing it is harmless).
  static std::shared_ptr<Clock> instance();
};

// A clock for tests: sleep_for advances time instantly and records the total slept.
class ManualClock final : public Clock {
public:
  time_point now() override { return m_now; }
  void sleep_for(duration d) override
  {
    m_now += d;
    m_slept += d;
  }
  void advance(duration d) { m_now += d; }
  duration total_slept() const { return m_slept; }

private:
  time_point m_now{std::chrono::hours(1)};
  duration m_slept{0};
};

struct RateLimit {
  std::size_t requests = 1200;
  std::chrono::milliseconds window{300'000};
};

// Cloudflare's documented user limit.
inline constexpr RateLimit k_cloudflare_rate_limit{1200, std::chrono::milliseconds(300'000)};

class RateLimiter {
public:
  // requests == 0 disables limiting (acquire never waits).
  explicit RateLimiter(RateLimit limit, std::shared_ptr<Clock> clock = SystemClock::instance());

  // Waits (through the clock) until one more request fits, then records it. Returns the recorded
  // time: pass it to finished() once the request's answer (or failure) is in.
  Clock::time_point acquire();
  // The request acquire() recorded at `started` is over: from now on it counts as made now. Until
  // then (in flight, or a caller that never calls this) it counts from its start.
  void finished(Clock::time_point started);
  // Records a request and returns true when it fits now; false (nothing recorded) otherwise.
  bool try_acquire();
  // How long acquire() would wait now (zero when a request fits).
  Clock::duration delay_until_available();
  // The server asked for a pause (429 Retry-After): nobody starts a request before now + d.
  void pause_for(Clock::duration d);

  RateLimit limit() const { return m_limit; }
  Clock& clock() { return *m_clock; }

  // The share of `total` for one of `parts` independent users of the same quota (e.g. one per
  // host in a fleet): floor(requests / parts), at least 1, same window.
  static RateLimit share_of(RateLimit total, std::size_t parts);

private:
  Clock::duration delay_locked(Clock::time_point now);

  const RateLimit m_limit;
  std::shared_ptr<Clock> m_clock;
  std::mutex m_mutex;
  std::deque<Clock::time_point> m_starts; // oldest first: each request's start, or its end once finished()
  Clock::time_point m_paused_until{};
};

} // namespace cfmigrate::cloudflare
