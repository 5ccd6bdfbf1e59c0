#pragma once
// Result<T>: the return type of everything that can fail because of the outside world.
// An alias, so a later switch to std::expected is one line.

#include <cfmigrate/util/error.hpp>

#include <boost/assert/source_location.hpp>
#include <boost/system/result.hpp>

namespace cfmigrate {

[[noreturn]] void throw_error_as_exception(const Error& e);

// Found by ADL from boost::system::result<T, Error>::value().
[[noreturn]] inline void throw_exception_from_error(const Error& e, const boost::source_location&)
{
  throw_error_as_exception(e);
}

template<typename T>
using Result = boost::system::result<T, Error>;

// Result<void> reads better as Status.
using Status = boost::system::result<void, Error>;

inline Error make_error(ErrorCode code, std::string message, std::string path = {})
{
  return Error(code, std::move(message), std::move(path));
}

} // namespace cfmigrate

// Propagate an error: `CFM_TRY(auto x, f());` or `CFM_TRY_STATUS(g());`
#define CFM_CONCAT_INNER(a, b) a##b
#define CFM_CONCAT(a, b) CFM_CONCAT_INNER(a, b)
#define CFM_TRY(decl, expr)                                                                        \
  auto CFM_CONCAT(cfm_try_, __LINE__) = (expr);                                                    \
  if (!CFM_CONCAT(cfm_try_, __LINE__)) {                                                           \
    return CFM_CONCAT(cfm_try_, __LINE__).error();                                                 \
  }                                                                                                \
  decl = std::move(*CFM_CONCAT(cfm_try_, __LINE__))
#define CFM_TRY_STATUS(expr)                                                                       \
  do {                                                                                             \
    auto cfm_try_status_ = (expr);                                                                 \
    if (!cfm_try_status_) {                                                                        \
      return cfm_try_status_.error();                                                              \
    }                                                                                              \
  } while (false)
