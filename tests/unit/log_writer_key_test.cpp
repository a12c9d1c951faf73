// The MAC the log's procedures check (log_writer_key.h). That MariaDB's
// SHA2() computes the same is shown end to end
// (EndpointPrivilegesTest.TheLogsProceduresTakeCallsFromThisMasterOnly).
#include "log_writer_key.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ddb {
namespace {

std::vector<uint8_t> Bytes(const std::string& text) { return std::vector<uint8_t>(text.begin(), text.end()); }

TEST(LogWriterKeyTest, TheMacIsTheNestedSha256OfTheMessageInLowerCaseHex) {
  // Computed with Python's hashlib: sha256(secret_hex + sha256(message).hexdigest()),
  // the secret empty (a default key).
  std::vector<uint8_t> body = {0, 1, 2, 39, 92, 200, 255};
  const std::vector<uint8_t> hello = Bytes("hello");
  body.insert(body.end(), hello.begin(), hello.end());
  EXPECT_EQ(LogWriterKey().Sign(7, 1234, body),
            "cc4201db542a0c8577327ba278163d385879151b4bbe84f8919eb89e85a18034");
  EXPECT_EQ(LogWriterKey().Sign(5, 0, {}),
            "711c0d19c178278b813e293325574ce2b2fa2fbe6f79e695564fccf1b8766984");
}

TEST(LogWriterKeyTest, EveryArgumentChangesTheMac) {
  const LogWriterKey key;
  const std::string mac = key.Sign(12, 34, Bytes("INSERT"));
  EXPECT_NE(key.Sign(13, 34, Bytes("INSERT")), mac);
  EXPECT_NE(key.Sign(12, 35, Bytes("INSERT")), mac);
  EXPECT_NE(key.Sign(12, 34, Bytes("INSERT ")), mac);
  // The separators keep the fields apart: seq 1 and time 23 is not seq 12 and time 3.
  EXPECT_NE(key.Sign(1, 23, Bytes("x")), key.Sign(12, 3, Bytes("x")));
}

TEST(LogWriterKeyTest, TheProcedureCheckRefusesAMissingMacAndAMissingKey) {
  const std::string sql = LogWriterKey::RequireMacSql("CONCAT(p_seq, ':0:')");
  EXPECT_NE(
      sql.find(
          "p_mac IS NULL OR NOT (p_mac <=> (SELECT SHA2(CONCAT(secret, SHA2(CONCAT(p_seq, ':0:'), 256)), 256)"
          " FROM ddb_meta.log_key WHERE id = 1))"),
      std::string::npos)
      << sql;
  EXPECT_NE(sql.find("SIGNAL SQLSTATE '45000'"), std::string::npos) << sql;
}

}  // namespace
}  // namespace ddb
