// A viewer reaching a host by ID accepts only the vouched key, and only when
// that key derives the ID: a lying rendezvous server that vouches for an
// impostor's key under a victim's ID gets the connection refused.
#include "session/host_by_id_check.h"

#include <gtest/gtest.h>

namespace tether::session {
namespace {

TEST(HostByIdCheck, TheVouchedKeyOfTheIdPasses) {
    const auto host = security::fresh_identity();
    EXPECT_NO_THROW(check_host_by_id(host.peer_id, host.public_key, "", host.peer_id, host.public_key));
}

TEST(HostByIdCheck, AnImpostorVouchedForByALyingServerIsRefusedByItsId) {
    const auto victim = security::fresh_identity();
    const auto impostor = security::fresh_identity();
    try {
        check_host_by_id(victim.peer_id, impostor.public_key, "", impostor.peer_id, impostor.public_key);
        FAIL() << "an impostor passed";
    } catch (const net::HandshakeError& e) {
        const std::string why = e.what();
        EXPECT_NE(why.find("another machine"), std::string::npos) << why;
        EXPECT_NE(why.find(security::fingerprint(impostor.public_key)), std::string::npos) << why;
    }
}

TEST(HostByIdCheck, AKeyOtherThanTheVouchedOneIsRefused) {
    const auto host = security::fresh_identity();
    const auto other = security::fresh_identity();
    EXPECT_THROW(check_host_by_id(host.peer_id, other.public_key, "", host.peer_id, host.public_key), net::HandshakeError);
    EXPECT_THROW(check_host_by_id(host.peer_id, std::nullopt, "", host.peer_id, host.public_key), net::HandshakeError);
}

TEST(HostByIdCheck, AMovedIdPassesOnlyWithItsKeyAcceptedOnPurpose) {
    const auto old_key = security::fresh_identity();
    const auto new_key = security::fresh_identity();
    const std::string accepted = security::fingerprint(new_key.public_key);
    EXPECT_NO_THROW(check_host_by_id(old_key.peer_id, new_key.public_key, accepted, new_key.peer_id, new_key.public_key));
    EXPECT_THROW(check_host_by_id(old_key.peer_id, new_key.public_key, "", new_key.peer_id, new_key.public_key),
                 net::HandshakeError);
}

}  // namespace
}  // namespace tether::session
