#include <cfmigrate/cloudflare/retry_policy.hpp>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <mutex>
#include <random>
#include <string>

namespace cfmigrate::cloudflare {

namespace {

double default_random()
{
  static std::mutex mutex;
  static std::mt19937_64 engine{std::random_device{}()};
  std::lock_guard lock(mutex);
  return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
}

} // namespace

std::chrono::milliseconds RetryPolicy::backoff(unsigned retry) const
{
  const unsigned shift = std::min(retry == 0 ? 0U : retry - 1, 20U);
  const double raw = static_cast<double>(base_delay.count()) * static_cast<double>(1ULL << shift);
  const double capped = std::min(raw, static_cast<double>(max_delay.count()));
  const double r = random ? random() : default_random();
  const double factor = 1.0 - jitter + 2.0 * jitter * std::clamp(r, 0.0, 1.0);
  return std::chrono::milliseconds(static_cast<long long>(capped * factor));
}

RetryDecision RetryPolicy::decide(unsigned attempts_done, Idempotency idempotency, const AttemptOutcome& outcome) const
{
  RetryDecision d;
  const bool idempotent = idempotency == Idempotency::idempotent;
  bool retryable = false;
  if (!outcome.http_status) {
    if (idempotent || !outcome.request_written) {
      retryable = true;
    } else {
      d.outcome_unknown = true;
    }
  } else {
    const unsigned status = *outcome.http_status;
    if (status == 429) {
      retryable = true; // Cloudflare refused before acting
    } else if (status == 408 || status == 500 || status == 502 || status == 503 || status == 504
               || status == 520 || status == 522 || status == 524) {
      if (idempotent) {
        retryable = true;
      } else {
        d.outcome_unknown = true;
      }
    }
  }
  if (!retryable || attempts_done >= max_attempts) {
    return d;
  }
  d.delay = backoff(attempts_done);
  if (outcome.retry_after) {
    if (*outcome.retry_after > max_retry_after) {
      return d; // do not sit out a lockout silently
    }
    d.delay = std::max(d.delay, *outcome.retry_after);
  }
  d.retry = true;
  return d;
}

RetryPolicy RetryPolicy::none()
{
  RetryPolicy p;
  p.max_attempts = 1;
  return p;
}

std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value, std::chrono::system_clock::time_point now)
{
  while (!value.empty() && value.front() == ' ') {
    value.remove_prefix(1);
  }
  while (!value.empty() && value.back() == ' ') {
    value.remove_suffix(1);
  }
  if (value.empty()) {
    return std::nullopt;
  }
  if (std::all_of(value.begin(), value.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; })) {
    if (value.size() > 9) {
      return std::nullopt;
    }
    return std::chrono::milliseconds(std::stoll(std::string(value)) * 1000);
  }
  std::tm tm{};
  const std::string text(value);
  const char* end = strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (end == nullptr || *end != '\0') {
    return std::nullopt;
  }
  const auto when = std::chrono::system_clock::from_time_t(timegm(&tm));
  if (when <= now) {
    return std::chrono::milliseconds(0);
  }
  return std::chrono::duration_cast<std::chrono::milliseconds>(when - now);
}

} // namespace cfmigrate::cloudflare
