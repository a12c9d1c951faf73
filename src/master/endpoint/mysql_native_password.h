// mysql_native_password: the MySQL authentication method every client speaks.
//
// The server sends a 20-byte scramble; the client answers with
//   SHA1(password) XOR SHA1(scramble + SHA1(SHA1(password)))
// (empty for an empty password), so the password never crosses the wire.
// ddb keeps the endpoint's passwords in its config, so the server computes the
// expected token from the password and compares in constant time.
#pragma once

#include <string>
#include <string_view>

namespace ddb::mysql {

inline constexpr size_t kScrambleBytes = 20;
inline constexpr const char* kNativePasswordPlugin = "mysql_native_password";

// 20 random bytes from OpenSSL's CSPRNG, none of them '\0' (the greeting
// carries the scramble NUL-terminated).
std::string MakeScramble();

// What a client sends for `password` and `scramble`.
std::string NativePasswordToken(std::string_view password, std::string_view scramble);

// Whether `token` proves knowledge of `password`.
bool CheckNativePassword(std::string_view token, std::string_view scramble, std::string_view password);

}  // namespace ddb::mysql
