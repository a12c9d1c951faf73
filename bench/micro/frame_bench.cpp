// Micro-benchmarks of the wire codec: what one replicated record costs to
// frame and unframe (CRC32C included), at typical statement sizes.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "ddb/base/log_record.h"
#include "ddb/base/wire.h"
#include "ddb/protocol/frame.h"

namespace ddb {
namespace {

// A record like the ones the benchmark workload produces: one autocommit
// statement with its replay context.
LogRecord TypicalRecord(size_t sql_bytes) {
  LogRecord record;
  record.seq = 123456;
  record.committed_at_micros = 1'700'000'000'000'000;
  LoggedStatement statement;
  statement.sql = "INSERT INTO bench.mixed (id, k, v) VALUES (42, 7, '" + std::string(sql_bytes, 'x') + "')";
  statement.default_database = "bench";
  statement.timestamp_micros = 1'700'000'000'000'000;
  statement.settings = {{"sql_mode", "STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION"},
                        {"time_zone", "SYSTEM"},
                        {"character_set_client", "utf8mb4"},
                        {"collation_connection", "utf8mb4_general_ci"}};
  record.statements.push_back(statement);
  return record;
}

std::vector<uint8_t> Payload(size_t bytes) { return std::vector<uint8_t>(bytes, 0xA5); }

void BM_Crc32c(benchmark::State& state) {
  const auto data = Payload(static_cast<size_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(Crc32c(data));
  state.SetBytesProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_Crc32c)->Arg(64)->Arg(512)->Arg(4096)->Arg(65536);

void BM_EncodeFrame(benchmark::State& state) {
  const auto payload = Payload(static_cast<size_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(EncodeFrame(MessageType::kRecord, payload));
  state.SetBytesProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_EncodeFrame)->Arg(64)->Arg(512)->Arg(4096);

void BM_DecodeFrame(benchmark::State& state) {
  const auto frame = EncodeFrame(MessageType::kRecord, Payload(static_cast<size_t>(state.range(0))));
  const std::span<const uint8_t> bytes(frame);
  for (auto _ : state) {
    FrameHeader header;
    Status s = DecodeFrameHeader(bytes.first<kFrameHeaderSize>(), &header);
    if (s.ok()) s = VerifyFramePayload(header, bytes.subspan(kFrameHeaderSize));
    benchmark::DoNotOptimize(s);
  }
  state.SetBytesProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_DecodeFrame)->Arg(64)->Arg(512)->Arg(4096);

void BM_EncodeRecord(benchmark::State& state) {
  const LogRecord record = TypicalRecord(static_cast<size_t>(state.range(0)));
  for (auto _ : state) {
    const auto body = EncodeRecordBody(record);
    const auto payload = EncodeRecordPayload(record.seq, record.committed_at_micros, body);
    benchmark::DoNotOptimize(EncodeFrame(MessageType::kRecord, payload));
  }
}
BENCHMARK(BM_EncodeRecord)->Arg(40)->Arg(1000);

void BM_DecodeRecord(benchmark::State& state) {
  const LogRecord record = TypicalRecord(static_cast<size_t>(state.range(0)));
  const auto payload = EncodeRecordPayload(record.seq, record.committed_at_micros, EncodeRecordBody(record));
  for (auto _ : state) {
    LogRecord decoded;
    benchmark::DoNotOptimize(DecodeRecordPayload(payload, &decoded));
  }
}
BENCHMARK(BM_DecodeRecord)->Arg(40)->Arg(1000);

void BM_ByteWriterReader(benchmark::State& state) {
  for (auto _ : state) {
    ByteWriter writer;
    for (uint64_t i = 0; i < 16; ++i) writer.U64(i);
    writer.Bytes("default_database");
    const auto data = writer.Take();
    ByteReader reader(data);
    uint64_t v = 0;
    for (int i = 0; i < 16; ++i) reader.U64(&v);
    std::string s;
    reader.Bytes(&s);
    benchmark::DoNotOptimize(s);
  }
}
BENCHMARK(BM_ByteWriterReader);

}  // namespace
}  // namespace ddb
