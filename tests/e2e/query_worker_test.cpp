// A slave answers the master's reads on several MySQL sessions at once
// (src/slave/link/query_worker.h): a quick read is not held behind a slow
// one, as it would be on one session; replies carry their request's id.
#include "query_worker.h"

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "mariadb_instance.h"
#include "wait.h"

namespace ddb::testing {
namespace {

class QueryWorkerTest : public ::testing::Test {
 protected:
  void SetUp() override { server_ = MariaDbInstance::Start(dir_.path() / "server"); }

  MySqlEndpoint Endpoint() const {
    MySqlEndpoint endpoint;
    endpoint.port = server_->port();
    return endpoint;
  }

  // Submits each statement in turn and returns the ids of the replies in
  // the order they came (request ids are 1, 2, ...).
  std::vector<uint64_t> RepliesInOrder(QueryWorker& worker, const std::vector<std::string>& statements) {
    std::mutex mutex;
    std::condition_variable arrived;
    std::vector<uint64_t> order;
    for (size_t i = 0; i < statements.size(); ++i) {
      QueryRequest request;
      request.request_id = i + 1;
      request.sql = statements[i];
      worker.Submit(std::move(request), [&](QueryReply reply) {
        EXPECT_TRUE(reply.ok) << reply.message;
        std::lock_guard<std::mutex> lock(mutex);
        order.push_back(reply.request_id);
        arrived.notify_all();
      });
    }
    std::unique_lock<std::mutex> lock(mutex);
    EXPECT_TRUE(
        arrived.wait_for(lock, std::chrono::seconds(60), [&] { return order.size() == statements.size(); }));
    return order;
  }

  TempDir dir_{"ddb-query-worker"};
  std::unique_ptr<MariaDbInstance> server_;
};

TEST_F(QueryWorkerTest, AQuickReadIsNotHeldBehindASlowOne) {
  QueryWorker pooled(Endpoint(), 2);
  pooled.Start();
  EXPECT_EQ(RepliesInOrder(pooled, {"SELECT SLEEP(2)", "SELECT 1"}), (std::vector<uint64_t>{2, 1}));
  pooled.Stop();
  // One session answers in arrival order: what the pool is for.
  QueryWorker single(Endpoint(), 1);
  single.Start();
  EXPECT_EQ(RepliesInOrder(single, {"SELECT SLEEP(2)", "SELECT 1"}), (std::vector<uint64_t>{1, 2}));
}

}  // namespace
}  // namespace ddb::testing
