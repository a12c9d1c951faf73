// What both ends of the console socket share: a blocking way to run the
// FramedSocket coroutines on a thread that owns its own io_context, and the
// check that the process at the other end runs as this user.
#pragma once

#include <future>
#include <string>
#include <utility>

#include "ddb/base/asio.h"
#include "ddb/base/status.h"

namespace ddb {

// Runs `op` on `io` until it completes and returns its result. `io` belongs
// to the calling thread: nothing else runs it. Handlers posted to `io` from
// other threads (a Close) run here too.
template <typename T>
T RunBlocking(asio::io_context& io, asio::awaitable<T> op) {
  std::future<T> result = asio::co_spawn(io, std::move(op), asio::use_future);
  io.restart();
  io.run();
  return result.get();
}

// OK if the peer of the connected local socket `fd` runs as this process's
// user, or as root. Whoever reaches a slave daemon's console socket can write
// to the cluster; the socket file's 0600 mode says the same, and this holds
// even where a directory's permissions would let someone else in.
Status CheckPeerIsSameUser(int fd);

// Whether the other end of the connected socket `fd` has closed it (or sent
// something unasked), checked without blocking. Between requests the daemon
// has nothing to say, so anything to read then means the connection is over.
bool PeerHasHungUp(int fd);

}  // namespace ddb
