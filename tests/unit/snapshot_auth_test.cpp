#include "ddb/snapshot/snapshot_auth.h"

#include <gtest/gtest.h>

namespace ddb {
namespace {

constexpr std::string_view kSnapshotSecret = "cluster-secret-0123456789";
constexpr int64_t kRequestTime = 1'800'000'000;

std::map<std::string, std::string> SnapshotQuery(const SnapshotRequestAuth& auth) {
  return {{"node", auth.node},
          {"ts", std::to_string(auth.unix_seconds)},
          {"nonce", auth.nonce},
          {"mac", auth.mac}};
}

TEST(SnapshotAuthTest, ASignedRequestIsAcceptedOnceThenARepeatIsAReplay) {
  SnapshotRequestVerifier verifier{std::string(kSnapshotSecret)};
  const SnapshotRequestAuth signed_request = SignSnapshotRequest(kSnapshotSecret, "slave3", kRequestTime);
  SnapshotRequestAuth seen;
  ASSERT_TRUE(verifier.Verify(SnapshotQuery(signed_request), kRequestTime + 2, &seen).ok());
  EXPECT_EQ(seen.node, "slave3");
  const Status again = verifier.Verify(SnapshotQuery(signed_request), kRequestTime + 3, &seen);
  EXPECT_EQ(again.code(), Status::Code::kRefused);
  EXPECT_NE(again.message().find("replay"), std::string::npos);
}

TEST(SnapshotAuthTest, AnotherSecretAChangedFieldOrAStaleClockIsRefused) {
  SnapshotRequestVerifier verifier{std::string(kSnapshotSecret)};
  SnapshotRequestAuth seen;
  EXPECT_FALSE(verifier
                   .Verify(SnapshotQuery(SignSnapshotRequest("other-secret-0123456789", "s", kRequestTime)),
                           kRequestTime, &seen)
                   .ok());
  auto renamed = SnapshotQuery(SignSnapshotRequest(kSnapshotSecret, "slave3", kRequestTime));
  renamed["node"] = "slave4";
  EXPECT_FALSE(verifier.Verify(renamed, kRequestTime, &seen).ok());
  const Status stale =
      verifier.Verify(SnapshotQuery(SignSnapshotRequest(kSnapshotSecret, "slave3",
                                                        kRequestTime - kSnapshotAuthWindowSeconds - 1)),
                      kRequestTime, &seen);
  EXPECT_NE(stale.message().find("clock"), std::string::npos) << stale.message();
  auto missing = SnapshotQuery(SignSnapshotRequest(kSnapshotSecret, "slave3", kRequestTime));
  missing.erase("mac");
  EXPECT_FALSE(verifier.Verify(missing, kRequestTime, &seen).ok());
}

TEST(SnapshotAuthTest, TheSourceProofBindsNonceClusterAndPosition) {
  const std::string proof = SnapshotSourceProof(kSnapshotSecret, "nonce", "cluster-a", 7);
  EXPECT_EQ(proof, SnapshotSourceProof(kSnapshotSecret, "nonce", "cluster-a", 7));
  EXPECT_NE(proof, SnapshotSourceProof(kSnapshotSecret, "nonce", "cluster-a", 8));
  EXPECT_NE(proof, SnapshotSourceProof(kSnapshotSecret, "nonce", "cluster-b", 7));
  EXPECT_NE(proof, SnapshotSourceProof(kSnapshotSecret, "other", "cluster-a", 7));
  EXPECT_NE(proof, SnapshotSourceProof("other-secret", "nonce", "cluster-a", 7));
}

}  // namespace
}  // namespace ddb
