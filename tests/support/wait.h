// Small helpers every end-to-end test needs: bounded polling, loopback ports,
// and scratch directories that clean up after themselves.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string_view>

namespace ddb::testing {

// Calls condition every poll until it returns true (returns true) or deadline
// has passed (returns false). condition is always tried at least once and
// once more at the deadline, so a slow last poll does not lose a late success.
// Tests wait for observable state this way instead of sleeping a fixed time.
bool WaitFor(const std::function<bool()>& condition, std::chrono::milliseconds deadline,
             std::chrono::milliseconds poll = std::chrono::milliseconds(50));

// A TCP port on 127.0.0.1 that was free a moment ago, picked at random
// outside the kernel's ephemeral range (no connection's local end takes it
// before its server binds it), that the caller hands to a server. Never
// returns the same port twice within one test process, so two servers started
// by one test cannot be given the same port even if the first has not bound
// yet. Another process's server can still take the port in between; callers
// that start servers should retry with a fresh port if binding fails.
uint16_t FreeLoopbackPort();

// A fresh directory under $TMPDIR (or /tmp), removed with everything in it
// when the TempDir is destroyed. Set DDB_KEEP_TEST_DIRS=1 to keep it for a
// post-mortem; its path is then printed to stderr.
class TempDir {
 public:
  // prefix names the directory ("<prefix>-XXXXXX") so leftovers are traceable.
  explicit TempDir(std::string_view prefix = "ddb-test");
  ~TempDir();

  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace ddb::testing
