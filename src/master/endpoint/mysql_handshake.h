// The connection phase of the MySQL protocol: the server's greeting
// (HandshakeV10), the client's HandshakeResponse41 and AuthSwitchRequest.
//
// ddb offers mysql_native_password only; a client that starts with another
// plugin (caching_sha2_password from MySQL 8 clients) is switched to it.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "ddb/base/status.h"

namespace ddb::mysql {

// Capability flags (the ones ddb reads or offers).
enum Capability : uint32_t {
  kClientLongPassword = 1u << 0,
  kClientFoundRows = 1u << 1,
  kClientLongFlag = 1u << 2,
  kClientConnectWithDb = 1u << 3,
  kClientLocalFiles = 1u << 7,
  kClientProtocol41 = 1u << 9,
  kClientInteractive = 1u << 10,
  kClientSsl = 1u << 11,
  kClientTransactions = 1u << 13,
  kClientSecureConnection = 1u << 15,
  kClientMultiStatements = 1u << 16,
  kClientMultiResults = 1u << 17,
  kClientPsMultiResults = 1u << 18,
  kClientPluginAuth = 1u << 19,
  kClientConnectAttrs = 1u << 20,
  kClientPluginAuthLenencData = 1u << 21,
  kClientDeprecateEof = 1u << 24,
};

// What ddb's endpoint offers (plus kClientSsl when it has a certificate).
// Not offered, so clients do not use them: compression,
// CLIENT_DEPRECATE_EOF, session tracking.
inline constexpr uint32_t kServerCapabilities =
    kClientLongPassword | kClientFoundRows | kClientLongFlag | kClientConnectWithDb | kClientLocalFiles |
    kClientProtocol41 | kClientInteractive | kClientTransactions | kClientSecureConnection |
    kClientMultiStatements | kClientMultiResults | kClientPsMultiResults | kClientPluginAuth |
    kClientConnectAttrs | kClientPluginAuthLenencData;

// Server status flags, sent in OK and EOF packets.
enum ServerStatus : uint16_t {
  kStatusInTransaction = 1,
  kStatusAutocommit = 2,
  kStatusMoreResultsExist = 8,  // another result of the same command follows
  kStatusPsOutParams = 4096,    // this result set holds a CALL's OUT parameters
};

inline constexpr uint8_t kDefaultCharset = 45;  // utf8mb4_general_ci

struct Greeting {
  std::string server_version;
  uint32_t connection_id = 0;
  std::string scramble;  // kScrambleBytes
  uint16_t status = kStatusAutocommit;
  uint32_t capabilities = kServerCapabilities;
};
std::vector<uint8_t> EncodeGreeting(const Greeting& greeting);

struct HandshakeResponse {
  uint32_t capabilities = 0;
  uint32_t max_packet = 0;
  uint8_t charset = 0;
  std::string user;
  std::string auth_response;
  std::string database;      // when kClientConnectWithDb
  std::string auth_plugin;   // when kClientPluginAuth; may be empty
  bool ssl_request = false;  // the short packet asking for TLS; the full one follows inside it
};
// Fails (kCorruption, naming the field) on a payload that does not decode,
// and (kInvalidArgument) for a client without CLIENT_PROTOCOL_41.
Status DecodeHandshakeResponse(std::span<const uint8_t> payload, HandshakeResponse* out);

// COM_CHANGE_USER's payload (after the command byte), laid out by the
// `capabilities` the client announced at login: user, auth response,
// database, character set, auth plugin. Fails (kCorruption, naming the
// field) on a payload that does not decode.
Status DecodeChangeUser(std::span<const uint8_t> payload, uint32_t capabilities, HandshakeResponse* out);

// Asks the client to answer `scramble` with `plugin` instead.
std::vector<uint8_t> EncodeAuthSwitch(const std::string& plugin, const std::string& scramble);

}  // namespace ddb::mysql
