// A streamed response body (HttpResponse::body_source) on a real loopback
// socket: pieces arrive in order as chunks, and a source that fails part way
// leaves the client with a body it can tell is incomplete.
#include <gtest/gtest.h>

#include <spdlog/spdlog.h>

#include "ddb/daemon/http_server.h"
#include "http_client.h"

namespace ddb {
namespace {

class CountingBodySource : public HttpBodySource {
 public:
  CountingBodySource(int pieces, int fail_at) : pieces_(pieces), fail_at_(fail_at) {}
  Status Next(std::string* piece) override {
    piece->clear();
    if (next_ == fail_at_) return Status::IoError("the source broke");
    if (next_ < pieces_) *piece = "piece " + std::to_string(next_) + std::string(100000, '.') + "\n";
    ++next_;
    return Status::Ok();
  }

 private:
  const int pieces_;
  const int fail_at_;
  int next_ = 0;
};

class HttpStreamTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<HttpServer>(HttpServerOptions{}, spdlog::default_logger());
    for (const auto& [path, fail_at] : {std::pair{"/whole", -1}, std::pair{"/broken", 3}}) {
      server_->Route("GET", path, RouteAccess::kPublic, RouteWork::kBlocking, [fail_at](const HttpRequest&) {
        HttpResponse response;
        response.content_type = "text/plain";
        response.body_source = std::make_shared<CountingBodySource>(5, fail_at);
        return response;
      });
    }
    ASSERT_TRUE(server_->Start().ok());
  }
  std::unique_ptr<HttpServer> server_;
};

TEST_F(HttpStreamTest, EveryPieceArrivesInOrderAsOneChunkedBody) {
  const auto reply = testing::HttpGet(server_->port(), "/whole");
  ASSERT_EQ(reply.status, 200) << reply.error;
  EXPECT_EQ(reply.headers.at("transfer-encoding"), "chunked");
  EXPECT_EQ(reply.body.size(), 5u * (7 + 100000 + 1));
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(reply.body.substr(static_cast<size_t>(i) * 100008, 7), "piece " + std::to_string(i));
  }
}

TEST_F(HttpStreamTest, ASourceThatFailsLeavesTheBodyVisiblyIncomplete) {
  const auto reply = testing::HttpGet(server_->port(), "/broken");
  // No last chunk: the client's parser reports a partial message, never a
  // complete body of three pieces.
  EXPECT_EQ(reply.status, 0);
  EXPECT_FALSE(reply.error.empty());
}

}  // namespace
}  // namespace ddb
