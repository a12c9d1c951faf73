// Frames and payloads written as string literals in tests.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace ddb {

inline std::vector<uint8_t> Bytes(std::string_view s) { return std::vector<uint8_t>(s.begin(), s.end()); }

}  // namespace ddb
