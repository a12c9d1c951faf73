// Dialing a peer's replication port: "host:port" resolved and connected,
// with Nagle off (the link's frames are small and latency-bound).
#pragma once

#include <string>

#include "ddb/base/asio.h"
#include "ddb/base/host_port.h"

namespace ddb {

// Connects `socket` (unopened, on the executor the link will run on) to
// `address`, "host:port". An address that does not parse fails like one
// that does not answer: the config check refuses both before a start.
asio::awaitable<boost::system::error_code> Dial(tcp::socket& socket, const std::string& address,
                                                HostPort* parsed);

}  // namespace ddb
