// "host:port" as config files write the other nodes' addresses.
#include "ddb/base/host_port.h"

#include <gtest/gtest.h>

namespace ddb {
namespace {

TEST(HostPortTest, ParsesNamesAddressesAndBracketedIpv6) {
  HostPort parsed;
  ASSERT_TRUE(ParseHostPort("db1.example:8080", &parsed).ok());
  EXPECT_EQ(parsed.host, "db1.example");
  EXPECT_EQ(parsed.port, 8080);
  ASSERT_TRUE(ParseHostPort("[::1]:4407", &parsed).ok());
  EXPECT_EQ(parsed.host, "::1") << "the resolver takes the address without brackets";
  EXPECT_EQ(parsed.Describe(), "[::1]:4407") << "and a URL or a log line needs them back";
  EXPECT_EQ((HostPort{"10.0.0.2", 33061}).Describe(), "10.0.0.2:33061");
}

TEST(HostPortTest, RefusesWhatIsNotHostColonPortWithoutThrowing) {
  HostPort parsed;
  for (const char* bad : {"10.0.0.1", ":80", "host:", "host:0", "host:65536", "host:99999999999999999999",
                          "host:8o", "host:+80", "ho st:80", "[::1:80"}) {
    const Status s = ParseHostPort(bad, &parsed);
    EXPECT_FALSE(s.ok()) << bad;
    EXPECT_NE(s.message().find(bad), std::string::npos) << "names the text: " << s.message();
  }
}

TEST(HostPortTest, NamedAddressesSplitAtTheFirstEquals) {
  NamedAddress named;
  ASSERT_TRUE(ParseNamedAddress("slave1=127.0.0.1:8081", &named).ok());
  EXPECT_EQ(named.name, "slave1");
  EXPECT_EQ(named.address.Describe(), "127.0.0.1:8081");
  EXPECT_FALSE(ParseNamedAddress("127.0.0.1:8081", &named).ok());
  EXPECT_FALSE(ParseNamedAddress("=127.0.0.1:8081", &named).ok());
}

}  // namespace
}  // namespace ddb
