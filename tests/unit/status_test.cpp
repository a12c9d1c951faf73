#include "ddb/base/status.h"
#include <gtest/gtest.h>
namespace ddb {
TEST(StatusTest, MySqlErrorReadsLikeTheMariadbClient) {
  Status s = Status::MySql(1146, "42S02", "Table 't.x' doesn't exist");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.ToString(), "ERROR 1146 (42S02): Table 't.x' doesn't exist");
}
TEST(StatusTest, OkIsOk) { EXPECT_TRUE(Status::Ok().ok()); }
}  // namespace ddb
