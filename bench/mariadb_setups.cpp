// The two setups made of MariaDB alone: plain (the floor) and native
// replication (what ddb is compared with). The workload reaches both through
// the `mariadb` command-line client, as a user would type it.
#include <cppconn/resultset.h>
#include <cppconn/statement.h>

#include <stdexcept>
#include <thread>

#include "setup.h"
#include "wait.h"

namespace ddb::bench {
namespace {

using namespace std::chrono_literals;

std::vector<std::string> ClientArgv(const testing::MariaDbInstance& server) {
  // --batch: tab-separated results, as when the client reads a file; it
  // stops at the first failing statement, which the harness then reports.
  // --unbuffered: flush after each query, or the marker's result would sit
  // in stdio's buffer (stdout is a file) until the client exits.
  return {"mariadb",     "--no-defaults", "--host=127.0.0.1", "--port=" + std::to_string(server.port()),
          "--user=root", "--batch",       "--unbuffered"};
}

class PlainSetup : public Setup {
 public:
  PlainSetup()
      : dir_("ddb-bench-plain"),
        server_(testing::MariaDbInstance::Start(dir_.path() / "db")),
        console_(ClientArgv(*server_), dir_.path() / "client.log") {}

  std::string name() const override { return "plain"; }
  PipedConsole& console() override { return console_; }
  testing::MariaDbInstance& primary() override { return *server_; }
  std::vector<testing::MariaDbInstance*> replicas() override { return {}; }
  void WaitReplicasCaughtUp(std::chrono::milliseconds) override {}
  void StopReplica(size_t) override { throw std::logic_error("plain MariaDB has no replica"); }
  void StartReplica(size_t) override { throw std::logic_error("plain MariaDB has no replica"); }

 private:
  testing::TempDir dir_;
  std::unique_ptr<testing::MariaDbInstance> server_;
  PipedConsole console_;  // after server_: the client goes first
};

class NativeSetup : public Setup {
 public:
  NativeSetup()
      : dir_("ddb-bench-native"),
        primary_(testing::MariaDbInstance::Start(
            dir_.path() / "primary",
            {"--log-bin=mariadb-bin", "--server-id=1", "--binlog-format=STATEMENT"})),
        // Defaults otherwise: one SQL thread (slave_parallel_threads=0), the
        // position in mysql.gtid_slave_pos (InnoDB) in the same transaction as
        // each applied one — crash-safe, like ddb's applied_position.
        replica_(testing::MariaDbInstance::Start(dir_.path() / "replica", {"--server-id=2"})),
        console_(ClientArgv(*primary_), dir_.path() / "client.log") {
    // Both start from the same freshly initialised data and the primary's
    // binlog is empty, so the replica replays it from the beginning.
    replica_->Execute(
        "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=" + std::to_string(primary_->port()) +
        ", MASTER_USER='root', MASTER_PASSWORD='', MASTER_USE_GTID=slave_pos, "
        "MASTER_CONNECT_RETRY=1");
    StartReplica(0);
    waiter_ = replica_->Connect();
  }

  std::string name() const override { return "native"; }
  PipedConsole& console() override { return console_; }
  testing::MariaDbInstance& primary() override { return *primary_; }
  std::vector<testing::MariaDbInstance*> replicas() override { return {replica_.get()}; }

  void WaitReplicasCaughtUp(std::chrono::milliseconds deadline) override {
    if (!running_) return;
    // MASTER_GTID_WAIT returns as soon as the replica's SQL thread has
    // committed that GTID: no polling delay on the native side.
    const std::string position = primary_->QueryValue("SELECT @@gtid_binlog_pos");
    const double seconds = std::chrono::duration<double>(deadline).count();
    std::unique_ptr<sql::Statement> statement(waiter_->createStatement());
    std::unique_ptr<sql::ResultSet> result(statement->executeQuery("SELECT MASTER_GTID_WAIT('" + position +
                                                                   "', " + std::to_string(seconds) + ")"));
    if (!result->next() || result->getInt(1) != 0) {
      throw std::runtime_error("native replica did not reach " + position + " in time; replica error log:\n" +
                               replica_->ErrorLogTail());
    }
  }

  void StopReplica(size_t) override {
    replica_->Execute("STOP SLAVE");
    running_ = false;
  }

  void StartReplica(size_t) override {
    replica_->Execute("START SLAVE");
    running_ = true;
  }

 private:
  testing::TempDir dir_;
  std::unique_ptr<testing::MariaDbInstance> primary_;
  std::unique_ptr<testing::MariaDbInstance> replica_;
  PipedConsole console_;
  std::unique_ptr<sql::Connection> waiter_;
  bool running_ = false;
};

}  // namespace

std::unique_ptr<Setup> StartPlain() { return std::make_unique<PlainSetup>(); }
std::unique_ptr<Setup> StartNative() { return std::make_unique<NativeSetup>(); }

}  // namespace ddb::bench
