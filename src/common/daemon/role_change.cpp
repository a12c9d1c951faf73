#include "ddb/daemon/role_change.h"

#include <linux/close_range.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>

namespace ddb {

Status ExecSiblingDaemon(const std::string& program, const std::vector<std::string>& args) {
  std::error_code ec;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return Status::Unavailable("cannot find this program's directory: " + ec.message());
  const std::string path = (self.parent_path() / program).string();
  std::vector<std::string> owned{path};
  owned.insert(owned.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& arg : owned) argv.push_back(arg.data());
  argv.push_back(nullptr);
  std::cout.flush();
  std::cerr.flush();
  // Every descriptor but the standard three closes: listening ports, the
  // MySQL sessions (their named locks go with them) and the log file, so the
  // new daemon can take them. Whatever ran on them ends as on kill -9, which
  // every part of ddb survives (a transaction in flight rolls back).
  ::close_range(3, ~0U, 0);
  ::execv(path.c_str(), argv.data());
  return Status::Unavailable("cannot run " + path + ": " + std::strerror(errno));
}

}  // namespace ddb
