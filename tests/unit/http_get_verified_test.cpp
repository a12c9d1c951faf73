// HttpGetVerified: what a node reads its peers' /health with when it has a
// tls_ca_file. A peer's answer can fence a master, so one whose certificate
// is not from that CA, or does not name the address asked, is no answer.
#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include "ddb/daemon/config_check.h"
#include "ddb/daemon/http_server.h"
#include "test_certificates.h"
#include "wait.h"

namespace ddb {
namespace {

using testing::TempDir;
using testing::TestCa;

class HttpGetVerifiedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ca_ = std::make_unique<TestCa>(dir_.path(), "peer CA");
    const testing::CertificateFiles server = ca_->Issue("peer", {"localhost"}, {"127.0.0.1"});
    std::shared_ptr<ssl::context> tls;
    ASSERT_TRUE(MakeTlsServerContext("peer.ini", {server.cert, server.key, ""}, false, &tls).ok());
    HttpServerOptions options;
    options.tls = tls;
    server_ = std::make_unique<HttpServer>(options, spdlog::default_logger());
    server_->Route("GET", "/health", RouteAccess::kPublic, RouteWork::kQuick,
                   [](const HttpRequest&) { return HttpResponse::Text(200, "{\"role\":\"master\"}"); });
    ASSERT_TRUE(server_->Start().ok());
  }

  std::shared_ptr<ssl::context> ClientTrusting(const std::filesystem::path& ca_file) {
    std::shared_ptr<ssl::context> client;
    EXPECT_TRUE(MakeTlsClientContext("node.ini", {"", "", ca_file.string()}, &client).ok());
    return client;
  }

  TempDir dir_{"ddb-peer-tls"};
  std::unique_ptr<TestCa> ca_;
  std::unique_ptr<HttpServer> server_;
};

TEST_F(HttpGetVerifiedTest, APeerWithACertificateFromTheCaAnswers) {
  int status = 0;
  std::string body;
  ASSERT_TRUE(HttpGetVerified(*ClientTrusting(ca_->ca_file()), "127.0.0.1", server_->port(), "/health",
                              std::chrono::seconds(5), &status, &body)
                  .ok());
  EXPECT_EQ(status, 200);
  EXPECT_EQ(body, "{\"role\":\"master\"}");
}

TEST_F(HttpGetVerifiedTest, APeerWhoseCertificateIsFromAnotherCaIsNoAnswer) {
  TestCa other(dir_.path() / "other", "another CA");
  int status = 0;
  std::string body;
  const Status s = HttpGetVerified(*ClientTrusting(other.ca_file()), "127.0.0.1", server_->port(), "/health",
                                   std::chrono::seconds(5), &status, &body);
  EXPECT_EQ(s.code(), Status::Code::kUnavailable) << s.ToString();
  EXPECT_EQ(status, 0);
  EXPECT_TRUE(body.empty());
}

}  // namespace
}  // namespace ddb
