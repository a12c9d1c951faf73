// Reading a whole file as text: daemon logs, console transcripts, MariaDB's
// error log. Tests poll these while the writer is still appending.
#pragma once

#include <filesystem>
#include <string>

namespace ddb::testing {

// The file's bytes as they are now; empty if it does not exist (yet), since
// a test that polls a log usually starts before the daemon has created it.
std::string ReadFile(const std::filesystem::path& path);

}  // namespace ddb::testing
