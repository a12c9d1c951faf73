// FramedSocket over TLS (StartTls) on a loopback pair, with certificates
// from a test CA: frames round trip; a client refuses a server whose
// certificate its CA did not sign or that names another host; a server that
// requires client certificates refuses a client without one; a plain peer
// is told from a TLS one by its first byte.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "byte_strings.h"
#include "ddb/base/tls.h"
#include "ddb/protocol/framed_socket.h"
#include "test_certificates.h"
#include "wait.h"

namespace ddb {
namespace {

using testing::CertificateFiles;
using testing::TempDir;
using testing::TestCa;

class FramedSocketTlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ca_ = std::make_unique<TestCa>(dir_.path(), "unit CA");
    server_files_ = ca_->Issue("server");
    client_files_ = ca_->Issue("client");
    tcp::acceptor acceptor(io_, tcp::endpoint(asio::ip::address_v4::loopback(), 0));
    tcp::socket client_socket(io_);
    client_socket.connect(acceptor.local_endpoint());
    tcp::socket server_socket = acceptor.accept();
    client_ = std::make_unique<FramedSocket>(std::move(client_socket));
    server_ = std::make_unique<FramedSocket>(std::move(server_socket));
  }

  std::shared_ptr<ssl::context> ServerContext(bool verify_clients) {
    std::shared_ptr<ssl::context> context;
    const Status s = MakeTlsServerContext(
        "test", {server_files_.cert.string(), server_files_.key.string(), ca_->ca_file().string()},
        verify_clients, &context);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return context;
  }

  std::shared_ptr<ssl::context> ClientContext(const std::string& ca_file, bool with_cert) {
    TlsFiles files;
    files.ca_file = ca_file;
    if (with_cert) {
      files.cert_file = client_files_.cert.string();
      files.key_file = client_files_.key.string();
    }
    std::shared_ptr<ssl::context> context;
    const Status s = MakeTlsClientContext("test", files, &context);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return context;
  }

  using Result = std::shared_ptr<std::optional<Status>>;
  Result Spawn(asio::awaitable<Status> op) {
    auto result = std::make_shared<std::optional<Status>>();
    asio::co_spawn(io_, std::move(op), [result](std::exception_ptr e, Status s) {
      *result = e ? Status::IoError("coroutine threw") : std::move(s);
    });
    return result;
  }
  void Drain() {
    io_.restart();
    io_.run_for(std::chrono::seconds(10));
  }

  // Both handshakes at once; their results.
  std::pair<Status, Status> Handshake(ssl::context& server, ssl::context& client, const std::string& name) {
    Result server_done = Spawn(server_->StartTls(server, ssl::stream_base::server, std::chrono::seconds(5)));
    Result client_done = Spawn(client_->StartTls(client, ssl::stream_base::client, std::chrono::seconds(5),
                                                 [name](SSL* ssl) { return ExpectPeerName(ssl, name); }));
    Drain();
    EXPECT_TRUE(*server_done && *client_done) << "a handshake did not finish";
    return {server_done->value_or(Status::IoError("unfinished")),
            client_done->value_or(Status::IoError("unfinished"))};
  }

  TempDir dir_{"ddb-tls-unit"};
  std::unique_ptr<TestCa> ca_;
  CertificateFiles server_files_, client_files_;
  asio::io_context io_;
  std::unique_ptr<FramedSocket> client_, server_;
};

TEST_F(FramedSocketTlsTest, FramesRoundTripOverTls) {
  auto server = ServerContext(false);
  auto client = ClientContext(ca_->ca_file().string(), false);
  const auto [server_status, client_status] = Handshake(*server, *client, "127.0.0.1");
  ASSERT_TRUE(server_status.ok()) << server_status.ToString();
  ASSERT_TRUE(client_status.ok()) << client_status.ToString();
  EXPECT_TRUE(client_->tls());
  const std::vector<uint8_t> payload = Bytes("over TLS");
  Result written = Spawn(client_->WriteFrame(MessageType::kHello, payload));
  Frame frame;
  Result read = Spawn(server_->ReadFrame(&frame, std::chrono::seconds(5)));
  Drain();
  ASSERT_TRUE(*written && (*written)->ok());
  ASSERT_TRUE(*read && (*read)->ok()) << (*read)->ToString();
  EXPECT_EQ(frame.type, MessageType::kHello);
  EXPECT_EQ(frame.payload, payload);
  // The peer's close reads as a closed connection, as over plain TCP.
  client_->Close();
  Result closed = Spawn(server_->ReadFrame(&frame, std::chrono::seconds(5)));
  Drain();
  ASSERT_TRUE(*closed);
  EXPECT_EQ((*closed)->code(), Status::Code::kUnavailable) << (*closed)->ToString();
}

TEST_F(FramedSocketTlsTest, ClientRefusesACertificateItsCaDidNotSign) {
  TestCa other(dir_.path() / "other", "other CA");
  auto server = ServerContext(false);
  auto client = ClientContext(other.ca_file().string(), false);
  const auto [server_status, client_status] = Handshake(*server, *client, "127.0.0.1");
  EXPECT_EQ(client_status.code(), Status::Code::kRefused) << client_status.ToString();
  EXPECT_NE(client_status.message().find("unable to get local issuer certificate"), std::string::npos)
      << client_status.ToString();
  EXPECT_FALSE(server_status.ok());
}

TEST_F(FramedSocketTlsTest, ClientRefusesACertificateForAnotherName) {
  auto server = ServerContext(false);
  auto client = ClientContext(ca_->ca_file().string(), false);
  const auto [server_status, client_status] = Handshake(*server, *client, "db.example.com");
  EXPECT_EQ(client_status.code(), Status::Code::kRefused) << client_status.ToString();
  EXPECT_NE(client_status.message().find("hostname mismatch"), std::string::npos) << client_status.ToString();
}

TEST_F(FramedSocketTlsTest, ServerRequiringClientCertificatesRefusesAClientWithout) {
  auto server = ServerContext(true);
  auto without = ClientContext(ca_->ca_file().string(), false);
  const auto [server_status, client_status] = Handshake(*server, *without, "localhost");
  EXPECT_EQ(server_status.code(), Status::Code::kRefused) << server_status.ToString();
  EXPECT_NE(server_status.message().find("peer did not return a certificate"), std::string::npos)
      << server_status.ToString();
}

TEST_F(FramedSocketTlsTest, ServerAcceptsAClientWithItsCertificate) {
  auto server = ServerContext(true);
  auto with = ClientContext(ca_->ca_file().string(), true);
  const auto [server_status, client_status] = Handshake(*server, *with, "localhost");
  EXPECT_TRUE(server_status.ok()) << server_status.ToString();
  EXPECT_TRUE(client_status.ok()) << client_status.ToString();
}

TEST_F(FramedSocketTlsTest, PeekTellsATlsClientFromAPlainOne) {
  auto client = ClientContext(ca_->ca_file().string(), false);
  // The client starts its handshake; the server only looks at the first byte.
  Spawn(client_->StartTls(*client, ssl::stream_base::client, std::chrono::seconds(2)));
  uint8_t first = 0;
  Result peeked = Spawn(server_->PeekByte(&first, std::chrono::seconds(2)));
  Drain();
  ASSERT_TRUE(*peeked && (*peeked)->ok());
  EXPECT_EQ(first, kTlsHandshakeRecord);
}

TEST(TlsContextTest, BadFilesAreNamedByTheirKey) {
  TempDir dir("ddb-tls-unit");
  TestCa ca(dir.path(), "unit CA");
  const CertificateFiles node = ca.Issue("node");
  const CertificateFiles other = ca.Issue("other");
  std::shared_ptr<ssl::context> context;
  Status s = MakeTlsServerContext("x.ini", {"", node.key.string(), ""}, false, &context);
  EXPECT_NE(s.message().find("key 'tls_cert_file' is missing"), std::string::npos) << s.ToString();
  s = MakeTlsServerContext("x.ini", {(dir.path() / "nope.pem").string(), node.key.string(), ""}, false,
                           &context);
  EXPECT_NE(s.message().find("key 'tls_cert_file': cannot use"), std::string::npos) << s.ToString();
  s = MakeTlsServerContext("x.ini", {node.cert.string(), other.key.string(), ""}, false, &context);
  EXPECT_NE(s.message().find("key 'tls_key_file'"), std::string::npos) << s.ToString();
  s = MakeTlsServerContext("x.ini", {node.cert.string(), node.key.string(), ""}, true, &context);
  EXPECT_NE(s.message().find("key 'tls_ca_file' is missing"), std::string::npos) << s.ToString();
  s = MakeTlsClientContext("x.ini", {"", "", node.key.string()}, &context);  // a key is no CA
  EXPECT_NE(s.message().find("key 'tls_ca_file'"), std::string::npos) << s.ToString();
  EXPECT_TRUE(MakeTlsServerContext("x.ini", {node.cert.string(), node.key.string(), ca.ca_file().string()},
                                   true, &context)
                  .ok());
}

}  // namespace
}  // namespace ddb
