#include "mysql_handshake.h"

#include "mysql_native_password.h"
#include "mysql_packet.h"

namespace ddb::mysql {
namespace {

constexpr uint8_t kProtocolVersion = 10;
constexpr size_t kSslRequestBytes = 32;  // capabilities, max packet, charset, 23 zeros

Status Truncated(const char* field) {
  return Status::Corruption(std::string("handshake response truncated at ") + field);
}

}  // namespace

std::vector<uint8_t> EncodeGreeting(const Greeting& greeting) {
  PayloadWriter w;
  w.U8(kProtocolVersion);
  w.NulTerminated(greeting.server_version);
  w.U32(greeting.connection_id);
  w.Raw(std::string_view(greeting.scramble).substr(0, 8));
  w.U8(0);
  w.U16(static_cast<uint16_t>(greeting.capabilities & 0xFFFF));
  w.U8(kDefaultCharset);
  w.U16(greeting.status);
  w.U16(static_cast<uint16_t>(greeting.capabilities >> 16));
  w.U8(static_cast<uint8_t>(kScrambleBytes + 1));
  w.Zeros(10);
  w.NulTerminated(std::string_view(greeting.scramble).substr(8));
  w.NulTerminated(kNativePasswordPlugin);
  return w.Take();
}

Status DecodeHandshakeResponse(std::span<const uint8_t> payload, HandshakeResponse* out) {
  *out = HandshakeResponse();
  PayloadReader r(payload);
  if (!r.U32(&out->capabilities)) return Truncated("capabilities");
  if (!(out->capabilities & kClientProtocol41)) {
    return Status::InvalidArgument("client does not speak protocol 4.1 (CLIENT_PROTOCOL_41 missing)");
  }
  if (!r.U32(&out->max_packet)) return Truncated("max packet size");
  if (!r.U8(&out->charset)) return Truncated("character set");
  if (!r.Skip(23)) return Truncated("filler");
  if (payload.size() == kSslRequestBytes && (out->capabilities & kClientSsl)) {
    out->ssl_request = true;
    return Status::Ok();
  }
  if (!r.NulTerminated(&out->user)) return Truncated("user name");
  if (out->capabilities & kClientPluginAuthLenencData) {
    if (!r.LengthEncodedString(&out->auth_response)) return Truncated("auth response");
  } else if (out->capabilities & kClientSecureConnection) {
    uint8_t length = 0;
    if (!r.U8(&length) || !r.Bytes(length, &out->auth_response)) return Truncated("auth response");
  } else if (!r.NulTerminated(&out->auth_response)) {
    return Truncated("auth response");
  }
  if ((out->capabilities & kClientConnectWithDb) && r.remaining() > 0) {
    if (!r.NulTerminated(&out->database)) return Truncated("database");
  }
  if ((out->capabilities & kClientPluginAuth) && r.remaining() > 0) {
    // Some clients end the name with the packet rather than a '\0'.
    if (!r.NulTerminated(&out->auth_plugin)) out->auth_plugin = r.Rest();
  }
  // Connection attributes (program name, client version...) follow; ddb
  // does not use them.
  return Status::Ok();
}

Status DecodeChangeUser(std::span<const uint8_t> payload, uint32_t capabilities, HandshakeResponse* out) {
  *out = HandshakeResponse();
  out->capabilities = capabilities;
  PayloadReader r(payload);
  if (!r.NulTerminated(&out->user)) return Truncated("user name");
  if (capabilities & kClientSecureConnection) {
    uint8_t length = 0;
    if (!r.U8(&length) || !r.Bytes(length, &out->auth_response)) return Truncated("auth response");
  } else if (!r.NulTerminated(&out->auth_response)) {
    return Truncated("auth response");
  }
  if (!r.NulTerminated(&out->database)) return Truncated("database");
  uint16_t charset = 0;
  if (r.remaining() > 0 && !r.U16(&charset)) return Truncated("character set");
  out->charset = static_cast<uint8_t>(charset);
  if ((capabilities & kClientPluginAuth) && r.remaining() > 0) {
    if (!r.NulTerminated(&out->auth_plugin)) out->auth_plugin = r.Rest();
  }
  return Status::Ok();  // connection attributes may follow; unused as at login
}

std::vector<uint8_t> EncodeAuthSwitch(const std::string& plugin, const std::string& scramble) {
  PayloadWriter w;
  w.U8(0xFE);
  w.NulTerminated(plugin);
  w.NulTerminated(scramble);
  return w.Take();
}

}  // namespace ddb::mysql
