// Opening a daemon's listening socket, the same way for every port it serves
// (HTTP, replication, a slave's endpoint port): SO_REUSEADDR, so a daemon that
// restarts, or a node that changes role in the same process, binds again at
// once.
#pragma once

#include <cstdint>
#include <string>

#include "ddb/base/asio.h"
#include "ddb/base/status.h"

namespace ddb {

// Opens `acceptor` on address:port and listens. Errors name `address_key`
// (the config key the address came from) or `what` ("for slaves", "for
// HTTP"): InvalidArgument for an address that is not an IP, IoError when the
// port cannot be had.
Status OpenListener(tcp::acceptor& acceptor, const std::string& address, uint16_t port,
                    const std::string& address_key, const std::string& what);

}  // namespace ddb
