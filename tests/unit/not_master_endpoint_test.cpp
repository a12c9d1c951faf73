#include "not_master_endpoint.h"

#include <gtest/gtest.h>

namespace ddb {
namespace {

TEST(NotMasterEndpointTest, TheErrorIsOneFirstPacketWithCodeStateAndMessage) {
  const std::vector<uint8_t> packet = EncodeFirstPacketError(1290, "HY000", "go away");
  const std::vector<uint8_t> expected{16,   0,    0,    0,  // payload length 16, sequence 0
                                      0xFF, 0x0A, 0x05, '#', 'H', 'Y', '0', '0',
                                      '0',  'g',  'o',  ' ', 'a', 'w', 'a', 'y'};
  EXPECT_EQ(packet, expected);
}

TEST(NotMasterEndpointTest, TheMessageNamesTheMasterAndWhereItsEndpointIs) {
  const std::vector<std::string> endpoints{"master=10.0.0.1:3306", "slave1=10.0.0.2:3306"};
  EXPECT_EQ(NotMasterMessage("master", "slave1", endpoints),
            "ddb: this node (master) is a slave, not the master: write to slave1 at 10.0.0.2:3306");
  EXPECT_NE(NotMasterMessage("master", "slave9", endpoints).find("write to slave9 (its endpoint is not in"),
            std::string::npos);
  // A former master that has not reached the new one names no one.
  EXPECT_NE(NotMasterMessage("master", "master", endpoints).find("has not found the master yet"),
            std::string::npos);
  EXPECT_NE(NotMasterMessage("master", "", endpoints).find("has not found the master yet"),
            std::string::npos);
}

}  // namespace
}  // namespace ddb
