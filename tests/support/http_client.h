// A small blocking HTTP/1.1 client (Boost.Beast) for tests of the daemons'
// HTTP endpoints. Every request has a deadline; a failure to connect or a
// timeout comes back as status 0 with the reason in `error`, never a hang.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>

namespace ddb::testing {

struct HttpReply {
  int status = 0;  // 0: no answer (see error)
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string error;
};

struct HttpCall {
  std::string method = "GET";
  std::string target = "/";
  std::string body;
  std::string token;  // sent as "Authorization: Bearer <token>" when set
  std::string content_type = "application/json";
  std::chrono::milliseconds deadline{30000};
};

HttpReply Http(uint16_t port, const HttpCall& call);
HttpReply HttpGet(uint16_t port, const std::string& target, const std::string& token = "");
HttpReply HttpPost(uint16_t port, const std::string& target, const std::string& body,
                   const std::string& token = "");

}  // namespace ddb::testing
