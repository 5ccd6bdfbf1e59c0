#include <cfmigrate/cloudflare/https_session.hpp>

#include <boost/test/unit_test.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <string>
#include <thread>

using namespace cfmigrate::cloudflare;

namespace {

// A plain-HTTP server on loopback that answers one request per connection with keep-alive and then
// closes the connection, like a server whose idle timeout struck between two requests.
class OneShotServer {
public:
  explicit OneShotServer(int connections)
  {
    m_listener = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    BOOST_REQUIRE(::bind(m_listener, reinterpret_cast<sockaddr*>(&addr), len) == 0);
    BOOST_REQUIRE(::listen(m_listener, 4) == 0);
    BOOST_REQUIRE(::getsockname(m_listener, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
    m_port = ntohs(addr.sin_port);
    m_thread = std::thread([this, connections] {
      for (int i = 0; i < connections; ++i) {
        const int fd = ::accept(m_listener, nullptr, nullptr);
        if (fd < 0) {
          return;
        }
        std::string request;
        char buffer[4096];
        while (request.find("\r\n\r\n") == std::string::npos) {
          const ssize_t n = ::read(fd, buffer, sizeof buffer);
          if (n <= 0) {
            break;
          }
          request.append(buffer, static_cast<std::size_t>(n));
        }
        // Bodies here are small and arrive with the headers.
        static const std::string k_answer = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                            "Content-Length: 16\r\nConnection: keep-alive\r\n\r\n{\"success\":true}";
        (void)::write(fd, k_answer.data(), k_answer.size());
        ::close(fd);
        ++m_answered;
      }
    });
  }
  ~OneShotServer()
  {
    ::shutdown(m_listener, SHUT_RDWR);
    ::close(m_listener);
    m_thread.join();
  }
  int port() const { return m_port; }
  int answered() const { return m_answered; }

private:
  int m_listener = -1;
  int m_port = 0;
  std::atomic<int> m_answered{0};
  std::thread m_thread;
};

} // namespace

BOOST_AUTO_TEST_SUITE(https_session)

BOOST_AUTO_TEST_CASE(a_kept_alive_connection_the_server_closed_is_replaced_before_a_post)
{
  // Without the check the POST would be written to the closed connection and fail with an
  // unknown outcome (the client would then look the token up and create it again).
  OneShotServer server(2);
  SessionOptions options;
  auto endpoint = parse_api_base("http://127.0.0.1:" + std::to_string(server.port()) + "/client/v4");
  BOOST_REQUIRE(endpoint.has_value());
  options.endpoint = *endpoint;
  auto session = HttpsSession::create(options);
  BOOST_REQUIRE(session.has_value());
  SendInfo info;
  HttpRequest get;
  get.target = "/client/v4/user";
  auto first = (*session)->send(get, info);
  BOOST_REQUIRE(first.has_value());
  for (int i = 0; i < 200 && server.answered() < 1; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(50)); // the FIN reaches the client
  HttpRequest post;
  post.method = "POST";
  post.target = "/client/v4/user/tokens";
  post.body = "{}";
  SendInfo post_info;
  auto second = (*session)->send(post, post_info);
  BOOST_REQUIRE_MESSAGE(second.has_value(), (second ? std::string() : second.error().message()));
  BOOST_TEST(second->status == 200U);
  BOOST_TEST(!post_info.reused_connection);
}

BOOST_AUTO_TEST_SUITE_END()
