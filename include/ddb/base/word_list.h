// Fixed lists of SQL words (verbs, object kinds, schema names), as constexpr
// arrays of string_view, and the one question asked of them.
#pragma once

#include <algorithm>
#include <span>
#include <string_view>

namespace ddb {

// Whether `word` is one of `words`, compared exactly (callers upper-case
// keywords first).
inline bool Contains(std::span<const std::string_view> words, std::string_view word) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

}  // namespace ddb
