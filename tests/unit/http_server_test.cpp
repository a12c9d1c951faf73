// The HTTP server on a real loopback socket (no MySQL): routing, the token,
// limits, and answers to malformed requests.
#include "ddb/daemon/http_server.h"

#include <gtest/gtest.h>

#include <spdlog/spdlog.h>

#include "ddb/daemon/logging.h"
#include "http_client.h"
#include "raw_connection.h"
#include "wait.h"

namespace ddb {
namespace {

using testing::HttpCall;
using testing::HttpGet;
using testing::HttpPost;

class HttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    HttpServerOptions options;
    options.token = "unit-test-token-0123456789";
    options.body_limit = 1024;
    options.read_timeout = std::chrono::milliseconds(500);
    server_ = std::make_unique<HttpServer>(options, spdlog::default_logger());
    server_->Route("GET", "/open", RouteAccess::kPublic, RouteWork::kQuick,
                   [](const HttpRequest& r) { return HttpResponse::Text(200, "open " + r.query.at("q")); });
    server_->Route("POST", "/secret", RouteAccess::kToken, RouteWork::kBlocking,
                   [](const HttpRequest& r) { return HttpResponse::Text(200, "got " + r.body); });
    server_->Route("GET", "/throws", RouteAccess::kPublic, RouteWork::kQuick,
                   [](const HttpRequest&) -> HttpResponse { throw std::runtime_error("boom"); });
    ASSERT_TRUE(server_->Start().ok());
    port_ = server_->port();
  }

  std::unique_ptr<HttpServer> server_;
  uint16_t port_ = 0;
  const std::string token_ = "unit-test-token-0123456789";
};

TEST_F(HttpServerTest, RoutesByMethodAndPathAndDecodesTheQuery) {
  const auto reply = HttpGet(port_, "/open?q=a%20b%3C");
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body, "open a b<");
  EXPECT_EQ(reply.headers.at("x-content-type-options"), "nosniff");
  EXPECT_EQ(reply.headers.count("access-control-allow-origin"), 0u);
  EXPECT_EQ(HttpGet(port_, "/missing").status, 404);
  EXPECT_EQ(HttpPost(port_, "/open", "x").status, 405);
  EXPECT_EQ(HttpGet(port_, "/throws").status, 500);
}

TEST_F(HttpServerTest, TokenRoutesNeedTheExactBearerToken) {
  EXPECT_EQ(HttpPost(port_, "/secret", "x").status, 401);
  EXPECT_EQ(HttpPost(port_, "/secret", "x", token_ + "x").status, 401);
  EXPECT_EQ(HttpPost(port_, "/secret", "x", token_.substr(1)).status, 401);
  const auto reply = HttpPost(port_, "/secret", "payload", token_);
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body, "got payload");
}

TEST_F(HttpServerTest, WithoutATokenConfiguredTokenRoutesAreOff) {
  HttpServer server(HttpServerOptions{}, spdlog::default_logger());
  server.Route("GET", "/api", RouteAccess::kToken, RouteWork::kQuick,
               [](const HttpRequest&) { return HttpResponse::Text(200, "no"); });
  ASSERT_TRUE(server.Start().ok());
  EXPECT_EQ(HttpGet(server.port(), "/api").status, 403);
  EXPECT_EQ(HttpGet(server.port(), "/api", "").status, 403);
}

TEST_F(HttpServerTest, OversizedBodiesAndJunkGetAnAnswerThenTheConnectionCloses) {
  EXPECT_EQ(HttpPost(port_, "/secret", std::string(4096, 'x'), token_).status, 413);
  testing::RawConnection raw(port_);
  const std::string junk = "\x01\x02 GARBAGE\r\n\r\n";
  ASSERT_TRUE(raw.Send({reinterpret_cast<const uint8_t*>(junk.data()), junk.size()}));
  std::vector<uint8_t> bytes;
  raw.ReadExactly(12, &bytes, std::chrono::seconds(5));
  EXPECT_EQ(std::string(bytes.begin(), bytes.end()), "HTTP/1.1 400");
  EXPECT_EQ(raw.WaitForClose(std::chrono::seconds(5)), testing::RawConnection::End::kClosed);
  EXPECT_EQ(HttpGet(port_, "/open?q=1").status, 200);
}

TEST_F(HttpServerTest, ASilentClientIsDisconnectedAfterTheReadTimeout) {
  testing::RawConnection raw(port_);
  const std::string partial = "GET /open HTTP/1.1\r\nHost: x\r\n";  // never finished
  ASSERT_TRUE(raw.Send({reinterpret_cast<const uint8_t*>(partial.data()), partial.size()}));
  EXPECT_NE(raw.WaitForClose(std::chrono::seconds(5)), testing::RawConnection::End::kTimeout);
}

TEST(HttpServerLimitTest, ConnectionsBeyondTheLimitAreClosedUntilOneEnds) {
  HttpServerOptions options;
  options.max_connections = 1;
  HttpServer server(options, spdlog::default_logger());
  server.Route("GET", "/h", RouteAccess::kPublic, RouteWork::kQuick,
               [](const HttpRequest&) { return HttpResponse::Text(200, "ok"); });
  ASSERT_TRUE(server.Start().ok());
  {
    testing::RawConnection idle(server.port());  // holds the only slot
    ASSERT_TRUE(
        testing::WaitFor([&] { return HttpGet(server.port(), "/h").status == 0; }, std::chrono::seconds(5)));
  }
  EXPECT_TRUE(
      testing::WaitFor([&] { return HttpGet(server.port(), "/h").status == 200; }, std::chrono::seconds(5)));
}

TEST(QueryStringTest, DecodesPairs) {
  const auto q = ParseQueryString("a=1&b=x+y&c=%41%zz&d&=e");
  EXPECT_EQ(q.at("a"), "1");
  EXPECT_EQ(q.at("b"), "x y");
  EXPECT_EQ(q.at("c"), "A%zz");
  EXPECT_EQ(q.at("d"), "");
}

}  // namespace
}  // namespace ddb
