// libFuzzer target for everything a peer's bytes reach before authentication
// and after: the frame header, payload verification, the record payload and
// every message decoder, the replication link's and the console socket's.
// None may crash, read out of bounds or allocate in proportion to a length
// field rather than to the input.
//
// It also checks that decoding is exact: whatever decodes must re-encode to
// the very same bytes, so no two byte strings mean the same message.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

#include "ddb/base/log_record.h"
#include "ddb/console/console_messages.h"
#include "ddb/protocol/frame.h"
#include "ddb/protocol/messages.h"

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

bool SameBytes(const std::vector<uint8_t>& a, std::span<const uint8_t> b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin());
}

template <typename M>
void FuzzMessage(std::span<const uint8_t> bytes) {
  M message;
  if (ddb::Decode(bytes, &message).ok()) Check(SameBytes(ddb::Encode(message), bytes));
}

void FuzzFrame(std::span<const uint8_t> bytes) {
  if (bytes.size() < ddb::kFrameHeaderSize) return;
  ddb::FrameHeader header;
  const auto head = bytes.first<ddb::kFrameHeaderSize>();
  if (!ddb::DecodeFrameHeader(head, &header, /*max_payload=*/1 << 20).ok()) return;
  const auto payload = bytes.subspan(ddb::kFrameHeaderSize);
  if (ddb::VerifyFramePayload(header, payload).ok()) {
    Check(SameBytes(ddb::EncodeFrame(header.type, payload), bytes));
  }
}

void FuzzRecord(std::span<const uint8_t> bytes) {
  ddb::LogRecord record;
  if (!ddb::DecodeRecordPayload(bytes, &record).ok()) return;
  const std::vector<uint8_t> body = ddb::EncodeRecordBody(record);
  const std::vector<uint8_t> payload = ddb::EncodeRecordPayload(record.seq, record.committed_at_micros, body);
  // The body's second byte (after seq, commit time and kind) is its format.
  // An older format (still read from old log rows) re-encodes in the
  // current one: the same record, not the same bytes.
  constexpr size_t kFormatAt = 8 + 8 + 1;
  if (bytes.size() > kFormatAt && bytes[kFormatAt] == ddb::kRecordBodyFormat) {
    Check(SameBytes(payload, bytes));
  } else {
    ddb::LogRecord again;
    Check(ddb::DecodeRecordPayload(payload, &again).ok() && again == record);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const uint8_t> bytes(data, size);
  FuzzFrame(bytes);
  FuzzRecord(bytes);
  FuzzMessage<ddb::Hello>(bytes);
  FuzzMessage<ddb::Challenge>(bytes);
  FuzzMessage<ddb::AuthResponse>(bytes);
  FuzzMessage<ddb::AuthResult>(bytes);
  FuzzMessage<ddb::Subscribe>(bytes);
  FuzzMessage<ddb::Ack>(bytes);
  FuzzMessage<ddb::Heartbeat>(bytes);
  FuzzMessage<ddb::ErrorMessage>(bytes);
  FuzzMessage<ddb::QueryRequest>(bytes);
  FuzzMessage<ddb::QueryReply>(bytes);
  FuzzMessage<ddb::ForwardRequest>(bytes);
  FuzzMessage<ddb::ForwardReply>(bytes);
  FuzzMessage<ddb::ForwardEnd>(bytes);
  FuzzMessage<ddb::ConsoleWelcome>(bytes);
  FuzzMessage<ddb::ConsoleStatement>(bytes);
  FuzzMessage<ddb::ConsoleOutcome>(bytes);
  FuzzMessage<ddb::ConsoleCommand>(bytes);
  FuzzMessage<ddb::ConsoleCommandOutput>(bytes);
  return 0;
}
