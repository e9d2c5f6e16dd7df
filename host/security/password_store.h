// The two ways a viewer proves it may log in (DESIGN.md §6): the permanent password,
// kept only as an Argon2id verifier, and the one-time password shown by `tether host`.
// Unlike RustDesk's salted SHA-256, a stolen verifier costs an attacker a memory-hard
// search per guess, and it never works as a credential by itself.
#pragma once

#include <sodium.h>

#include <array>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace tether::security {

class PasswordStore {
public:
    static constexpr size_t kMinLength = 8;  // characters (UTF-8 code points)
    static constexpr size_t kMaxLength = 128;

    // <data_dir>/password. Each call reads the file afresh, so a password changed with
    // `tether passwd` applies to a running host at its next login. A file that cannot be
    // read or holds no verifier of ours throws std::runtime_error naming it.
    explicit PasswordStore(std::filesystem::path file);

    bool has_password() const;
    // Throws std::invalid_argument for a password shorter than kMinLength or longer than kMaxLength.
    void set(std::string_view password);
    void clear();
    bool verify(std::string_view password) const;  // false when no password is set

private:
    std::optional<std::string> load_verifier() const;

    std::filesystem::path file_;
};

// Shown by `tether host` and rotated after each session; it lives in memory only.
class OneTimePassword {
public:
    static constexpr size_t kLength = 8;
    // Digits and lowercase letters without the look-alikes 0, o, 1, l and i.
    static constexpr std::string_view kAlphabet = "23456789abcdefghjkmnpqrstuvwxyz";

    OneTimePassword();
    const std::string& current() const { return current_; }
    void rotate();
    // Compares fixed-size hashes in constant time, so timing reveals neither content nor length.
    bool verify(std::string_view attempt) const;

private:
    using Digest = std::array<uint8_t, crypto_generichash_BYTES>;
    static Digest digest(std::string_view text);

    std::string current_;
    Digest current_digest_{};
};

}  // namespace tether::security
