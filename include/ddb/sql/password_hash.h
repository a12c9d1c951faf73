// Password hashes the way MySQL and MariaDB compute them.
//
// mysql_native_password keeps SHA1(SHA1(password)) on the server: the login
// handshake (src/master/endpoint/mysql_native_password.h) proves knowledge of
// SHA1(password) against it, and the same value, written as text, is what
// mysql.user's authentication_string and PASSWORD() show. Logging that text
// instead of a password (secret_redaction.h) gives every slave the same
// account without the password ever being written down.
#pragma once

#include <string>
#include <string_view>

namespace ddb {

// The SHA-1 digest of `data`: 20 raw bytes.
std::string Sha1(std::string_view data);

// What PASSWORD('password') returns and mysql_native_password stores: '*'
// followed by the upper-case hex of SHA1(SHA1(password)), 41 characters. An
// empty password has the empty hash, as in the server.
std::string NativePasswordHash(std::string_view password);

}  // namespace ddb
