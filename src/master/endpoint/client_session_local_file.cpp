// LOAD DATA LOCAL INFILE at the endpoint: the file is the client's, sent in
// the statement's own exchange, as a MySQL server asks for it: a packet of
// 0xFB and the file's name, then the client's packets of file bytes and an
// empty one at the end (the client sends only that when it cannot read the
// file). The statement's OK or ERR follows. The bytes are read before the
// statement runs, so a client that breaks off leaves nothing run.
#include "client_session.h"

namespace ddb {
namespace {

constexpr uint8_t kLocalFileRequest = 0xFB;

}  // namespace

Status ClientSession::ReceiveLocalFile(const std::string& name, size_t limit, std::string* content) {
  // A client that did not say it sends files (mariadb without
  // --local-infile) gets MariaDB's own answer, and no request.
  if ((capabilities_ & mysql::kClientLocalFiles) == 0) return LocalFilesNotAllowed();
  std::vector<uint8_t> request = {kLocalFileRequest};
  request.insert(request.end(), name.begin(), name.end());
  if (Status s = Send(request); !s.ok()) {
    reply_failure_ = s;
    return s;
  }
  content->clear();
  bool too_big = false;
  std::vector<uint8_t> packet;
  while (true) {
    if (Status s = ReadPacket(false, &packet); !s.ok()) {
      // Gone, silent past the idle timeout, or out of step: the session ends
      // after this statement's (unsent) answer.
      reply_failure_ = s;
      return s;
    }
    if (packet.empty()) break;
    if (too_big) continue;
    if (packet.size() > limit - content->size()) {
      too_big = true;
      content->clear();
      content->shrink_to_fit();
      continue;
    }
    content->append(packet.begin(), packet.end());
  }
  if (!too_big) return Status::Ok();
  return Status::Refused("the file '" + name + "' is larger than " + std::to_string(limit) +
                         " bytes, the most one transaction's log record can carry (half the master MySQL's "
                         "max_allowed_packet, at most the replication link's frame); nothing was loaded -- "
                         "load it in parts");
}

}  // namespace ddb
