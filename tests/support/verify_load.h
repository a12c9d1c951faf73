// The write load of the consistency-checking tests: tables w.t1..w.tN of
// `rows` rows, and clients that update, insert and delete on them until told
// to stop. Only columns n and ts change on the first `rows` rows, so a test
// can drift column s there, behind ddb's back, unseen by the load.
#pragma once

#include <atomic>
#include <string>
#include <vector>

#include "cluster.h"
#include "endpoint_clients.h"

namespace ddb::testing {

struct VerifyLoad {
  int tables = 5;
  int rows = 2500;  // three chunks of at most 1000 rows per table

  std::string Table(int t) const { return "w.t" + std::to_string(t); }
  // CREATE DATABASE w and its tables, filled: statements for the endpoint.
  std::vector<std::string> Setup() const;
  // One client's writes, in autocommit statements and small transactions,
  // until `stop`; tallied in `tally`.
  void Write(Cluster& cluster, int client, const std::atomic<bool>& stop, ClientTally* tally) const;
};

}  // namespace ddb::testing
