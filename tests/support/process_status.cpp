#include "process_status.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace ddb::testing {

std::vector<pid_t> FindProcesses(const std::string& argv0, const std::vector<std::string>& args) {
  std::vector<pid_t> found;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || !std::all_of(name.begin(), name.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      continue;
    }
    std::ifstream in(entry.path() / "cmdline", std::ios::binary);
    std::vector<std::string> argv;
    for (std::string arg; std::getline(in, arg, '\0');) argv.push_back(arg);
    if (argv.empty() || argv[0] != argv0) continue;  // a process that exited meanwhile reads empty
    const bool all = std::all_of(args.begin(), args.end(), [&](const std::string& wanted) {
      return std::find(argv.begin() + 1, argv.end(), wanted) != argv.end();
    });
    if (all) found.push_back(static_cast<pid_t>(std::stol(name)));
  }
  return found;
}

std::optional<long> ProcStatusKb(pid_t pid, const std::string& field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  const std::string prefix = field + ":";
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(prefix, 0) != 0) continue;
    std::istringstream value(line.substr(prefix.size()));
    long kb = 0;
    if (value >> kb) return kb;
    return std::nullopt;
  }
  return std::nullopt;
}

int OpenFdCount(pid_t pid) {
  std::error_code ec;
  int count = 0;
  for (std::filesystem::directory_iterator it("/proc/" + std::to_string(pid) + "/fd", ec), end;
       !ec && it != end; it.increment(ec)) {
    ++count;
  }
  return ec ? -1 : count;
}

}  // namespace ddb::testing
