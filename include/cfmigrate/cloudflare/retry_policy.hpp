#pragma once
// When to try a request again, and after how long. Retries are only for requests whose repetition
// is harmless (idempotent), for 429 (the server did not act) and for failures that happened before
// any byte left this process. Backoff is exponential with jitter; Retry-After wins when larger.

#include <chrono>
#include <functional>
#include <optional>
#include <string_view>

namespace cfmigrate::cloudflare {

enum class Idempotency { idempotent, not_idempotent };

// What one attempt produced, as far as the retry decision cares.
struct AttemptOutcome {
  std::optional<unsigned> http_status;             // unset: transport failure
  bool request_written = false;                    // transport failure after bytes were sent
  std::optional<std::chrono::milliseconds> retry_after; // from a 429/503 Retry-After header
};

struct RetryDecision {
  bool retry = false;
  std::chrono::milliseconds delay{0};
  // The request may have been executed but its answer was lost (non-idempotent call).
  bool outcome_unknown = false;
};

struct RetryPolicy {
  unsigned max_attempts = 4; // including the first
  std::chrono::milliseconds base_delay{500};
  std::chrono::milliseconds max_delay{8'000};
  // A Retry-After longer than this is not waited for: the call fails as rate_limited.
  std::chrono::milliseconds max_retry_after{330'000};
  // Returns a number in [0, 1); the delay is scaled by (1 - jitter + 2 * jitter * random()).
  double jitter = 0.25;
  std::function<double()> random; // empty: a process-wide PRNG

  // Backoff before retry number `retry` (1 for the first retry).
  std::chrono::milliseconds backoff(unsigned retry) const;

  // The decision after `attempts_done` attempts (>= 1) ended with `outcome`.
  RetryDecision decide(unsigned attempts_done, Idempotency idempotency, const AttemptOutcome& outcome) const;

  // No retries at all.
  static RetryPolicy none();
};

// Parses Retry-After: delta-seconds or an HTTP date. nullopt when unparsable.
std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value,
                                                           std::chrono::system_clock::time_point now
                                                           = std::chrono::system_clock::now());

} // namespace cfmigrate::cloudflare
