// libFuzzer target for what a MySQL client's bytes reach on the master's
// endpoint before and after it logs in: packet framing (with chunked
// payloads and sequence ids), the handshake response (and the SSLRequest),
// the placeholder scan of a statement to prepare, and the parameters of
// COM_STMT_EXECUTE turned into SQL literals. None may crash, read out of
// bounds, or allocate by a length field rather than by the input.
//
// The first input byte picks what the rest drives (and the sql_mode the
// statement is read under), so one corpus covers all.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "mysql_handshake.h"
#include "mysql_packet.h"
#include "prepared_statement.h"

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

// Reads packets off the bytes as the session reads them off its socket.
void FuzzPackets(std::span<const uint8_t> bytes) {
  size_t at = 0;
  auto read = [&](uint8_t* out, size_t n) {
    if (n > bytes.size() - at) return ddb::Status::Unavailable("end of input");
    std::memcpy(out, bytes.data() + at, n);
    at += n;
    return ddb::Status::Ok();
  };
  uint8_t sequence_id = 0;
  std::vector<uint8_t> payload;
  for (bool first = true;; first = false) {
    if (!ddb::mysql::ReadPacket(read, 64 * 1024, first, &sequence_id, &payload).ok()) return;
    Check(payload.size() <= 64 * 1024);
  }
}

void FuzzHandshake(std::span<const uint8_t> bytes) {
  ddb::mysql::HandshakeResponse response;
  if (!ddb::mysql::DecodeHandshakeResponse(bytes, &response).ok()) return;
  Check(response.user.size() <= bytes.size() && response.auth_response.size() <= bytes.size());
}

// The statement is the text up to the first '\0'; the execute parameters
// follow it.
void FuzzPrepared(std::span<const uint8_t> bytes, ddb::LexMode mode) {
  const std::string_view all(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  const size_t nul = all.find('\0');
  if (nul == std::string_view::npos) return;
  const std::string sql(all.substr(0, nul));
  std::vector<size_t> placeholders = ddb::FindPlaceholders(sql, mode);
  for (size_t at : placeholders) Check(at < sql.size() && sql[at] == '?');
  if (placeholders.size() > 64) return;
  ddb::StatementShape shape;
  shape.param_count = static_cast<uint32_t>(placeholders.size());
  ddb::PreparedStatement statement(sql, std::move(placeholders), shape);
  ddb::mysql::PayloadReader reader(bytes.subspan(nul + 1));
  std::string bound;
  static_cast<void>(statement.Bind(&reader, {.backslash_escapes = mode.backslash_escapes}, &bound));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::span<const uint8_t> rest(data + 1, size - 1);
  switch (data[0] % 3) {
    case 0: FuzzPackets(rest); break;
    case 1: FuzzHandshake(rest); break;
    case 2:
      FuzzPrepared(rest, {.ansi_quotes = (data[0] & 8) != 0, .backslash_escapes = (data[0] & 16) == 0});
      break;
  }
  return 0;
}
