#include <cfmigrate/cloudflare/https_session.hpp>

#include <cfmigrate/util/asio_includes.hpp>
#include <cfmigrate/util/text.hpp>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <algorithm>
#include <cctype>
#include <exception>

#include <poll.h>

namespace cfmigrate::cloudflare {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using boost::system::error_code;

std::optional<std::string> HttpResponse::header(std::string_view name) const
{
  for (const HttpHeader& h : headers) {
    if (h.name.size() == name.size()
        && std::equal(h.name.begin(), h.name.end(), name.begin(), [](char a, char b) {
             return ascii_lower(a) == ascii_lower(b);
           })) {
      return h.value;
    }
  }
  return std::nullopt;
}

struct HttpsSession::Impl {
  SessionOptions options;
  asio::io_context ioc{1};
  ssl::context ctx{ssl::context::tlsv12_client};
  std::unique_ptr<ssl::stream<beast::tcp_stream>> tls;
  std::unique_ptr<beast::tcp_stream> plain;
  beast::flat_buffer buffer;
  bool connected = false;

  bool is_https() const { return options.endpoint.scheme == Scheme::https; }
  beast::tcp_stream& lowest() { return tls ? beast::get_lowest_layer(*tls) : *plain; }

  // Between exchanges an HTTP/1.1 connection has nothing to read: readable means the server has
  // closed it (its idle timeout: FIN or close_notify) or broke protocol; either way it must not
  // carry the next request.
  bool idle_connection_usable()
  {
    pollfd p{};
    p.fd = lowest().socket().native_handle();
    p.events = POLLIN;
    return ::poll(&p, 1, 0) == 0;
  }

  void drop_connection()
  {
    error_code ignored;
    if (tls) {
      beast::get_lowest_layer(*tls).socket().close(ignored);
    }
    if (plain) {
      plain->socket().close(ignored);
    }
    tls.reset();
    plain.reset();
    buffer.consume(buffer.size());
    connected = false;
  }

  // Runs one coroutine to completion; `guard` bounds the whole run (name resolution has no
  // per-operation deadline). On expiry the sockets are closed so every operation completes.
  template<typename MakeAwaitable>
  Status run(MakeAwaitable make, std::chrono::milliseconds guard)
  {
    bool done = false;
    std::exception_ptr failure;
    asio::co_spawn(ioc, make(), [&](std::exception_ptr e) {
      done = true;
      failure = e;
    });
    ioc.restart();
    ioc.run_for(guard);
    if (!done) {
      drop_connection();
      ioc.restart();
      ioc.run();
      if (!done) {
        return make_error(ErrorCode::internal, "HTTPS session did not finish after cancellation");
      }
      return make_error(ErrorCode::network, "request to " + options.endpoint.host + " timed out");
    }
    if (failure) {
      try {
        std::rethrow_exception(failure);
      } catch (const std::exception& e) {
        return make_error(ErrorCode::network, std::string("HTTPS session failed: ") + e.what());
      }
    }
    return {};
  }

  std::string describe(const error_code& ec, std::string_view stage, std::chrono::milliseconds limit) const
  {
    const std::string where = options.endpoint.host + ":" + std::to_string(options.endpoint.port);
    if (ec == beast::error::timeout) {
      return std::string(stage) + " " + where + " timed out after " + std::to_string(limit.count()) + " ms";
    }
    return std::string(stage) + " " + where + " failed: " + ec.message();
  }

  asio::awaitable<void> connect(error_code& ec, std::string& stage, std::chrono::milliseconds& limit)
  {
    const Endpoint& ep = options.endpoint;
    const bool via_proxy = options.proxy.applies_to(ep.host);
    const std::string connect_host = via_proxy ? options.proxy.proxy->host : ep.host;
    const std::uint16_t connect_port = via_proxy ? options.proxy.proxy->port : ep.port;

    stage = "resolve";
    limit = options.timeouts.connect;
    tcp::resolver resolver(ioc);
    auto results = co_await resolver.async_resolve(connect_host, std::to_string(connect_port),
                                                   asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      co_return;
    }
    if (is_https()) {
      tls = std::make_unique<ssl::stream<beast::tcp_stream>>(ioc, ctx);
    } else {
      plain = std::make_unique<beast::tcp_stream>(ioc);
    }
    stage = via_proxy ? "connect to proxy for" : "connect to";
    lowest().expires_after(options.timeouts.connect);
    co_await lowest().async_connect(results, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      co_return;
    }
    if (via_proxy) {
      stage = "proxy CONNECT to";
      const std::string authority = ep.host_header().find(':') == std::string::npos
                                      ? ep.host + ":" + std::to_string(ep.port)
                                      : ep.host_header();
      http::request<http::empty_body> req{http::verb::connect, authority, 11};
      req.set(http::field::host, authority);
      req.set(http::field::user_agent, options.user_agent);
      lowest().expires_after(options.timeouts.connect);
      co_await http::async_write(lowest(), req, asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        co_return;
      }
      http::response_parser<http::empty_body> parser;
      parser.skip(true);
      co_await http::async_read_header(lowest(), buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        co_return;
      }
      if (parser.get().result_int() / 100 != 2) {
        ec = asio::error::connection_refused;
        stage = "proxy refused CONNECT (HTTP " + std::to_string(parser.get().result_int()) + ") to";
        co_return;
      }
    }
    if (is_https()) {
      stage = "TLS handshake with";
      limit = options.timeouts.handshake;
      if (!is_ip_literal(ep.host)) {
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wold-style-cast"
        if (SSL_set_tlsext_host_name(tls->native_handle(), ep.host.c_str()) != 1) {
#pragma GCC diagnostic pop
          ec = error_code(static_cast<int>(ERR_get_error()), asio::error::get_ssl_category());
          co_return;
        }
      }
      tls->set_verify_mode(ssl::verify_peer);
      tls->set_verify_callback(ssl::host_name_verification(ep.host));
      lowest().expires_after(options.timeouts.handshake);
      co_await tls->async_handshake(ssl::stream_base::client, asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        co_return;
      }
    }
    connected = true;
  }

  template<typename Stream>
  asio::awaitable<void> exchange(Stream& stream, http::request<http::string_body>& req,
                                 std::optional<http::response<http::string_body>>& out, error_code& ec,
                                 std::string& stage, std::chrono::milliseconds& limit, SendInfo& info)
  {
    stage = "write request to";
    limit = options.timeouts.write;
    lowest().expires_after(options.timeouts.write);
    info.request_written = true;
    co_await http::async_write(stream, req, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      co_return;
    }
    http::response_parser<http::string_body> parser;
    parser.body_limit(options.body_limit);
    parser.header_limit(64 * 1024);
    stage = "read response from";
    limit = options.timeouts.read;
    lowest().expires_after(options.timeouts.read);
    co_await http::async_read(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      co_return;
    }
    out.emplace(parser.release());
  }

  std::chrono::milliseconds guard() const
  {
    const auto& t = options.timeouts;
    return t.connect * 2 + t.handshake + t.write + t.read + std::chrono::milliseconds(1000);
  }
};

HttpsSession::HttpsSession(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}

HttpsSession::~HttpsSession()
{
  close();
}

const SessionOptions& HttpsSession::options() const
{
  return m_impl->options;
}

Result<std::unique_ptr<HttpsSession>> HttpsSession::create(SessionOptions options)
{
  auto impl = std::make_unique<Impl>();
  impl->options = std::move(options);
  if (impl->is_https()) {
    error_code ec;
    SSL_CTX_set_min_proto_version(impl->ctx.native_handle(), TLS1_2_VERSION);
    impl->ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3
                            | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1,
                          ec);
    impl->ctx.set_verify_mode(ssl::verify_peer, ec);
    if (!impl->options.ca_file.empty()) {
      impl->ctx.load_verify_file(impl->options.ca_file, ec);
      if (ec) {
        return make_error(ErrorCode::invalid_argument, "cannot load CA file: " + ec.message(),
                          impl->options.ca_file);
      }
    } else {
      impl->ctx.set_default_verify_paths(ec);
      if (ec) {
        return make_error(ErrorCode::invalid_argument, "cannot load the system CA store: " + ec.message());
      }
    }
  }
  return std::unique_ptr<HttpsSession>(new HttpsSession(std::move(impl)));
}

void HttpsSession::close()
{
  Impl& s = *m_impl;
  if (!s.connected) {
    s.drop_connection();
    return;
  }
  if (s.tls) {
    auto shutdown = [&s]() -> asio::awaitable<void> {
      error_code ec;
      s.lowest().expires_after(std::chrono::milliseconds(1000));
      co_await s.tls->async_shutdown(asio::redirect_error(asio::use_awaitable, ec));
      // stream_truncated and friends at shutdown are harmless: the exchange is over.
    };
    (void)s.run(shutdown, std::chrono::milliseconds(1500));
  }
  s.drop_connection();
}

namespace {

bool is_idempotent(std::string_view method)
{
  return method == "GET" || method == "HEAD" || method == "PUT" || method == "DELETE" || method == "OPTIONS";
}

bool is_stale_connection_error(const error_code& ec)
{
  return ec == http::error::end_of_stream || ec == asio::error::eof || ec == asio::error::connection_reset
         || ec == asio::error::broken_pipe || ec == ssl::error::stream_truncated;
}

} // namespace

Result<HttpResponse> HttpsSession::send(const HttpRequest& request, SendInfo& info)
{
  Impl& s = *m_impl;
  const http::verb verb = http::string_to_verb(request.method);
  if (verb == http::verb::unknown) {
    return make_error(ErrorCode::invalid_argument, "unknown HTTP method " + request.method);
  }
  http::request<http::string_body> req{verb, request.target, 11};
  req.set(http::field::host, s.options.endpoint.host_header());
  req.set(http::field::user_agent, s.options.user_agent);
  req.set(http::field::accept, "application/json");
  for (const HttpHeader& h : request.headers) {
    req.set(h.name, h.value);
  }
  for (const SecretHeader& h : request.secret_headers) {
    req.set(h.name, h.value.expose_secret_value_for_use_in_credential_slot());
  }
  if (!request.body.empty()) {
    req.set(http::field::content_type, "application/json");
    req.body() = request.body;
  }
  req.keep_alive(true);
  req.prepare_payload();

  for (int round = 0; round < 2; ++round) {
    error_code ec;
    std::string stage;
    std::chrono::milliseconds limit{0};
    if (s.connected && !s.idle_connection_usable()) {
      // Found before writing, a closed connection costs only a reconnect; found after, a POST's
      // outcome would be unknown (a token lookup and a second create, docs/performance.md, part 2).
      s.drop_connection();
    }
    info.reused_connection = s.connected;
    std::optional<http::response<http::string_body>> response;
    auto op = [&]() -> asio::awaitable<void> {
      if (!s.connected) {
        s.drop_connection();
        co_await s.connect(ec, stage, limit);
        if (ec) {
          co_return;
        }
      }
      if (s.tls) {
        co_await s.exchange(*s.tls, req, response, ec, stage, limit, info);
      } else {
        co_await s.exchange(*s.plain, req, response, ec, stage, limit, info);
      }
    };
    Status ran = s.run(op, s.guard());
    if (!ran) {
      s.drop_connection();
      return ran.error();
    }
    if (ec) {
      const bool was_reused = info.reused_connection;
      s.drop_connection();
      if (was_reused && round == 0 && is_stale_connection_error(ec) && is_idempotent(request.method)) {
        info.request_written = false;
        continue; // the server had closed the kept-alive connection: reconnect once
      }
      return make_error(ErrorCode::network, s.describe(ec, stage, limit));
    }
    HttpResponse out;
    out.status = response->result_int();
    for (const auto& field : *response) {
      out.headers.push_back({std::string(field.name_string()), std::string(field.value())});
    }
    out.body = std::move(response->body());
    if (!response->keep_alive()) {
      close();
    }
    return out;
  }
  return make_error(ErrorCode::network, "connection to " + s.options.endpoint.host + " kept closing");
}

} // namespace cfmigrate::cloudflare
