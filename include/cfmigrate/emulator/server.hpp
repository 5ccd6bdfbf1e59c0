#pragma once
// The emulator's network side: a single-threaded Beast HTTP(S) server on a loopback address that
// hands every request to a Service. Delays and dropped connections from fault injection happen
// here. Stops on SIGINT/SIGTERM or stop().

#include <cfmigrate/emulator/service.hpp>
#include <cfmigrate/emulator/tls_material.hpp>
#include <cfmigrate/util/result.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace cfmigrate::emulator {

struct ServerOptions {
  std::string listen_host = "127.0.0.1"; // must be loopback
  std::uint16_t port = 0;                // 0: pick a free port
  std::optional<TlsMaterial> tls;        // unset: plain HTTP
  bool handle_signals = true;            // stop on SIGINT / SIGTERM
};

class Server {
public:
  // Binds and listens. invalid_argument for a non-loopback address; network errors for bind failures.
  [[nodiscard]] static Result<std::unique_ptr<Server>> create(Service& service, ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  std::uint16_t port() const;
  // Serves until stop() or a signal.
  void run();
  // Thread-safe.
  void stop();

private:
  struct Impl;
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> m_impl;
};

} // namespace cfmigrate::emulator
