#include "mysql_handshake.h"

#include <gtest/gtest.h>

#include "mysql_native_password.h"
#include "mysql_packet.h"

namespace ddb::mysql {
namespace {

// A HandshakeResponse41 the way PyMySQL writes one.
std::vector<uint8_t> ClientResponse(uint32_t capabilities, const std::string& user, const std::string& token,
                                    const std::string& database, const std::string& plugin) {
  PayloadWriter w;
  w.U32(capabilities);
  w.U32(16 * 1024 * 1024);
  w.U8(45);
  w.Zeros(23);
  w.NulTerminated(user);
  w.LengthEncodedString(token);
  if (capabilities & kClientConnectWithDb) w.NulTerminated(database);
  w.NulTerminated(plugin);
  w.U8(0);  // connection attributes: none
  return w.Take();
}

constexpr uint32_t kPyMySqlFlags = kClientLongPassword | kClientLongFlag | kClientProtocol41 |
                                   kClientTransactions | kClientSecureConnection | kClientMultiResults |
                                   kClientPluginAuth | kClientPluginAuthLenencData | kClientConnectAttrs;

TEST(MySqlHandshakeTest, GreetingCarriesVersionScrambleAndPlugin) {
  Greeting greeting;
  greeting.server_version = "10.11.19-MariaDB-ddb";
  greeting.connection_id = 0x01020304;
  greeting.scramble = "abcdefghij0123456789";
  const std::vector<uint8_t> bytes = EncodeGreeting(greeting);
  PayloadReader r(bytes);
  uint8_t protocol = 0;
  std::string version, part1, part2, plugin;
  uint32_t id = 0;
  uint8_t filler = 1, charset = 0, data_length = 0;
  uint16_t low = 0, status = 0, high = 0;
  ASSERT_TRUE(r.U8(&protocol) && r.NulTerminated(&version) && r.U32(&id) && r.Bytes(8, &part1) &&
              r.U8(&filler) && r.U16(&low) && r.U8(&charset) && r.U16(&status) && r.U16(&high) &&
              r.U8(&data_length) && r.Skip(10) && r.NulTerminated(&part2) && r.NulTerminated(&plugin));
  EXPECT_EQ(protocol, 10);
  EXPECT_EQ(version, "10.11.19-MariaDB-ddb");
  EXPECT_EQ(id, 0x01020304u);
  EXPECT_EQ(part1 + part2, greeting.scramble);
  EXPECT_EQ(filler, 0);
  EXPECT_EQ(low | (static_cast<uint32_t>(high) << 16), kServerCapabilities);
  EXPECT_EQ(status, kStatusAutocommit);
  EXPECT_EQ(data_length, 21);
  EXPECT_EQ(plugin, "mysql_native_password");
  EXPECT_EQ(r.remaining(), 0u);
}

TEST(MySqlHandshakeTest, ResponseDecodesUserTokenDatabaseAndPlugin) {
  const std::string token = NativePasswordToken("secret", "abcdefghij0123456789");
  HandshakeResponse response;
  ASSERT_TRUE(DecodeHandshakeResponse(ClientResponse(kPyMySqlFlags | kClientConnectWithDb, "app", token,
                                                     "shop", "mysql_native_password"),
                                      &response)
                  .ok());
  EXPECT_EQ(response.user, "app");
  EXPECT_EQ(response.auth_response, token);
  EXPECT_EQ(response.database, "shop");
  EXPECT_EQ(response.auth_plugin, "mysql_native_password");
  EXPECT_EQ(response.charset, 45);
  EXPECT_FALSE(response.ssl_request);
}

TEST(MySqlHandshakeTest, OneByteTokenLengthWithoutLenencCapability) {
  PayloadWriter w;
  w.U32(kClientProtocol41 | kClientSecureConnection);
  w.U32(0);
  w.U8(8);
  w.Zeros(23);
  w.NulTerminated("bob");
  w.U8(3);
  w.Raw("xyz");
  HandshakeResponse response;
  ASSERT_TRUE(DecodeHandshakeResponse(w.bytes(), &response).ok());
  EXPECT_EQ(response.user, "bob");
  EXPECT_EQ(response.auth_response, "xyz");
  EXPECT_EQ(response.database, "");
}

TEST(MySqlHandshakeTest, GarbageAndTruncationAreRefused) {
  HandshakeResponse response;
  const std::vector<uint8_t> garbage = {'G', 'E', 'T', ' ', '/', ' ', 'H', 'T', 'T', 'P'};
  EXPECT_FALSE(DecodeHandshakeResponse(garbage, &response).ok());
  std::vector<uint8_t> full =
      ClientResponse(kPyMySqlFlags, "app", std::string(20, 'x'), "", "mysql_native_password");
  // Cut inside the token: its length says 20 bytes follow.
  full.resize(4 + 4 + 1 + 23 + 4 + 1 + 10);
  const Status s = DecodeHandshakeResponse(full, &response);
  EXPECT_EQ(s.code(), Status::Code::kCorruption) << s.ToString();
  EXPECT_NE(s.message().find("auth response"), std::string::npos) << s.message();
}

TEST(MySqlHandshakeTest, ClientWithoutProtocol41IsRefused) {
  std::vector<uint8_t> old = ClientResponse(kPyMySqlFlags & ~kClientProtocol41, "app", "", "", "");
  HandshakeResponse response;
  EXPECT_EQ(DecodeHandshakeResponse(old, &response).code(), Status::Code::kInvalidArgument);
}

TEST(MySqlHandshakeTest, SslRequestIsRecognised) {
  PayloadWriter w;
  w.U32(kPyMySqlFlags | kClientSsl);
  w.U32(0);
  w.U8(45);
  w.Zeros(23);
  HandshakeResponse response;
  ASSERT_TRUE(DecodeHandshakeResponse(w.bytes(), &response).ok());
  EXPECT_TRUE(response.ssl_request);
}

TEST(MySqlHandshakeTest, ChangeUserDecodesAsLaidOutByTheLoginsCapabilities) {
  PayloadWriter w;
  w.NulTerminated("app");
  w.U8(3);
  w.Raw("tok");
  w.NulTerminated("shop");
  w.U16(33);
  w.NulTerminated("mysql_native_password");
  const std::vector<uint8_t> bytes = w.Take();
  HandshakeResponse out;
  ASSERT_TRUE(DecodeChangeUser(bytes, kPyMySqlFlags, &out).ok());
  EXPECT_EQ(out.user, "app");
  EXPECT_EQ(out.auth_response, "tok");
  EXPECT_EQ(out.database, "shop");
  EXPECT_EQ(out.charset, 33);
  EXPECT_EQ(out.auth_plugin, "mysql_native_password");
  // Cut short anywhere before the database: refused, naming the field.
  const Status cut = DecodeChangeUser(std::span(bytes).first(6), kPyMySqlFlags, &out);
  EXPECT_FALSE(cut.ok());
  EXPECT_NE(cut.message().find("auth response"), std::string::npos) << cut.ToString();
}

TEST(MySqlHandshakeTest, AuthSwitchNamesThePluginAndResendsTheScramble) {
  const std::vector<uint8_t> bytes = EncodeAuthSwitch("mysql_native_password", "abcdefghij0123456789");
  PayloadReader r(bytes);
  uint8_t marker = 0;
  std::string plugin, data;
  ASSERT_TRUE(r.U8(&marker) && r.NulTerminated(&plugin) && r.NulTerminated(&data));
  EXPECT_EQ(marker, 0xFE);
  EXPECT_EQ(plugin, "mysql_native_password");
  EXPECT_EQ(data, "abcdefghij0123456789");
}

}  // namespace
}  // namespace ddb::mysql
