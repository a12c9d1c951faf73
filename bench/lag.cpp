#include "lag.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <thread>

#include "query.h"
#include "workload.h"

namespace ddb::bench {
namespace {

using namespace std::chrono_literals;

constexpr auto kPollInterval = 1ms;

// First-seen instants of ids 1..count on one node.
class Visibility {
 public:
  explicit Visibility(size_t count) : seen_(count + 1) {}

  // Records that every id up to `max_id` is visible at `now`.
  void Observe(uint64_t max_id, Clock::time_point now) {
    max_id = std::min<uint64_t>(max_id, seen_.size() - 1);
    for (; seen_up_to_ < max_id; ++seen_up_to_) seen_[seen_up_to_ + 1] = now;
  }
  bool All() const { return seen_up_to_ + 1 == seen_.size(); }
  Clock::time_point At(size_t id) const { return seen_[id]; }

 private:
  std::vector<Clock::time_point> seen_;
  uint64_t seen_up_to_ = 0;
};

}  // namespace

double Percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const auto rank = static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(values.size())));
  return values[std::clamp<size_t>(rank, 1, values.size()) - 1];
}

LagResult MeasureLag(Setup& setup, const std::vector<std::string>& statements, double per_second,
                     std::chrono::milliseconds deadline) {
  const std::string max_id = std::string("SELECT MAX(id) FROM ") + kDatabase + "." + kLagTable;
  std::vector<std::unique_ptr<sql::Connection>> connections;
  connections.push_back(setup.primary().Connect());
  for (auto* replica : setup.replicas()) connections.push_back(replica->Connect());
  std::vector<Visibility> nodes(connections.size(), Visibility(statements.size()));

  auto observe = [&] {
    const auto give_up = Clock::now() + deadline;
    for (;;) {
      // Primary first: within one loop a replica is always asked after the
      // primary, so a write cannot look older on a replica than it is.
      bool all = true;
      for (size_t n = 0; n < connections.size(); ++n) {
        const uint64_t value = QueryInteger(*connections[n], max_id);
        nodes[n].Observe(value, Clock::now());
        all = all && nodes[n].All();
      }
      if (all) return;
      if (Clock::now() > give_up)
        throw std::runtime_error(setup.name() + ": lag writes not everywhere in time");
      std::this_thread::sleep_for(kPollInterval);
    }
  };
  setup.console().RunPaced(statements, per_second, deadline, observe);

  LagResult result;
  for (size_t n = 1; n < nodes.size(); ++n) {
    for (size_t id = 1; id <= statements.size(); ++id) {
      const auto lag = std::chrono::duration<double, std::milli>(nodes[n].At(id) - nodes[0].At(id)).count();
      result.samples_ms.push_back(std::max(0.0, lag));
    }
  }
  result.p50_ms = Percentile(result.samples_ms, 50);
  result.p99_ms = Percentile(result.samples_ms, 99);
  result.max_ms = Percentile(result.samples_ms, 100);
  return result;
}

}  // namespace ddb::bench
