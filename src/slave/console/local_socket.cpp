#include "local_socket.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace ddb {

Status CheckPeerIsSameUser(int fd) {
  ucred peer{};
  socklen_t size = sizeof(peer);
  if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &peer, &size) != 0) {
    return Status::IoError(std::string("cannot read the peer's credentials: ") + std::strerror(errno));
  }
  if (peer.uid == geteuid() || peer.uid == 0) return Status::Ok();
  return Status::Refused("process " + std::to_string(peer.pid) + " runs as uid " + std::to_string(peer.uid) +
                         ", not as this daemon's uid " + std::to_string(geteuid()));
}

bool PeerHasHungUp(int fd) {
  pollfd watched{fd, POLLIN | POLLRDHUP, 0};
  if (poll(&watched, 1, 0) < 0) return false;  // EINTR: the request itself will tell
  return (watched.revents & (POLLIN | POLLRDHUP | POLLHUP | POLLERR)) != 0;
}

}  // namespace ddb
