#include "ddb/protocol/messages.h"
#include "ddb/protocol/query_reply.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "round_trip.h"

namespace ddb {
namespace {

TEST(MessagesTest, HelloRoundTrips) {
  Hello m;
  m.min_version = 1;
  m.max_version = 3;
  m.node_name = "slave-1";
  m.cluster_id = "c0ffee";
  m.client_nonce = std::string("\0\x01\xff", 3);
  const Hello d = RoundTrip(m);
  EXPECT_EQ(d.min_version, 1);
  EXPECT_EQ(d.max_version, 3);
  EXPECT_EQ(d.node_name, m.node_name);
  EXPECT_EQ(d.cluster_id, m.cluster_id);
  EXPECT_EQ(d.client_nonce, m.client_nonce);
  EXPECT_EQ(d.epoch.epoch, 0u);
}

TEST(MessagesTest, HelloCarriesTheNewestEpochTheSlaveKnows) {
  Hello m;
  m.node_name = "slave-2";
  m.epoch = EpochStart{3, 1041, "slave-1"};
  EXPECT_EQ(RoundTrip(m).epoch, m.epoch);
}

TEST(MessagesTest, HelloFromANeverJoinedSlaveHasEmptyClusterId) {
  Hello m;
  m.node_name = "fresh";
  const Hello d = RoundTrip(m);
  EXPECT_EQ(d.min_version, kProtocolVersion);
  EXPECT_TRUE(d.cluster_id.empty());
}

TEST(MessagesTest, ChallengeRoundTrips) {
  Challenge m{1, "master", "c0ffee", "nonce-bytes"};
  const Challenge d = RoundTrip(m);
  EXPECT_EQ(d.version, 1);
  EXPECT_EQ(d.master_name, "master");
  EXPECT_EQ(d.cluster_id, "c0ffee");
  EXPECT_EQ(d.server_nonce, "nonce-bytes");
}

TEST(MessagesTest, AuthResponseRoundTrips) {
  EXPECT_EQ(RoundTrip(AuthResponse{std::string(32, '\xaa')}).proof, std::string(32, '\xaa'));
}

TEST(MessagesTest, AuthResultRoundTrips) {
  const AuthResult accepted = RoundTrip(AuthResult{true, "", "proof"});
  EXPECT_TRUE(accepted.accepted);
  EXPECT_EQ(accepted.master_proof, "proof");
  const AuthResult refused = RoundTrip(AuthResult{false, "bad proof", ""});
  EXPECT_FALSE(refused.accepted);
  EXPECT_EQ(refused.reason, "bad proof");
}

TEST(MessagesTest, AuthResultCarriesTheMastersEpochHistory) {
  AuthResult m{true, "", "proof"};
  m.epochs = {{1, 1, "master"}, {2, 501, "slave1"}};
  EXPECT_EQ(RoundTrip(m).epochs, m.epochs);
}

TEST(MessagesTest, AuthResultWithAnEpochCountBeyondItsBytesIsRefusedBeforeReserving) {
  std::vector<uint8_t> bytes = Encode(AuthResult{true, "", ""});
  // The count is the last field of an empty history: claim 2^32-1 entries.
  for (size_t i = bytes.size() - 4; i < bytes.size(); ++i) bytes[i] = 0xff;
  AuthResult d;
  EXPECT_EQ(Decode(bytes, &d).code(), Status::Code::kCorruption);
}

TEST(MessagesTest, AuthResultWithFlagOtherThanZeroOrOneIsCorruption) {
  std::vector<uint8_t> bytes = Encode(AuthResult{true, "", ""});
  bytes[0] = 2;
  AuthResult d;
  EXPECT_EQ(Decode(bytes, &d).code(), Status::Code::kCorruption);
  EXPECT_FALSE(d.accepted);
}

TEST(MessagesTest, SubscribeAckHeartbeatRoundTrip) {
  EXPECT_EQ(RoundTrip(Subscribe{~0ULL}).after_seq, ~0ULL);
  Ack simple;
  simple.applied_seq = 77;
  EXPECT_EQ(RoundTrip(simple).applied_seq, 77u);
  Ack stopped;
  stopped.applied_seq = 12;
  stopped.applied_committed_at_micros = 1700000000123456;
  stopped.applier = ApplierReport::kStopped;
  stopped.error_seq = 13;
  stopped.error = "ERROR 1062 (23000): Duplicate entry";
  const Ack decoded = RoundTrip(stopped);
  EXPECT_EQ(decoded.applied_committed_at_micros, 1700000000123456);
  EXPECT_EQ(decoded.applier, ApplierReport::kStopped);
  EXPECT_EQ(decoded.error_seq, 13u);
  EXPECT_EQ(decoded.error, stopped.error);
  const Heartbeat h = RoundTrip(Heartbeat{5, -123});
  EXPECT_EQ(h.last_seq, 5u);
  EXPECT_EQ(h.sent_at_micros, -123);
}

TEST(MessagesTest, SubscribeIsEightBigEndianBytes) {
  const std::vector<uint8_t> bytes = Encode(Subscribe{0x0102});
  EXPECT_EQ(bytes, (std::vector<uint8_t>{0, 0, 0, 0, 0, 0, 1, 2}));
}

TEST(MessagesTest, ErrorRoundTrips) {
  const ErrorMessage d =
      RoundTrip(ErrorMessage{ErrorCode::kVersionUnsupported, "protocol version 2, this node speaks 1"});
  EXPECT_EQ(d.code, ErrorCode::kVersionUnsupported);
  EXPECT_EQ(d.message, "protocol version 2, this node speaks 1");
}

TEST(MessagesTest, ErrorWithUnknownCodeStillDecodes) {
  // A newer peer may send codes this node does not know; its text must still
  // reach the log.
  const ErrorMessage d = RoundTrip(ErrorMessage{static_cast<ErrorCode>(99), "future"});
  EXPECT_EQ(static_cast<uint16_t>(d.code), 99);
  EXPECT_STREQ(ErrorCodeName(d.code), "unknown");
  EXPECT_EQ(d.message, "future");
}

TEST(MessagesTest, ErrorCodeNames) {
  EXPECT_STREQ(ErrorCodeName(ErrorCode::kPositionPurged), "position_purged");
  EXPECT_STREQ(ErrorCodeName(ErrorCode::kAuthFailed), "auth_failed");
}

TEST(MessagesTest, StringLengthBeyondPayloadIsCorruption) {
  // AuthResponse whose proof claims 1000 bytes but carries 3.
  const std::vector<uint8_t> bytes = {0, 0, 0x03, 0xe8, 'a', 'b', 'c'};
  AuthResponse d;
  Status s = Decode(bytes, &d);
  EXPECT_EQ(s.code(), Status::Code::kCorruption);
  EXPECT_NE(s.message().find("proof"), std::string::npos) << s.message();
}

TEST(MessagesTest, FailedDecodeLeavesOutputUntouched) {
  Hello d;
  d.node_name = "keep";
  const std::vector<uint8_t> bytes = {0, 1};
  EXPECT_FALSE(Decode(bytes, &d).ok());
  EXPECT_EQ(d.node_name, "keep");
}

}  // namespace
}  // namespace ddb

namespace ddb {
namespace {

TEST(QueryMessagesTest, RequestAndReplyRoundTripWithNulls) {
  QueryRequest request;
  request.request_id = 9;
  request.sql = "SELECT 1";
  std::vector<uint8_t> bytes = Encode(request);
  QueryRequest decoded_request;
  ASSERT_TRUE(Decode(bytes, &decoded_request).ok());
  EXPECT_EQ(decoded_request.sql, "SELECT 1");

  QueryReply reply;
  reply.request_id = 9;
  reply.ok = true;
  reply.columns = {"a", "b"};
  reply.rows = {{std::string("1"), std::nullopt}, {std::string(""), std::string("x\0y", 3)}};
  bytes = Encode(reply);
  QueryReply decoded;
  ASSERT_TRUE(Decode(bytes, &decoded).ok());
  EXPECT_EQ(decoded.columns, reply.columns);
  EXPECT_EQ(decoded.rows, reply.rows);
}

TEST(QueryMessagesTest, EncodedSizeIsWhatEncodeWrites) {
  // A slave refuses a reply over kMaxQueryReplyPayload by this count, so it
  // must be exact for every shape: errors, NULLs, short rows, empty results.
  QueryReply error = MakeQueryReply(3, Status::MySql(1146, "42S02", "Table 'db.t' doesn't exist"));
  EXPECT_EQ(EncodedSize(error), Encode(error).size());
  QueryReply rows;
  rows.ok = true;
  rows.columns = {"a", "bb", "ccc"};
  rows.numeric = {true};
  rows.rows = {{std::string("1"), std::nullopt, std::string(300, 'x')}, {std::string("")}, {}};
  EXPECT_EQ(EncodedSize(rows), Encode(rows).size());
  EXPECT_EQ(EncodedSize(QueryReply()), Encode(QueryReply()).size());
}

TEST(QueryMessagesTest, HugeRowCountIsRejectedWithoutAllocating) {
  QueryReply reply;
  reply.ok = true;
  reply.columns = {"a"};
  std::vector<uint8_t> bytes = Encode(reply);
  // The row count is the last 4 bytes of an empty reply: claim 4 billion rows.
  for (size_t i = bytes.size() - 4; i < bytes.size(); ++i) bytes[i] = 0xFF;
  QueryReply decoded;
  EXPECT_EQ(Decode(bytes, &decoded).code(), Status::Code::kCorruption);
}

TEST(QueryMessagesTest, EveryTruncationFailsCleanly) {
  QueryReply reply;
  reply.ok = false;
  reply.error_code = 1146;
  reply.sql_state = "42S02";
  reply.message = "Table 'x.y' doesn't exist";
  const std::vector<uint8_t> bytes = Encode(reply);
  for (size_t length = 0; length < bytes.size(); ++length) {
    QueryReply decoded;
    EXPECT_FALSE(Decode(std::span<const uint8_t>(bytes.data(), length), &decoded).ok()) << length;
  }
}

TEST(ForwardMessagesTest, RequestRoundTrips) {
  ForwardRequest request;
  request.request_id = 4;
  request.session_id = 2;
  request.sql = "INSERT INTO t VALUES ('\xc3\xa9')";
  request.database = "shop";
  const ForwardRequest decoded = RoundTrip(request);
  EXPECT_EQ(decoded.request_id, 4u);
  EXPECT_EQ(decoded.session_id, 2u);
  EXPECT_EQ(decoded.sql, request.sql);
  EXPECT_EQ(decoded.database, "shop");
}

TEST(ForwardMessagesTest, ReplyRoundTripsWithRowsWarningsAndPosition) {
  ForwardReply reply;
  reply.result.request_id = 4;
  reply.result.ok = true;
  reply.result.columns = {"id"};
  reply.result.numeric = {true};
  reply.result.rows = {{std::string("1")}, {std::nullopt}};
  reply.affected_rows = 3;
  reply.committed_seq = 77;
  reply.in_transaction = true;
  reply.info = "Database changed";
  reply.warnings = {"unsafe for replication", ""};
  const ForwardReply decoded = RoundTrip(reply);
  EXPECT_EQ(decoded.result.rows, reply.result.rows);
  EXPECT_EQ(decoded.result.numeric, reply.result.numeric);
  EXPECT_EQ(decoded.affected_rows, 3u);
  EXPECT_EQ(decoded.committed_seq, 77u);
  EXPECT_TRUE(decoded.in_transaction);
  EXPECT_EQ(decoded.info, "Database changed");
  EXPECT_EQ(decoded.warnings, reply.warnings);
}

TEST(ForwardMessagesTest, ErrorReplyKeepsTheMySqlError) {
  ForwardReply reply;
  reply.result.ok = false;
  reply.result.error_code = 1062;
  reply.result.sql_state = "23000";
  reply.result.message = "Duplicate entry '1' for key 'PRIMARY'";
  const ForwardReply decoded = RoundTrip(reply);
  EXPECT_FALSE(decoded.result.ok);
  EXPECT_EQ(decoded.result.error_code, 1062u);
  EXPECT_EQ(decoded.result.sql_state, "23000");
}

TEST(ForwardMessagesTest, HugeWarningCountIsRejectedWithoutAllocating) {
  ForwardReply reply;
  std::vector<uint8_t> bytes = Encode(reply);
  for (size_t i = bytes.size() - 4; i < bytes.size(); ++i) bytes[i] = 0xFF;
  ForwardReply decoded;
  EXPECT_EQ(Decode(bytes, &decoded).code(), Status::Code::kCorruption);
}

TEST(ForwardMessagesTest, EndRoundTrips) {
  ForwardEnd m;
  m.session_id = 0x0102030405060708ull;
  EXPECT_EQ(RoundTrip(m).session_id, m.session_id);
  EXPECT_EQ(Encode(m), (std::vector<uint8_t>{1, 2, 3, 4, 5, 6, 7, 8}));
}

TEST(HandOverMessagesTest, RoundTripAndTruncation) {
  HandOver m;
  m.last_seq = 1041;
  m.epoch = 2;
  const HandOver d = RoundTrip(m);
  EXPECT_EQ(d.last_seq, 1041u);
  EXPECT_EQ(d.epoch, 2u);
  std::vector<uint8_t> bytes = Encode(m);
  bytes.pop_back();
  HandOver truncated;
  EXPECT_EQ(Decode(bytes, &truncated).code(), Status::Code::kCorruption);
  HandOverRefused refused{"slave2 has no master_config"};
  EXPECT_EQ(RoundTrip(refused).reason, refused.reason);
  EXPECT_STREQ(MessageTypeName(MessageType::kHandOverRefused), "hand_over_refused");
  EXPECT_TRUE(IsKnownMessageType(static_cast<uint16_t>(MessageType::kHandOverRefused)));
  EXPECT_FALSE(IsKnownMessageType(static_cast<uint16_t>(MessageType::kHandOverRefused) + 1));
}

TEST(QueryMessagesTest, AFlagOtherThanZeroOrOneIsCorruption) {
  QueryReply reply;
  reply.ok = true;
  reply.columns = {"v"};
  reply.numeric = {true};
  reply.rows = {{"1"}};
  const std::vector<uint8_t> good = Encode(reply);
  // ok flag right after the u64 request id; the numeric flag after the
  // first column's name; the cell's presence flag after the row count.
  const size_t ok_at = 8;
  const size_t numeric_at = 8 + 1 + 4 + 4 + 4 + 4 + 4 + 1;
  const size_t present_at = numeric_at + 1 + 4;
  for (size_t at : {ok_at, numeric_at, present_at}) {
    std::vector<uint8_t> bad = good;
    ASSERT_EQ(bad[at], 1) << at;
    bad[at] = 2;
    QueryReply decoded;
    Status s = Decode(bad, &decoded);
    EXPECT_EQ(s.code(), Status::Code::kCorruption) << at;
    EXPECT_NE(s.message().find("flag 2"), std::string::npos) << s.message();
  }
}

TEST(QueryMessagesTest, RowsWithoutColumnsAreRejectedWithoutAllocating) {
  // Found by the fuzzer: with no columns a row takes no bytes, so the row
  // count was bounded by nothing and 4 billion empty rows were made.
  QueryReply reply;
  reply.ok = true;
  std::vector<uint8_t> bytes = Encode(reply);
  ASSERT_GE(bytes.size(), 4u);
  for (size_t i = bytes.size() - 4; i < bytes.size(); ++i) bytes[i] = 0xff;  // row count
  QueryReply decoded;
  Status s = Decode(bytes, &decoded);
  EXPECT_EQ(s.code(), Status::Code::kCorruption);
  EXPECT_NE(s.message().find("rows without columns"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace ddb
