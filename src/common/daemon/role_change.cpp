#include "ddb/daemon/role_change.h"

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
  ::execv(path.c_str(), argv.data());
  return Status::Unavailable("cannot run " + path + ": " + std::strerror(errno));
}

}  // namespace ddb
