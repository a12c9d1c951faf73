// /health?role=master|slave on both daemons' real HTTP routes (loopback, no
// MySQL): what HAProxy's write backend asks to find the master, and what a
// master that learned of a newer epoch (fenced) answers.
#include "ddb/daemon/health_role.h"

#include <gtest/gtest.h>

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "http_client.h"
#include "master_http_api.h"
#include "slave_http_api.h"

namespace ddb {
namespace {

using testing::HttpGet;

nlohmann::json Body(const testing::HttpReply& reply) { return nlohmann::json::parse(reply.body); }

class MasterHealthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    AddMasterRoutes(server_, context_);
    ASSERT_TRUE(server_.Start().ok());
  }
  void TearDown() override { server_.Stop(); }

  RecentRecords recent_{10, 7};
  SlaveRegistry registry_{{"slave1"}};
  std::optional<std::string> fenced_;  // what the seam reports
  MasterHttpContext context_{.master_name = "master",
                             .cluster_id = "c1",
                             .recent = recent_,
                             .registry = registry_,
                             .mysql = {},
                             .log = nullptr,
                             .session_options = {},
                             .router = nullptr,
                             .fenced_reason = [this] { return fenced_; }};
  HttpServer server_{HttpServerOptions{}, spdlog::default_logger()};
};

TEST_F(MasterHealthTest, TheMasterAnswersRoleMasterWith200AndRoleSlaveWith503) {
  const auto master = HttpGet(server_.port(), "/health?role=master");
  EXPECT_EQ(master.status, 200) << master.body;
  EXPECT_EQ(Body(master)["role"], "master");
  EXPECT_EQ(Body(master)["last_seq"], 7);
  const auto slave = HttpGet(server_.port(), "/health?role=slave");
  EXPECT_EQ(slave.status, 503) << slave.body;
  EXPECT_EQ(Body(slave)["role"], "master");
  EXPECT_EQ(Body(slave)["reason"], "this node is the master, not a slave");
  EXPECT_EQ(HttpGet(server_.port(), "/health").status, 200);
}

TEST_F(MasterHealthTest, AFencedMasterLeavesTheWriteBackendWithTheReason) {
  fenced_ = "slave1 started epoch 3 (this node is at 2)";
  const auto master = HttpGet(server_.port(), "/health?role=master");
  EXPECT_EQ(master.status, 503) << master.body;
  EXPECT_EQ(Body(master)["status"], "fenced");
  EXPECT_EQ(Body(master)["role"], "master");
  EXPECT_EQ(Body(master)["reason"], *fenced_);
  // Plain /health still says whether the daemon itself works, and why it takes no writes.
  const auto plain = HttpGet(server_.port(), "/health");
  EXPECT_EQ(plain.status, 200) << plain.body;
  EXPECT_EQ(Body(plain)["fenced"], *fenced_);
}

TEST_F(MasterHealthTest, AnUnknownRoleIsABadRequest) {
  const auto reply = HttpGet(server_.port(), "/health?role=primary");
  EXPECT_EQ(reply.status, 400);
  EXPECT_NE(reply.body.find("'primary' is neither master nor slave"), std::string::npos) << reply.body;
}

class SlaveHealthRoleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    status_.SetLink(LinkState::kConnected, "127.0.0.1:4407");
    status_.SetApplied(5, 1, 0);
    status_.SetMasterLastSeq(5);
    AddSlaveRoutes(server_, context_);
    ASSERT_TRUE(server_.Start().ok());
  }
  void TearDown() override { server_.Stop(); }

  SlaveStatusBoard status_;
  SlaveHttpContext context_{"slave1", status_, 5.0, 300.0};
  HttpServer server_{HttpServerOptions{}, spdlog::default_logger()};
};

TEST_F(SlaveHealthRoleTest, AHealthySlaveAnswersRoleSlaveButNeverRoleMaster) {
  const auto slave = HttpGet(server_.port(), "/health?role=slave");
  EXPECT_EQ(slave.status, 200) << slave.body;
  EXPECT_EQ(Body(slave)["role"], "slave");
  EXPECT_EQ(Body(slave)["master_reachable"], true);
  const auto master = HttpGet(server_.port(), "/health?role=master");
  EXPECT_EQ(master.status, 503) << master.body;
  EXPECT_EQ(Body(master)["role"], "slave");
  EXPECT_EQ(Body(master)["reason"], "this node is a slave, not the master");
  EXPECT_EQ(HttpGet(server_.port(), "/health?role=x").status, 400);
}

TEST_F(SlaveHealthRoleTest, AfterLosingItsMasterTheSlaveStaysInTheReadPoolAndSaysWhy) {
  status_.SetLink(LinkState::kConnecting, "127.0.0.1:4407: Connection refused");
  const auto reply = HttpGet(server_.port(), "/health");
  EXPECT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(Body(reply)["master_reachable"], false);
  EXPECT_NE(Body(reply)["reason"].get<std::string>().find("master unreachable for"), std::string::npos)
      << reply.body;
  context_.reads_without_master_seconds = 0;  // as a reload would set it
  EXPECT_EQ(HttpGet(server_.port(), "/health?role=slave").status, 503);
}

}  // namespace
}  // namespace ddb
