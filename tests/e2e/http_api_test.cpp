// The daemons' HTTP endpoints against a real cluster: the master's JSON API
// (token required), /health and /metrics on every daemon, and a slave's
// /health turning 503 when it lags, or lost the master longer ago than its
// reads_without_master_seconds.
#include <gtest/gtest.h>

#include <cppconn/connection.h>
#include <cppconn/statement.h>
#include <nlohmann/json.hpp>

#include "cluster.h"
#include "http_client.h"
#include "raw_connection.h"

namespace ddb::testing {
namespace {

using nlohmann::json;
using std::chrono::seconds;

class HttpApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ClusterOptions options;
    options.slave_max_lag_seconds = 1;  // lag shows in /health quickly
    cluster_ = std::make_unique<Cluster>(options);
    cluster_->StartAll();
    token_ = cluster_->options().http_token;
    port_ = cluster_->master_http_port();
    ASSERT_TRUE(WaitFor([&] { return SlaveStates() == "online,online"; }, seconds(30))) << SlaveStates();
  }

  json Status() {
    const HttpReply reply = HttpGet(port_, "/api/status", token_);
    if (reply.status != 200) return json::object();
    return json::parse(reply.body);
  }

  std::string SlaveStates() {
    const json status = Status();
    std::string out;
    for (const json& slave : status.value("slaves", json::array())) {
      out += (out.empty() ? "" : ",") + slave["state"].get<std::string>();
    }
    return out;
  }

  json Query(const std::string& sql, int expected_status = 200) {
    const HttpReply reply = HttpPost(port_, "/api/query", json{{"sql", sql}}.dump(), token_);
    EXPECT_EQ(reply.status, expected_status) << sql << "\n" << reply.body << reply.error;
    return reply.status ? json::parse(reply.body) : json::object();
  }

  std::unique_ptr<Cluster> cluster_;
  std::string token_;
  uint16_t port_ = 0;
};

TEST_F(HttpApiTest, EveryApiEndpointRefusesARequestWithoutTheRightToken) {
  for (const std::string& bad : {std::string(), std::string("wrong-token-wrong-token")}) {
    EXPECT_EQ(HttpGet(port_, "/api/status", bad).status, 401);
    EXPECT_EQ(HttpGet(port_, "/api/log?after=0", bad).status, 401);
    EXPECT_EQ(HttpGet(port_, "/api/verify", bad).status, 401);
    EXPECT_EQ(HttpPost(port_, "/api/verify", "", bad).status, 401);
    EXPECT_EQ(HttpPost(port_, "/api/repair", R"({"table": "ddb_meta.checksums"})", bad).status, 401);
    const HttpReply query = HttpPost(port_, "/api/query", R"({"sql": "CREATE DATABASE nope"})", bad);
    EXPECT_EQ(query.status, 401);
    EXPECT_EQ(query.headers.count("access-control-allow-origin"), 0u);
  }
  // Nothing ran: the refused CREATE DATABASE is not there.
  EXPECT_EQ(cluster_->master_db().QueryValue("SELECT COUNT(*) FROM information_schema.schemata "
                                             "WHERE schema_name = 'nope'"),
            "0");
  // A token in a cookie or the query string is not a token.
  EXPECT_EQ(HttpGet(port_, "/api/status?token=" + token_).status, 401);
}

TEST_F(HttpApiTest, QueryRunsUnderTheConsolesRulesAndReplicates) {
  json out = Query(
      "CREATE DATABASE web; CREATE TABLE web.t (id INT PRIMARY KEY, v VARCHAR(40));"
      "INSERT INTO web.t VALUES (1, '<b>x</b>'), (2, NULL);");
  EXPECT_TRUE(out["ok"]) << out.dump();
  ASSERT_EQ(out["results"].size(), 3u);
  EXPECT_EQ(out["results"][2]["affected_rows"], 2);

  HttpCall select;
  select.method = "POST";
  select.target = "/api/query";
  select.token = token_;
  select.body = json{{"sql", "SELECT id, v FROM t ORDER BY id"}, {"database", "web"}}.dump();
  const HttpReply reply = Http(port_, select);
  ASSERT_EQ(reply.status, 200) << reply.body;
  out = json::parse(reply.body);
  const json& result = out["results"][0];
  EXPECT_EQ(result["columns"], json({"id", "v"}));
  EXPECT_EQ(result["rows"], json::parse(R"([["1", "<b>x</b>"], ["2", null]])")) << result.dump();

  // Replicated like a console write.
  ASSERT_TRUE(cluster_->WaitForSlavesCaughtUp(seconds(30)));
  cluster_->ExpectTableEqualEverywhere("web", "t");

  // Refused like at the console; nothing after a failure runs.
  out = Query("INSERT INTO web.t VALUES (3, UUID()); INSERT INTO web.t VALUES (4, 'after');");
  EXPECT_FALSE(out["ok"]);
  ASSERT_EQ(out["results"].size(), 1u);
  EXPECT_NE(out["results"][0]["error"].get<std::string>().find("UUID"), std::string::npos) << out.dump();
  EXPECT_EQ(cluster_->master_db().QueryValue("SELECT COUNT(*) FROM web.t"), "2");

  // A transaction cannot outlive its request.
  out = Query("BEGIN; INSERT INTO web.t VALUES (5, 'open');");
  EXPECT_TRUE(out.contains("note")) << out.dump();
  EXPECT_EQ(cluster_->master_db().QueryValue("SELECT COUNT(*) FROM web.t"), "2");

  // Bad requests get a clear answer.
  EXPECT_EQ(HttpPost(port_, "/api/query", "not json", token_).status, 400);
  EXPECT_EQ(HttpPost(port_, "/api/query", R"({"statement": "SELECT 1"})", token_).status, 400);
  EXPECT_EQ(HttpPost(port_, "/api/query", R"({"sql": "  ;  "})", token_).status, 400);

  // The log range holds what the API wrote.
  const HttpReply log = HttpGet(port_, "/api/log?after=0&limit=10", token_);
  ASSERT_EQ(log.status, 200) << log.body;
  const json records = json::parse(log.body)["records"];
  ASSERT_EQ(records.size(), 3u) << log.body;
  EXPECT_EQ(records[0]["kind"], "ddl");
  EXPECT_EQ(records[2]["statements"][0]["sql"], "INSERT INTO web.t VALUES (1, '<b>x</b>'), (2, NULL)");
  const HttpReply later = HttpGet(port_, "/api/log?after=2", token_);
  EXPECT_EQ(json::parse(later.body)["records"].size(), 1u);
  EXPECT_EQ(HttpGet(port_, "/api/log?after=x", token_).status, 400);
  EXPECT_EQ(HttpGet(port_, "/api/log?limit=100000", token_).status, 400);
}

// A CALL's result sets all come back: the first as any statement's, the
// rest and the CALL's own outcome in more_results.
TEST_F(HttpApiTest, ACallAnswersEveryResultSetItsBodySent) {
  json out = Query(
      "CREATE DATABASE web; CREATE TABLE web.t (id INT PRIMARY KEY); INSERT INTO web.t VALUES (1), (2);\n"
      "DELIMITER //\n"
      "CREATE PROCEDURE web.two() BEGIN SELECT COUNT(*) AS n FROM web.t; SELECT id FROM web.t ORDER BY id; "
      "END//\n"
      "DELIMITER ;\n"
      "CALL web.two();");
  ASSERT_TRUE(out["ok"]) << out.dump();
  const json& call = out["results"].back();
  EXPECT_EQ(call["columns"], json({"n"})) << call.dump();
  EXPECT_EQ(call["rows"], json::parse(R"([["2"]])")) << call.dump();
  ASSERT_EQ(call["more_results"].size(), 2u) << call.dump();
  EXPECT_EQ(call["more_results"][0]["columns"], json({"id"})) << call.dump();
  EXPECT_EQ(call["more_results"][0]["rows"], json::parse(R"([["1"], ["2"]])")) << call.dump();
  EXPECT_EQ(call["more_results"][1]["has_result_set"], false) << call.dump();
  EXPECT_FALSE(out["results"][0].contains("more_results")) << out.dump();
}

TEST_F(HttpApiTest, StatusHealthMetricsAndTheDashboard) {
  Query("CREATE DATABASE m; CREATE TABLE m.t (id INT PRIMARY KEY); INSERT INTO m.t VALUES (1);");
  ASSERT_TRUE(cluster_->WaitForSlavesCaughtUp(seconds(30)));
  // Acks are asynchronous: wait until the master has them.
  ASSERT_TRUE(WaitFor(
      [&] {
        const json status = Status();
        return status["slaves"][0]["acked_seq"] == 3 && status["slaves"][1]["acked_seq"] == 3;
      },
      seconds(20)));
  const json status = Status();
  EXPECT_EQ(status["master"]["last_seq"], 3);
  EXPECT_EQ(status["slaves"][0]["name"], "slave1");
  EXPECT_EQ(status["slaves"][0]["behind_records"], 0);
  EXPECT_EQ(status["slaves"][0]["lag_seconds"], 0.0);
  EXPECT_GE(status["slaves"][0]["records_sent"].get<int>(), 3);

  EXPECT_EQ(HttpGet(port_, "/health").status, 200);
  const HttpReply metrics = HttpGet(port_, "/metrics");
  ASSERT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.headers.at("content-type").find("text/plain; version=0.0.4"), std::string::npos);
  EXPECT_NE(metrics.body.find("ddb_master_last_seq 3\n"), std::string::npos) << metrics.body;
  EXPECT_NE(metrics.body.find("ddb_master_slave_acked_seq{slave=\"slave2\"} 3\n"), std::string::npos);
  EXPECT_NE(metrics.body.find("# TYPE ddb_master_slave_records_sent_total counter"), std::string::npos);
  EXPECT_NE(metrics.body.find("ddb_master_slaves_connected 2\n"), std::string::npos);

  for (int i = 0; i < 2; ++i) {
    const uint16_t port = cluster_->slave_http_port(i);
    EXPECT_EQ(HttpGet(port, "/health").status, 200) << HttpGet(port, "/health").body;
    const json slave = json::parse(HttpGet(port, "/api/status").body);
    EXPECT_EQ(slave["applied_seq"], 3);
    EXPECT_EQ(slave["link"], "connected");
    const std::string text = HttpGet(port, "/metrics").body;
    EXPECT_NE(text.find("ddb_slave_applied_seq 3\n"), std::string::npos) << text;
    EXPECT_NE(text.find("ddb_slave_records_applied_total 3\n"), std::string::npos) << text;
    EXPECT_NE(text.find("ddb_slave_link_up 1\n"), std::string::npos) << text;
  }

  const HttpReply page = HttpGet(port_, "/");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("<script src=\"/dashboard.js\""), std::string::npos);
  EXPECT_NE(page.headers.at("content-security-policy").find("script-src 'self'"), std::string::npos);
  EXPECT_EQ(HttpGet(port_, "/dashboard.js").status, 200);
  EXPECT_EQ(HttpGet(port_, "/dashboard.css").status, 200);
  EXPECT_EQ(HttpGet(port_, "/nothing-here").status, 404);
  EXPECT_EQ(HttpPost(port_, "/health", "{}").status, 405);
}

TEST_F(HttpApiTest, MalformedAndOversizedRequestsGetAnAnswerAndTheServerStaysUp) {
  {
    RawConnection raw(port_);
    const std::string junk = "THIS IS NOT HTTP\r\n\r\n";
    ASSERT_TRUE(raw.Send({reinterpret_cast<const uint8_t*>(junk.data()), junk.size()}));
    std::vector<uint8_t> bytes;
    raw.ReadExactly(16, &bytes, seconds(10));
    const std::string answer(bytes.begin(), bytes.end());
    EXPECT_EQ(answer.rfind("HTTP/1.1 400", 0), 0u) << answer;
    EXPECT_EQ(raw.WaitForClose(seconds(10)), RawConnection::End::kClosed);
  }
  HttpCall huge;
  huge.method = "POST";
  huge.target = "/api/query";
  huge.token = token_;
  huge.body = std::string(2 * 1024 * 1024, 'x');
  EXPECT_EQ(Http(port_, huge).status, 413);
  EXPECT_EQ(HttpGet(port_, "/health").status, 200);
}

TEST_F(HttpApiTest, SlaveHealthFailsWhenItLagsOrIsWithoutItsMasterTooLongAndRecovers) {
  Query("CREATE DATABASE h; CREATE TABLE h.t (id INT PRIMARY KEY); INSERT INTO h.t VALUES (1);");
  ASSERT_TRUE(cluster_->WaitForSlavesCaughtUp(seconds(30)));
  const uint16_t slave1 = cluster_->slave_http_port(0);
  ASSERT_TRUE(WaitFor([&] { return HttpGet(slave1, "/health").status == 200; }, seconds(10)));

  // Hold slave1's applier back; its lag passes max_lag_seconds (1 s).
  std::unique_ptr<sql::Connection> blocker = cluster_->slave_db(0).Connect("h");
  std::unique_ptr<sql::Statement> lock(blocker->createStatement());
  lock->execute("LOCK TABLES t WRITE");
  Query("INSERT INTO h.t VALUES (2);");
  HttpReply health;
  ASSERT_TRUE(WaitFor(
      [&] {
        health = HttpGet(slave1, "/health");
        return health.status == 503;
      },
      seconds(15)));
  EXPECT_NE(health.body.find("exceeds max_lag_seconds"), std::string::npos) << health.body;
  EXPECT_EQ(HttpGet(cluster_->slave_http_port(1), "/health").status, 200);
  lock->execute("UNLOCK TABLES");
  EXPECT_TRUE(WaitFor([&] { return HttpGet(slave1, "/health").status == 200; }, seconds(15)));

  // Without its master a slave serves what it last heard for its
  // reads_without_master_seconds (slave2: the default 300), saying so; slave1,
  // restarted with 5, drops out once they have passed.
  cluster_->StopSlave(0);
  cluster_->StartSlave(0, {"--reads_without_master_seconds", "5"});
  ASSERT_TRUE(WaitFor([&] { return HttpGet(slave1, "/health").status == 200; }, seconds(20)));
  cluster_->StopMaster();
  const uint16_t slave2 = cluster_->slave_http_port(1);
  ASSERT_TRUE(WaitFor(
      [&] {
        health = HttpGet(slave2, "/health");
        return health.body.find("master unreachable") != std::string::npos;
      },
      seconds(15)))
      << health.body;
  EXPECT_EQ(health.status, 200) << health.body;
  EXPECT_EQ(json::parse(HttpGet(slave2, "/api/status").body)["master_reachable"], false);
  ASSERT_TRUE(WaitFor(
      [&] {
        health = HttpGet(slave1, "/health");
        return health.status == 503;
      },
      seconds(20)));
  EXPECT_NE(health.body.find("longer than reads_without_master_seconds 5"), std::string::npos) << health.body;
}

}  // namespace
}  // namespace ddb::testing
