// Fetches a snapshot stream over HTTP or HTTPS (Boost.Beast), handing each piece of
// the body to a sink as it arrives: nothing is staged in memory or on disk.
// Every connect and read has a deadline; a body cut off before its last
// chunk is an error.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "ddb/base/host_port.h"
#include "ddb/base/status.h"
#include "ddb/base/tls.h"

namespace ddb {

// Called for each piece of the body; an error stops the fetch with it.
using BodySink = std::function<Status(std::string_view piece)>;

// HTTPS: the client context (CA to check the source's certificate against)
// and the name the certificate must hold (empty: the address's host).
// Without a context, plain HTTP.
struct FetchTls {
  std::shared_ptr<ssl::context> context;
  std::string server_name;
};

// GET `target` from `address`. A status other than 200 fails with the
// source's {"error": ...} text.
Status FetchStreamed(const HostPort& address, const std::string& target, const BodySink& sink,
                     std::chrono::seconds read_timeout, const FetchTls& tls = {});

}  // namespace ddb
