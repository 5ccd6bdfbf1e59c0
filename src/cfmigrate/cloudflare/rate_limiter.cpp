#include <cfmigrate/cloudflare/rate_limiter.hpp>

#include <algorithm>
#include <iterator>
#include <thread>

namespace cfmigrate::cloudflare {

SystemClock::time_point SystemClock::now()
{
  return std::chrono::steady_clock::now();
}

void SystemClock::sleep_for(duration d)
{
  std::this_thread::sleep_for(d);
}

std::shared_ptr<Clock> SystemClock::instance()
{
  static const std::shared_ptr<Clock> k_clock = std::make_shared<SystemClock>();
  return k_clock;
}

RateLimiter::RateLimiter(RateLimit limit, std::shared_ptr<Clock> clock) : m_limit(limit), m_clock(std::move(clock)) {}

Clock::duration RateLimiter::delay_locked(Clock::time_point now)
{
  Clock::duration delay{0};
  if (m_paused_until > now) {
    delay = m_paused_until - now;
  }
  if (m_limit.requests == 0) {
    return delay;
  }
  while (!m_starts.empty() && now - m_starts.front() >= m_limit.window) {
    m_starts.pop_front();
  }
  if (m_starts.size() >= m_limit.requests) {
    // The oldest start that must leave the window before one more fits.
    const Clock::time_point oldest = m_starts[m_starts.size() - m_limit.requests];
    delay = std::max<Clock::duration>(delay, oldest + m_limit.window - now);
  }
  return delay;
}

Clock::time_point RateLimiter::acquire()
{
  for (;;) {
    Clock::duration wait{0};
    {
      std::lock_guard lock(m_mutex);
      const Clock::time_point now = m_clock->now();
      wait = delay_locked(now);
      if (wait <= Clock::duration::zero()) {
        if (m_limit.requests != 0) {
          m_starts.push_back(now);
        }
        return now;
      }
    }
    m_clock->sleep_for(wait);
  }
}

void RateLimiter::finished(Clock::time_point started)
{
  if (m_limit.requests == 0) {
    return;
  }
  std::lock_guard lock(m_mutex);
  const Clock::time_point now = m_clock->now();
  // Usually the newest entry. Already gone when the request outlasted the window: then it is
  // simply logged again, since the server may have counted it just now.
  if (auto it = std::find(m_starts.rbegin(), m_starts.rend(), started); it != m_starts.rend()) {
    m_starts.erase(std::next(it).base());
  }
  // Sorted insert: with several threads, requests finish in any order, and delay_locked() reads
  // the log as oldest-first.
  m_starts.insert(std::upper_bound(m_starts.begin(), m_starts.end(), now), now);
}

bool RateLimiter::try_acquire()
{
  std::lock_guard lock(m_mutex);
  const Clock::time_point now = m_clock->now();
  if (delay_locked(now) > Clock::duration::zero()) {
    return false;
  }
  if (m_limit.requests != 0) {
    m_starts.push_back(now);
  }
  return true;
}

Clock::duration RateLimiter::delay_until_available()
{
  std::lock_guard lock(m_mutex);
  return delay_locked(m_clock->now());
}

void RateLimiter::pause_for(Clock::duration d)
{
  std::lock_guard lock(m_mutex);
  m_paused_until = std::max(m_paused_until, m_clock->now() + d);
}

RateLimit RateLimiter::share_of(RateLimit total, std::size_t parts)
{
  if (parts <= 1 || total.requests == 0) {
    return total;
  }
  return RateLimit{std::max<std::size_t>(1, total.requests / parts), total.window};
}

} // namespace cfmigrate::cloudflare
