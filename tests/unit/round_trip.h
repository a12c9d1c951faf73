// RoundTrip: the check every wire message's unit test makes.
#pragma once

#include <gtest/gtest.h>

#include <span>
#include <string>
#include <vector>

#include "ddb/base/status.h"

namespace ddb {

// Encodes, decodes, and checks that every strict prefix and one extra
// trailing byte are rejected as Corruption.
template <typename M>
M RoundTrip(const M& original) {
  const std::vector<uint8_t> bytes = Encode(original);
  M decoded;
  Status s = Decode(bytes, &decoded);
  EXPECT_TRUE(s.ok()) << s.ToString();

  for (size_t n = 0; n < bytes.size(); ++n) {
    M partial;
    EXPECT_EQ(Decode(std::span<const uint8_t>(bytes.data(), n), &partial).code(), Status::Code::kCorruption)
        << "prefix of " << n << " bytes";
  }
  std::vector<uint8_t> longer = bytes;
  longer.push_back(0);
  M extra;
  Status trailing = Decode(longer, &extra);
  EXPECT_EQ(trailing.code(), Status::Code::kCorruption);
  EXPECT_NE(trailing.message().find("trailing"), std::string::npos) << trailing.message();
  return decoded;
}

}  // namespace ddb
