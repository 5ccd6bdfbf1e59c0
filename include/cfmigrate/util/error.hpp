#pragma once
// Error values for failures the outside world can cause. An Error never carries file content,
// key or token values: only a code, a location and a message written by the code that failed.

#include <cstdint>
#include <optional>
#include <string>

namespace cfmigrate {

// A closed list: callers branch on the code, humans read the message.
enum class ErrorCode {
  io,                // read/write/stat failed
  not_found,         // file, recipe, plan, token... absent
  parse,             // malformed input (JSON, recipe, plan)
  invalid_argument,  // a command-line or API argument is unusable
  network,           // connect, TLS, timeout
  http,              // an HTTP status the caller did not expect
  api,               // Cloudflare answered success=false
  rate_limited,      // 429 or client-side limiter refusal
  auth,              // credential refused (401/403)
  stale_plan,        // plan no longer matches the files on disk
  locked,            // another process holds the lock
  conflict,          // a file changed under us
  unsupported,       // valid input we do not handle
  internal,          // a bug we caught instead of aborting
};

const char* to_string(ErrorCode code);

class Error {
public:
  // boost::system::result::error() default-constructs an Error for a result holding a value.
  Error() : m_code(ErrorCode::internal) {}
  Error(ErrorCode code, std::string message) : m_code(code), m_message(std::move(message)) {}
  Error(ErrorCode code, std::string message, std::string path)
    : m_code(code), m_message(std::move(message)), m_path(std::move(path)) {}

  ErrorCode code() const { return m_code; }
  const std::string& message() const { return m_message; }
  const std::string& path() const { return m_path; }
  std::optional<std::uint32_t> line() const { return m_line; }
  std::optional<std::uint32_t> column() const { return m_column; }
  // HTTP status and Cloudflare error code, where the error came from the API.
  int http_status() const { return m_http_status; }
  int api_code() const { return m_api_code; }

  Error& at(std::uint32_t line, std::uint32_t column = 0) {
    m_line = line;
    if (column != 0) {
      m_column = column;
    }
    return *this;
  }
  Error& with_http(int status, int api_code = 0) {
    m_http_status = status;
    m_api_code = api_code;
    return *this;
  }

  // "path:line:col: message" (only the parts that are known).
  std::string describe() const;

private:
  ErrorCode m_code;
  std::string m_message;
  std::string m_path;
  std::optional<std::uint32_t> m_line;
  std::optional<std::uint32_t> m_column;
  int m_http_status = 0;
  int m_api_code = 0;
};


} // namespace cfmigrate
