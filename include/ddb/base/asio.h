// The one way ddb includes Boost.Asio.
//
// Boost 1.74's awaitable.hpp uses std::exchange without including <utility>;
// including it here first keeps every translation unit building with C++20
// coroutines on GCC 12.
#pragma once

#include <utility>

#include <boost/asio.hpp>

namespace ddb {
namespace asio = boost::asio;
using tcp = boost::asio::ip::tcp;
}  // namespace ddb
