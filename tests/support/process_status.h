// Reading another process's state from /proc, for tests that bound what a
// daemon uses (memory) or need the pid of a daemon a fixture started.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

namespace ddb::testing {

// Pids of running processes whose command line starts with `argv0` and
// contains every string of `args` as a whole argument. A test finds the
// daemon it started by a path only it uses (its own config file), so other
// tests' daemons never match.
std::vector<pid_t> FindProcesses(const std::string& argv0, const std::vector<std::string>& args);

// A "kB" field of /proc/<pid>/status ("VmRSS", "VmHWM", ...), in KiB;
// nullopt if the process or the field is not there.
std::optional<long> ProcStatusKb(pid_t pid, const std::string& field);

// Open file descriptors of pid (entries of /proc/<pid>/fd); -1 if unreadable.
int OpenFdCount(pid_t pid);

}  // namespace ddb::testing
