#include "ddb/base/host_port.h"

#include <charconv>

namespace ddb {

std::string HostPort::Describe() const {
  const bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

Status ParseHostPort(const std::string& text, HostPort* out) {
  const size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) {
    return Status::InvalidArgument("'" + text + "' is not host:port");
  }
  std::string host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  unsigned port = 0;
  const char* begin = text.data() + colon + 1;
  const char* end = text.data() + text.size();
  const auto [last, error] = std::from_chars(begin, end, port);
  if (error != std::errc() || last != end) {
    return Status::InvalidArgument("'" + text + "': the port is not a number");
  }
  if (port < 1 || port > 65535) return Status::InvalidArgument("'" + text + "': the port is not in 1..65535");
  if (host.empty() || host.find_first_of(" \t[]") != std::string::npos) {
    return Status::InvalidArgument("'" + text + "': bad host");
  }
  out->host = std::move(host);
  out->port = static_cast<uint16_t>(port);
  return Status::Ok();
}

Status ParseNamedAddress(const std::string& text, NamedAddress* out) {
  const size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0) {
    return Status::InvalidArgument("'" + text + "' is not name=host:port");
  }
  out->name = text.substr(0, eq);
  return ParseHostPort(text.substr(eq + 1), &out->address);
}

}  // namespace ddb
