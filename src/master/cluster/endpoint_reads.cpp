#include "endpoint_reads.h"

namespace ddb {

EndpointReads::EndpointReads(std::string master_name) : master_name_(std::move(master_name)) {}

void EndpointReads::Count(const std::string& answered_by) {
  if (answered_by.empty() || answered_by == "master") {
    ++master_reads_;
    return;
  }
  std::lock_guard<std::mutex> lock(mutex_);
  ++slave_reads_[answered_by];
}

std::vector<EndpointReads::NodeReads> EndpointReads::Snapshot() const {
  std::vector<NodeReads> nodes;
  nodes.push_back({master_name_, true, master_reads_.load()});
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& [name, reads] : slave_reads_) nodes.push_back({name, false, reads});
  return nodes;
}

std::string EndpointReads::Describe() const {
  std::string text;
  for (const NodeReads& node : Snapshot()) {
    text += (text.empty() ? "" : ", ") + node.node + (node.is_master ? " (master) " : " ") +
            std::to_string(node.reads);
  }
  return text + "; " + std::to_string(fallbacks()) +
         " read(s) a slave could have answered went to the master";
}

}  // namespace ddb
