#include <cfmigrate/emulator/server.hpp>

#include <cfmigrate/cloudflare/endpoint.hpp>
#include <cfmigrate/util/asio_includes.hpp>

#include <boost/json/parse.hpp>

#include <csignal>
#include <iostream>

namespace cfmigrate::emulator {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using boost::system::error_code;

struct Server::Impl {
  Service* service = nullptr;
  ServerOptions options;
  asio::io_context ioc{1};
  std::optional<ssl::context> tls_ctx;
  tcp::acceptor acceptor{ioc};
  std::optional<asio::signal_set> signals;

  template<typename Stream>
  asio::awaitable<void> serve(Stream& stream, beast::tcp_stream& lowest, std::string client_ip)
  {
    beast::flat_buffer buffer;
    for (;;) {
      error_code ec;
      http::request_parser<http::string_body> parser;
      parser.body_limit(1024 * 1024);
      lowest.expires_after(std::chrono::seconds(60));
      co_await http::async_read(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        co_return;
      }
      http::request<http::string_body> req = parser.release();
      Request request;
      request.method = std::string(req.method_string());
      request.target = std::string(req.target());
      for (const auto& field : req) {
        request.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
      }
      request.body = std::move(req.body());
      request.client_ip = client_ip;
      Response response = service->handle(request);
      if (response.delay.count() > 0) {
        asio::steady_timer timer(co_await asio::this_coro::executor);
        timer.expires_after(response.delay);
        co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      }
      if (response.action == Response::Action::drop) {
        lowest.socket().shutdown(tcp::socket::shutdown_both, ec);
        lowest.socket().close(ec);
        co_return;
      }
      http::response<http::string_body> res{static_cast<http::status>(response.status), req.version()};
      res.set(http::field::server, "cfmigrate-emulator");
      for (const auto& [name, value] : response.headers) {
        res.set(name, value);
      }
      res.body() = std::move(response.body);
      res.keep_alive(req.keep_alive());
      res.prepare_payload();
      lowest.expires_after(std::chrono::seconds(30));
      co_await http::async_write(stream, res, asio::redirect_error(asio::use_awaitable, ec));
      if (ec || !res.keep_alive()) {
        co_return;
      }
    }
  }

  asio::awaitable<void> connection(tcp::socket socket)
  {
    error_code ec;
    const std::string client_ip = socket.remote_endpoint(ec).address().to_string();
    if (tls_ctx) {
      ssl::stream<beast::tcp_stream> stream(beast::tcp_stream(std::move(socket)), *tls_ctx);
      beast::tcp_stream& lowest = beast::get_lowest_layer(stream);
      lowest.expires_after(std::chrono::seconds(10));
      co_await stream.async_handshake(ssl::stream_base::server, asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        co_return;
      }
      co_await serve(stream, lowest, client_ip);
      if (lowest.socket().is_open()) {
        lowest.expires_after(std::chrono::seconds(2));
        co_await stream.async_shutdown(asio::redirect_error(asio::use_awaitable, ec));
      }
    } else {
      beast::tcp_stream stream(std::move(socket));
      co_await serve(stream, stream, client_ip);
      stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    }
  }

  asio::awaitable<void> accept_loop()
  {
    for (;;) {
      error_code ec;
      tcp::socket socket = co_await acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        if (ec == asio::error::operation_aborted || !acceptor.is_open()) {
          co_return;
        }
        continue;
      }
      asio::co_spawn(ioc, connection(std::move(socket)), [](std::exception_ptr e) {
        if (e) {
          try {
            std::rethrow_exception(e);
          } catch (const std::exception& ex) {
            std::cerr << "cfmigrate-emulator: connection failed: " << ex.what() << "\n";
          }
        }
      });
    }
  }
};

Server::Server(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
Server::~Server() = default;

Result<std::unique_ptr<Server>> Server::create(Service& service, ServerOptions options)
{
  if (!cloudflare::is_loopback_host(options.listen_host)) {
    return make_error(ErrorCode::invalid_argument, "the emulator only listens on loopback addresses, not " + options.listen_host);
  }
  auto impl = std::make_unique<Impl>();
  impl->service = &service;
  impl->options = options;
  error_code ec;
  if (options.tls) {
    impl->tls_ctx.emplace(ssl::context::tls_server);
    SSL_CTX_set_min_proto_version(impl->tls_ctx->native_handle(), TLS1_2_VERSION);
    impl->tls_ctx->use_certificate_chain_file(options.tls->server_cert_path, ec);
    if (!ec) {
      impl->tls_ctx->use_private_key_file(options.tls->server_key_path, ssl::context::pem, ec);
    }
    if (ec) {
      return make_error(ErrorCode::invalid_argument, "cannot load the server certificate: " + ec.message());
    }
  }
  const std::string host = options.listen_host == "localhost" ? "127.0.0.1" : options.listen_host;
  const asio::ip::address address = asio::ip::make_address(host, ec);
  if (ec) {
    return make_error(ErrorCode::invalid_argument, "not an IP address: " + options.listen_host);
  }
  const tcp::endpoint endpoint(address, options.port);
  impl->acceptor.open(endpoint.protocol(), ec);
  if (!ec) {
    impl->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    impl->acceptor.bind(endpoint, ec);
  }
  if (!ec) {
    impl->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  }
  if (ec) {
    return make_error(ErrorCode::network, "cannot listen on " + host + ":" + std::to_string(options.port) + ": " + ec.message());
  }
  if (options.handle_signals) {
    // Registered before the caller announces the address, so an early SIGTERM still stops cleanly.
    Impl& s = *impl;
    s.signals.emplace(s.ioc, SIGINT, SIGTERM);
    s.signals->async_wait([&s](const error_code& sig_ec, int) {
      if (!sig_ec) {
        s.ioc.stop();
      }
    });
  }
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

std::uint16_t Server::port() const
{
  error_code ec;
  return m_impl->acceptor.local_endpoint(ec).port();
}

void Server::run()
{
  Impl& s = *m_impl;
  asio::co_spawn(s.ioc, s.accept_loop(), asio::detached);
  s.ioc.run();
}

void Server::stop()
{
  asio::post(m_impl->ioc, [this] { m_impl->ioc.stop(); });
}

} // namespace cfmigrate::emulator
