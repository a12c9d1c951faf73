// "host:port" and "name=host:port", as the config files write the addresses
// of the other nodes (their HTTP, their MySQL endpoint, a seed source).
#pragma once

#include <cstdint>
#include <string>

#include "ddb/base/status.h"

namespace ddb {

struct HostPort {
  std::string host;  // a name or an address; an IPv6 address without its brackets
  uint16_t port = 0;
  // "host:port", "[v6]:port".
  std::string Describe() const;
};

// "slave1=127.0.0.1:33072"
struct NamedAddress {
  std::string name;
  HostPort address;
};

// "host:port" with port 1..65535, "[v6]:port" for IPv6. Never throws: the
// text comes from config files and peers.
Status ParseHostPort(const std::string& text, HostPort* out);
Status ParseNamedAddress(const std::string& text, NamedAddress* out);

}  // namespace ddb
