#include "ddb/console/console_messages.h"

#include <gtest/gtest.h>

#include "ddb/base/wire.h"
#include "ddb/protocol/query_reply.h"
#include "round_trip.h"

namespace ddb {
namespace {

TEST(ConsoleMessagesTest, WelcomeRoundTripsWithItsCommands) {
  ConsoleWelcome m;
  m.node_name = "slave2";
  m.commands = {{"status", "this slave's link"}, {"retry", "retry the record"}};
  const ConsoleWelcome d = RoundTrip(m);
  EXPECT_EQ(d.node_name, "slave2");
  EXPECT_EQ(d.commands, m.commands);
}

TEST(ConsoleMessagesTest, WelcomeWithACommandMissingItsDescriptionIsCorruption) {
  ByteWriter w;
  w.Bytes("slave2");
  w.U32(1);
  w.Bytes("status");
  ConsoleWelcome d;
  Status s = Decode(w.data(), &d);
  EXPECT_EQ(s.code(), Status::Code::kCorruption);
  EXPECT_NE(s.message().find("without its description"), std::string::npos) << s.message();
}

TEST(ConsoleMessagesTest, StatementAndCommandRoundTrip) {
  ConsoleStatement statement{std::string("SELECT 'a;b', \0 FROM t", 22)};
  EXPECT_EQ(RoundTrip(statement).sql, statement.sql);
  ConsoleCommand command{"status", "json"};
  const ConsoleCommand d = RoundTrip(command);
  EXPECT_EQ(d.name, "status");
  EXPECT_EQ(d.argument, "json");
  ConsoleCommandOutput output{2, "ERROR: nothing to retry\n"};
  const ConsoleCommandOutput o = RoundTrip(output);
  EXPECT_EQ(o.result, 2);
  EXPECT_EQ(o.output, output.output);
}

TEST(ConsoleMessagesTest, OutcomeCarriesRowsCountsWarningsAndTheDatabase) {
  ExecutionResult original;
  original.result.has_result_set = true;
  original.result.columns = {"id", "v"};
  original.result.numeric = {true, false};
  original.result.rows = {{"1", std::nullopt}, {"2", "two"}};
  original.answered_by = "master";
  original.warnings = {"committed as #7, not applied here yet"};
  const ConsoleOutcome wire = RoundTrip(MakeConsoleOutcome(original, "shop"));
  EXPECT_EQ(wire.database, "shop");
  const ExecutionResult back = OutcomeResult(wire);
  EXPECT_TRUE(back.status.ok());
  EXPECT_TRUE(back.result.has_result_set);
  EXPECT_EQ(back.result.columns, original.result.columns);
  EXPECT_EQ(back.result.numeric, original.result.numeric);
  EXPECT_EQ(back.result.rows, original.result.rows);
  EXPECT_EQ(back.answered_by, "master");
  EXPECT_EQ(back.warnings, original.warnings);

  ExecutionResult write;
  write.result.affected_rows = 3;
  write.result.insert_id = 41;
  write.result.server_info = "Records: 3  Duplicates: 0  Warnings: 0";
  write.info = "";
  const ExecutionResult written = OutcomeResult(RoundTrip(MakeConsoleOutcome(write, "")));
  EXPECT_FALSE(written.result.has_result_set);
  EXPECT_EQ(written.result.affected_rows, 3u);
  EXPECT_EQ(written.result.insert_id, 41u);
  EXPECT_EQ(written.result.server_info, write.result.server_info);
}

TEST(ConsoleMessagesTest, OutcomeKeepsAMySqlErrorAndARefusalApart) {
  ExecutionResult mysql;
  mysql.status = Status::MySql(1146, "42S02", "Table 'f.nope' doesn't exist");
  const Status back = OutcomeResult(RoundTrip(MakeConsoleOutcome(mysql, ""))).status;
  EXPECT_EQ(back.code(), Status::Code::kMySql);
  EXPECT_EQ(back.ToString(), "ERROR 1146 (42S02): Table 'f.nope' doesn't exist");

  ExecutionResult refused;
  refused.status = Status::Refused("DROP is refused on slave 'slave2'");
  const Status refusal = OutcomeResult(RoundTrip(MakeConsoleOutcome(refused, ""))).status;
  EXPECT_EQ(refusal.code(), Status::Code::kRefused);
  EXPECT_EQ(refusal.message(), "DROP is refused on slave 'slave2'");
}

TEST(ConsoleMessagesTest, NestedResultLongerThanThePayloadIsCorruption) {
  ByteWriter w;
  w.U32(1000);  // the nested QueryReply claims more bytes than there are
  w.U64(0);
  ConsoleOutcome d;
  EXPECT_EQ(Decode(w.data(), &d).code(), Status::Code::kCorruption);
}

TEST(ConsoleMessagesTest, HugeWarningCountIsRejectedWithoutAllocating) {
  ByteWriter w;
  const std::vector<uint8_t> result = Encode(MakeQueryReply(0, Status::Ok()));
  w.U32(static_cast<uint32_t>(result.size()));
  w.Raw(result);
  w.U64(0);
  w.U64(0);
  w.Bytes("");
  w.Bytes("");
  w.Bytes("");
  w.U32(0xffffffff);
  ConsoleOutcome d;
  Status s = Decode(w.data(), &d);
  EXPECT_EQ(s.code(), Status::Code::kCorruption);
  EXPECT_NE(s.message().find("exceeds the payload"), std::string::npos) << s.message();
}

TEST(ConsoleMessagesTest, CommandResultsTravelAsBytes) {
  for (CommandResult r : {CommandResult::kUnknown, CommandResult::kDone, CommandResult::kFailed}) {
    EXPECT_EQ(CommandResultFromByte(CommandResultByte(r)), r);
  }
  EXPECT_EQ(CommandResultFromByte(200), CommandResult::kFailed);
}

}  // namespace
}  // namespace ddb
