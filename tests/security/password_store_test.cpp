// The permanent password (an Argon2id verifier on disk) and the one-time password (memory only).
#include "private_files.h"
#include "security/password_store.h"

#include <gtest/gtest.h>

#include <set>

namespace tether::test {
namespace {

namespace fs = std::filesystem;
using security::OneTimePassword;
using security::PasswordStore;

TEST(PasswordStore, SetVerifyWrongAndClear) {
    TempDir dir;
    PasswordStore store(dir.path() / "password");
    EXPECT_FALSE(store.has_password());
    EXPECT_FALSE(store.verify("anything at all"));

    store.set("correct horse battery");
    EXPECT_TRUE(store.has_password());
    EXPECT_TRUE(store.verify("correct horse battery"));
    EXPECT_FALSE(store.verify("correct horse batterY"));
    EXPECT_FALSE(store.verify(""));
    EXPECT_TRUE(PasswordStore(dir.path() / "password").verify("correct horse battery"));  // read from the file

    store.set("another passphrase");
    EXPECT_FALSE(store.verify("correct horse battery"));
    EXPECT_TRUE(store.verify("another passphrase"));

    store.clear();
    EXPECT_FALSE(store.has_password());
    EXPECT_FALSE(store.verify("another passphrase"));
    EXPECT_FALSE(fs::exists(dir.path() / "password"));
    store.clear();  // nothing to remove: fine
}

TEST(PasswordStore, FileHoldsOnlyAnArgon2idVerifierOwnerOnly) {
    TempDir dir;
    PasswordStore store(dir.path() / "password");
    store.set("correct horse battery");
    const std::string text = read_text(dir.path() / "password");
    EXPECT_EQ(text.find("correct"), std::string::npos);
    EXPECT_EQ(text.find("horse"), std::string::npos);
    EXPECT_TRUE(text.starts_with("$argon2id$")) << text;
    EXPECT_EQ(mode_of(dir.path() / "password"), 0600u);
}

TEST(PasswordStore, RefusesTooShortOrTooLong) {
    TempDir dir;
    PasswordStore store(dir.path() / "password");
    EXPECT_THROW(store.set("seven!!"), std::invalid_argument);
    EXPECT_THROW(store.set(std::string(129, 'x')), std::invalid_argument);
    EXPECT_THROW(store.set("ééééééé"), std::invalid_argument);  // 14 bytes but 7 characters
    EXPECT_FALSE(store.has_password());
    try {
        store.set("short");
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("8 to 128 characters"), std::string::npos) << e.what();
    }
    store.set("eight!!!");
    store.set(std::string(128, 'x'));
    EXPECT_TRUE(store.verify(std::string(128, 'x')));
}

TEST(PasswordStore, RefusesAVerifierItDidNotWrite) {
    // A verifier with other Argon2 limits would decide how much memory each check takes.
    std::string cheap(crypto_pwhash_STRBYTES, '\0');
    ASSERT_EQ(crypto_pwhash_str(cheap.data(), "password", 8, crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN),
              0);
    cheap.resize(cheap.find('\0'));
    for (const std::string& contents :
         {cheap + "\n", std::string("plain text password\n"), std::string("$argon2id$v=19$garbage\n")}) {
        TempDir dir;
        write_owner_only(dir, "password", contents);
        const PasswordStore store(dir.path() / "password");
        EXPECT_THROW(store.verify("password"), std::runtime_error) << contents;
        EXPECT_THROW(store.has_password(), std::runtime_error) << contents;
    }

    TempDir exposed;
    PasswordStore store(exposed.path() / "password");
    store.set("correct horse battery");
    fs::permissions(exposed.path() / "password", fs::perms::group_read, fs::perm_options::add);
    EXPECT_THROW(store.verify("correct horse battery"), std::runtime_error);
}

TEST(OneTimePassword, EightCharactersWithoutLookAlikes) {
    std::set<std::string> seen;
    for (int i = 0; i < 200; ++i) {
        const OneTimePassword otp;
        ASSERT_EQ(otp.current().size(), 8u);
        EXPECT_EQ(otp.current().find_first_not_of(OneTimePassword::kAlphabet), std::string::npos) << otp.current();
        EXPECT_EQ(otp.current().find_first_of("0O1lIio"), std::string::npos) << otp.current();
        seen.insert(otp.current());
    }
    EXPECT_EQ(seen.size(), 200u);
}

TEST(OneTimePassword, RotationRetiresTheOldOne) {
    OneTimePassword otp;
    const std::string first = otp.current();
    EXPECT_TRUE(otp.verify(first));
    EXPECT_FALSE(otp.verify(first.substr(0, 7)));
    EXPECT_FALSE(otp.verify(first + "x"));
    EXPECT_FALSE(otp.verify(""));

    otp.rotate();
    EXPECT_NE(otp.current(), first);
    EXPECT_FALSE(otp.verify(first));
    EXPECT_TRUE(otp.verify(otp.current()));
}

}  // namespace
}  // namespace tether::test
