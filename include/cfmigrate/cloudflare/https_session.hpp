#pragma once
// HttpsSession: bytes and TLS to one API host. Blocking interface; inside, Beast async operations
// run to completion on a private io_context with a deadline on every connect, handshake, write and
// read. One kept-alive connection is reused. Requests and responses are never streamed or logged
// whole: credential headers live in Secret values and are only written to the socket.

#include <cfmigrate/cloudflare/endpoint.hpp>
#include <cfmigrate/util/result.hpp>
#include <cfmigrate/util/secret.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cfmigrate::cloudflare {

struct HttpHeader {
  std::string name;
  std::string value;
};

// A header whose value is a credential: written to the socket, never logged.
struct SecretHeader {
  std::string name;
  Secret value;
};

struct HttpRequest {
  std::string method = "GET"; // GET, POST, PUT, DELETE, PATCH
  std::string target;         // absolute path with query, e.g. "/client/v4/zones?page=1"
  std::vector<HttpHeader> headers;
  std::vector<SecretHeader> secret_headers;
  std::string body; // sent with Content-Type: application/json when not empty
};

struct HttpResponse {
  unsigned status = 0;
  std::vector<HttpHeader> headers;
  std::string body;

  // First header with that name (case-insensitive), or nullopt.
  std::optional<std::string> header(std::string_view name) const;
};

// Filled by Transport::send so callers can tell "never left this process" from "outcome unknown".
struct SendInfo {
  bool request_written = false; // some or all request bytes reached the socket
  bool reused_connection = false;
};

// The byte-level interface the Client talks to; HttpsSession is the real one, tests can fake it.
class Transport {
public:
  virtual ~Transport() = default;
  // Sends one request and reads one response. Network, TLS and timeout failures are errors with
  // ErrorCode::network; any HTTP status is a response, not an error.
  [[nodiscard]] virtual Result<HttpResponse> send(const HttpRequest& request, SendInfo& info) = 0;
};

struct Timeouts {
  std::chrono::milliseconds connect{10'000};
  std::chrono::milliseconds handshake{10'000};
  std::chrono::milliseconds write{30'000};
  std::chrono::milliseconds read{60'000};
};

struct SessionOptions {
  Endpoint endpoint;
  // PEM file of trusted CAs; empty means the system store (set_default_verify_paths).
  std::string ca_file;
  Timeouts timeouts;
  std::size_t body_limit = 16 * 1024 * 1024; // largest response body accepted
  ProxySettings proxy;
  std::string user_agent = "cfmigrate";
};

class HttpsSession final : public Transport {
public:
  // Builds the TLS context (TLS 1.2 minimum, peer verification, the CA file or the system store).
  // Errors: invalid_argument for an unreadable CA file or a TLS setup failure. Does not connect.
  [[nodiscard]] static Result<std::unique_ptr<HttpsSession>> create(SessionOptions options);

  ~HttpsSession() override;
  HttpsSession(const HttpsSession&) = delete;
  HttpsSession& operator=(const HttpsSession&) = delete;

  [[nodiscard]] Result<HttpResponse> send(const HttpRequest& request, SendInfo& info) override;

  // Closes the connection (TLS shutdown with a short deadline); the next send reconnects.
  void close();

  const SessionOptions& options() const;

private:
  struct Impl;
  explicit HttpsSession(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> m_impl;
};

} // namespace cfmigrate::cloudflare
