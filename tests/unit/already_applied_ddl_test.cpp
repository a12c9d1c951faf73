#include <gtest/gtest.h>

#include "ddb/mysql/replay_session.h"

namespace ddb {
namespace {

constexpr int kTableExists = 1050;
constexpr int kNoSuchTable = 1146;
constexpr int kDuplicateEntry = 1062;

TEST(AlreadyAppliedDdlTest, AnErrorThatNamesTheEffectCountsAsApplied) {
  EXPECT_TRUE(IsAlreadyAppliedDdlError(kTableExists, "CREATE TABLE t (id INT)"));
  EXPECT_FALSE(IsAlreadyAppliedDdlError(kDuplicateEntry, "ALTER TABLE t ADD UNIQUE (a)"));
}

TEST(AlreadyAppliedDdlTest, NoSuchTableCountsOnlyForARename) {
  // The old name is gone once the rename ran.
  EXPECT_TRUE(IsAlreadyAppliedDdlError(kNoSuchTable, "RENAME TABLE t TO u"));
  EXPECT_TRUE(IsAlreadyAppliedDdlError(kNoSuchTable, "ALTER TABLE t RENAME TO u"));
  EXPECT_TRUE(IsAlreadyAppliedDdlError(kNoSuchTable, "alter table t rename column a to b"));
  // Any other DDL could never have run: shipping it would stop every slave.
  EXPECT_FALSE(IsAlreadyAppliedDdlError(kNoSuchTable, "CREATE TABLE c AS SELECT * FROM missing"));
  EXPECT_FALSE(IsAlreadyAppliedDdlError(kNoSuchTable, "ALTER TABLE missing ADD COLUMN c INT"));
  EXPECT_FALSE(IsAlreadyAppliedDdlError(kNoSuchTable, "CREATE VIEW v AS SELECT 'rename' FROM missing"));
}

}  // namespace
}  // namespace ddb
