#include "wait.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

namespace ddb::testing {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

bool WaitFor(const std::function<bool()>& condition, milliseconds deadline, milliseconds poll) {
  const auto end = steady_clock::now() + deadline;
  while (true) {
    if (condition()) return true;
    const auto now = steady_clock::now();
    if (now >= end) return false;
    std::this_thread::sleep_for(std::min<steady_clock::duration>(poll, end - now));
  }
}

namespace {

// Binds a fresh socket to 127.0.0.1:0 and returns the port the kernel chose.
uint16_t KernelChosenPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::system_error(errno, std::generic_category(), "FreeLoopbackPort: socket");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    int err = errno;
    ::close(fd);
    throw std::system_error(err, std::generic_category(), "FreeLoopbackPort: bind");
  }
  ::close(fd);
  return ntohs(addr.sin_port);
}

}  // namespace

uint16_t FreeLoopbackPort() {
  // Process-wide on purpose: ports are a process-wide (indeed machine-wide)
  // resource, and fixtures that never see each other must still not be handed
  // the same port. Guarded because tests may start servers from threads.
  static std::mutex mu;
  static std::set<uint16_t> handed_out;
  std::lock_guard<std::mutex> lock(mu);
  for (int attempt = 0; attempt < 100; ++attempt) {
    uint16_t port = KernelChosenPort();
    if (handed_out.insert(port).second) return port;
  }
  throw std::runtime_error("FreeLoopbackPort: kernel kept returning ports already handed out");
}

TempDir::TempDir(std::string_view prefix) {
  const char* tmpdir = std::getenv("TMPDIR");
  std::filesystem::path base = (tmpdir != nullptr && *tmpdir != '\0') ? tmpdir : "/tmp";
  std::string pattern = (base / (std::string(prefix) + "-XXXXXX")).string();
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (::mkdtemp(buffer.data()) == nullptr) {
    throw std::system_error(errno, std::generic_category(), "TempDir: mkdtemp " + pattern);
  }
  path_ = buffer.data();
}

TempDir::~TempDir() {
  const char* keep = std::getenv("DDB_KEEP_TEST_DIRS");
  if (keep != nullptr && std::string_view(keep) == "1") {
    std::cerr << "DDB_KEEP_TEST_DIRS=1: keeping " << path_ << "\n";
    return;
  }
  // A destructor must not throw; a directory we cannot remove is only litter.
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
  if (ec) std::cerr << "TempDir: could not remove " << path_ << ": " << ec.message() << "\n";
}

}  // namespace ddb::testing
