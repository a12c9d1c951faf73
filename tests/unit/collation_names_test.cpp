// The handshake collation numbers the endpoint has looked up
// (collation_names.h): kept per number, a number MariaDB does not know
// included, so that no later login asks again.
#include "collation_names.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace ddb {
namespace {

TEST(CollationNamesTest, KeepsWhatWasLearnedPerNumberIncludingUnknownOnes) {
  CollationNames names;
  EXPECT_FALSE(names.Find(33).has_value());
  names.Remember(33, {"utf8mb3", "utf8mb3_general_ci"});
  names.Remember(255, {});  // MySQL 8's utf8mb4_0900_ai_ci, unknown to MariaDB 10.11
  ASSERT_TRUE(names.Find(33).has_value());
  EXPECT_EQ(names.Find(33)->charset, "utf8mb3");
  EXPECT_EQ(names.Find(33)->collation, "utf8mb3_general_ci");
  ASSERT_TRUE(names.Find(255).has_value());
  EXPECT_TRUE(names.Find(255)->charset.empty());
  EXPECT_FALSE(names.Find(8).has_value());
}

TEST(CollationNamesTest, SessionsOnManyThreadsShareOne) {
  CollationNames names;
  std::vector<std::thread> logins;
  for (int t = 0; t < 8; ++t) {
    logins.emplace_back([&names, t] {
      for (int i = 0; i < 200; ++i) {
        const auto id = static_cast<uint8_t>((t * 31 + i) % 64);
        if (!names.Find(id)) names.Remember(id, {"cs" + std::to_string(id), "coll" + std::to_string(id)});
      }
    });
  }
  for (std::thread& login : logins) login.join();
  for (int id = 0; id < 64; ++id) {
    ASSERT_TRUE(names.Find(static_cast<uint8_t>(id)).has_value()) << id;
    EXPECT_EQ(names.Find(static_cast<uint8_t>(id))->charset, "cs" + std::to_string(id));
  }
}

}  // namespace
}  // namespace ddb
