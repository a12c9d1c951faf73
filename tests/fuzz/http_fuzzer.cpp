// libFuzzer target for the HTTP request path up to the routes: Beast's
// request parser with the limits the server sets, then the target split
// into path and query and the query string decoded as the server does.
// Nothing may crash or read out of bounds, and decoding never grows a value.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "ddb/daemon/query_string.h"

namespace {

namespace http = boost::beast::http;

void Check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  http::request_parser<http::string_body> parser;
  parser.body_limit(1 << 20);  // as HttpServerOptions::body_limit
  parser.header_limit(16 * 1024);
  parser.eager(true);
  boost::system::error_code ec;
  size_t used = 0;
  while (used < size && !parser.is_done()) {
    const size_t n = parser.put(boost::asio::const_buffer(data + used, size - used), ec);
    if (ec || n == 0) break;
    used += n;
  }
  if (!parser.is_header_done()) return 0;
  const std::string target(parser.get().target());
  const size_t question = target.find('?');
  if (question == std::string::npos) return 0;
  const std::string query = target.substr(question + 1);
  for (const auto& [key, value] : ddb::ParseQueryString(query)) {
    Check(key.size() + value.size() <= query.size());
  }
  Check(ddb::PercentDecode(query).size() <= query.size());
  return 0;
}
