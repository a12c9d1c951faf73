// The query string of a request target ("/api/snapshot?node=s1&nonce=..."):
// what the HTTP server hands its routes as decoded pairs. Its own file so
// the fuzzer (tests/fuzz/http_fuzzer.cpp) reaches it without the server.
#pragma once

#include <map>
#include <string>

namespace ddb {

// "a%20b+c" -> "a b c"; a '%' not followed by two hex digits stays as is.
std::string PercentDecode(const std::string& text);

// Splits "a=1&b=x%20y" into decoded pairs; a key without '=' has the value
// "", a key given twice keeps its last value.
std::map<std::string, std::string> ParseQueryString(const std::string& query);

}  // namespace ddb
