// --check's look at a daemon's certificates: the files readable, the key
// the certificate's, the certificate valid today (its expiry shown), and
// whether tls_ca_file's CAs vouch for it.
#pragma once

#include <string>

#include "ddb/base/tls.h"
#include "ddb/daemon/config_check.h"

namespace ddb {

// Adds one line to `report` for the tls_* keys of `file`; nothing when none
// is set.
void CheckTlsFiles(const std::string& file, const TlsFiles& files, CheckReport* report);

}  // namespace ddb
