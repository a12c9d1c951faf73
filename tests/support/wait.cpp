#include "wait.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <mutex>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>
#include <utility>
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

// Whether 127.0.0.1:`port` can be bound now.
bool CanBind(uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::system_error(errno, std::generic_category(), "FreeLoopbackPort: socket");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  const bool bound = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return bound;
}

// The ports the kernel gives connections their local end from
// (net.ipv4.ip_local_port_range).
std::pair<int, int> EphemeralPorts() {
  std::ifstream file("/proc/sys/net/ipv4/ip_local_port_range");
  int low = 32768;
  int high = 60999;
  if (!(file >> low >> high) || low > high) return {32768, 60999};
  return {low, high};
}

// Tests hand their servers ports above 10000 (clear of the usual services)
// and outside the ephemeral range: never one a connection's local end can
// take. A server is started a few seconds after its port was picked (a
// MariaDB that boots, the daemons after it), and every connection any
// process opens meanwhile takes a kernel-chosen local port from the
// ephemeral range: a picked port there could be gone by the time its server
// binds it.
constexpr int kLowestServerPort = 10000;

}  // namespace

uint16_t FreeLoopbackPort() {
  // Process-wide on purpose: ports are a process-wide (indeed machine-wide)
  // resource, and fixtures that never see each other must still not be handed
  // the same port. Guarded because tests may start servers from threads.
  static std::mutex mu;
  static std::set<uint16_t> handed_out;
  static const std::pair<int, int> ephemeral = EphemeralPorts();
  // An ephemeral range over all of them leaves no such port: any will do.
  static const bool avoid_ephemeral = ephemeral.first > kLowestServerPort || ephemeral.second < 65535;
  // Random, so that test processes running side by side rarely try the
  // same ports.
  static std::mt19937 random(std::random_device{}());
  std::lock_guard<std::mutex> lock(mu);
  std::uniform_int_distribution<int> pick(kLowestServerPort, 65535);
  for (int attempt = 0; attempt < 2000; ++attempt) {
    const int port = pick(random);
    if (avoid_ephemeral && port >= ephemeral.first && port <= ephemeral.second) continue;
    if (!handed_out.contains(static_cast<uint16_t>(port)) && CanBind(static_cast<uint16_t>(port))) {
      handed_out.insert(static_cast<uint16_t>(port));
      return static_cast<uint16_t>(port);
    }
  }
  throw std::runtime_error("FreeLoopbackPort: no free port outside the ephemeral range");
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
