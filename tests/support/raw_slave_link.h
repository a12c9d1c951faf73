// RawSlaveLink: a test's own slave end of a replication link, over a plain
// RawConnection. It authenticates as a real slave would (the cluster secret,
// a node name the master knows) and subscribes; then the test sends any
// frame, including ones no real slave sends, and reads the master's
// answers. Records and heartbeats the master streams meanwhile are skipped.
//
// Every wait has a deadline; failures throw std::runtime_error saying which
// step failed. Not thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "ddb/protocol/framed_socket.h"
#include "ddb/protocol/messages.h"
#include "raw_connection.h"

namespace ddb::testing {

class RawSlaveLink {
 public:
  // Connects to the master's replication port on 127.0.0.1, authenticates
  // as `name` with `secret` and subscribes after `after_seq`.
  RawSlaveLink(uint16_t port, const std::string& name, const std::string& secret, uint64_t after_seq = 0);

  void Send(MessageType type, const std::vector<uint8_t>& payload);
  // Reads frames until one of `type` (returned true) or until the deadline,
  // a close or a bad frame (false).
  bool ReadUntil(MessageType type, Frame* out, std::chrono::milliseconds deadline = std::chrono::seconds(30));

  // Forwards `sql` in console session `session_id` (as a slave console's
  // write would go) and returns the master's answer; throws if none comes.
  ForwardReply Forward(uint64_t session_id, const std::string& sql, const std::string& database = "");

 private:
  bool ReadFrame(Frame* out, std::chrono::milliseconds deadline);

  RawConnection connection_;
  uint64_t next_request_ = 1;
};

}  // namespace ddb::testing
