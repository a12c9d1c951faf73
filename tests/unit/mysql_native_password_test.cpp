#include "mysql_native_password.h"

#include <gtest/gtest.h>

#include "ddb/base/auth.h"

namespace ddb::mysql {
namespace {

// Expected tokens computed independently with PyMySQL's
// _auth.scramble_native_password.
TEST(MySqlNativePasswordTest, TokenMatchesWhatClientsCompute) {
  EXPECT_EQ(HexEncode(NativePasswordToken("secret", "abcdefghij0123456789")),
            "99db25ccb2a625f0e7cf4ce2e895ef9609dfe5e4");
  EXPECT_EQ(HexEncode(NativePasswordToken("p\xC3\xA4ss", std::string(20, '\x01'))),
            "645d48c865ea8e08132c3af16496ee7fabb0122a");
}

TEST(MySqlNativePasswordTest, RightPasswordIsAcceptedAndAnyOtherRefused) {
  const std::string scramble = MakeScramble();
  const std::string token = NativePasswordToken("secret", scramble);
  EXPECT_TRUE(CheckNativePassword(token, scramble, "secret"));
  EXPECT_FALSE(CheckNativePassword(token, scramble, "Secret"));
  EXPECT_FALSE(CheckNativePassword(token, MakeScramble(), "secret")) << "a token answers one scramble only";
  EXPECT_FALSE(CheckNativePassword(token.substr(0, 19), scramble, "secret"));
  EXPECT_FALSE(CheckNativePassword("", scramble, "secret"));
}

TEST(MySqlNativePasswordTest, EmptyPasswordIsAnEmptyToken) {
  const std::string scramble = MakeScramble();
  EXPECT_EQ(NativePasswordToken("", scramble), "");
  EXPECT_TRUE(CheckNativePassword("", scramble, ""));
  EXPECT_FALSE(CheckNativePassword(NativePasswordToken("x", scramble), scramble, ""));
}

TEST(MySqlNativePasswordTest, ScrambleIsTwentyNonZeroBytesAndFreshEachTime) {
  const std::string a = MakeScramble();
  EXPECT_EQ(a.size(), kScrambleBytes);
  EXPECT_EQ(a.find('\0'), std::string::npos);
  EXPECT_NE(a, MakeScramble());
}

}  // namespace
}  // namespace ddb::mysql
