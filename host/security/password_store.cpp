#include "password_store.h"

#include "private_file.h"
#include "sodium_setup.h"

#include <stdexcept>
#include <system_error>

namespace tether::security {
namespace fs = std::filesystem;
namespace {

constexpr size_t kMaxPasswordFileSize = 4096;
// Both the cost of setting and the cost of checking; a verifier made with other limits is
// refused rather than run, since its limits would decide how much memory a check takes.
constexpr unsigned long long kOpsLimit = crypto_pwhash_OPSLIMIT_INTERACTIVE;
constexpr size_t kMemLimit = crypto_pwhash_MEMLIMIT_INTERACTIVE;

size_t code_points(std::string_view utf8) {
    size_t count = 0;
    for (const char c : utf8)
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;  // not a continuation byte
    return count;
}

}  // namespace

PasswordStore::PasswordStore(fs::path file) : file_(std::move(file)) {}

std::optional<std::string> PasswordStore::load_verifier() const {
    auto text = read_private_file(file_, kMaxPasswordFileSize);
    if (!text) return std::nullopt;
    if (text->ends_with('\n')) text->pop_back();
    if (text->size() >= crypto_pwhash_STRBYTES || !text->starts_with(crypto_pwhash_argon2id_STRPREFIX) ||
        crypto_pwhash_str_needs_rehash(text->c_str(), kOpsLimit, kMemLimit) != 0)
        throw std::runtime_error(file_.string() +
                                 ": not a password verifier written by this version of tether; "
                                 "run `tether passwd` to set the password again");
    return text;
}

bool PasswordStore::has_password() const {
    return load_verifier().has_value();
}

void PasswordStore::set(std::string_view password) {
    const size_t length = code_points(password);
    if (length < kMinLength || length > kMaxLength)
        throw std::invalid_argument("a password needs " + std::to_string(kMinLength) + " to " +
                                    std::to_string(kMaxLength) + " characters; this one has " + std::to_string(length));
    ensure_sodium();
    std::string verifier(crypto_pwhash_STRBYTES, '\0');
    if (crypto_pwhash_str(verifier.data(), password.data(), password.size(), kOpsLimit, kMemLimit) != 0)
        throw std::runtime_error("not enough memory to hash the password");
    verifier.resize(verifier.find('\0'));
    replace_private_file(file_, verifier + "\n");
}

void PasswordStore::clear() {
    std::error_code error;
    fs::remove(file_, error);
    if (error) throw std::runtime_error(file_.string() + ": cannot remove: " + error.message());
}

bool PasswordStore::verify(std::string_view password) const {
    const auto verifier = load_verifier();
    if (!verifier) return false;
    ensure_sodium();
    return crypto_pwhash_str_verify(verifier->c_str(), password.data(), password.size()) == 0;
}

OneTimePassword::OneTimePassword() {
    rotate();
}

void OneTimePassword::rotate() {
    ensure_sodium();
    std::string next(kLength, '\0');
    for (char& c : next)
        c = kAlphabet[randombytes_uniform(static_cast<uint32_t>(kAlphabet.size()))];
    current_digest_ = digest(next);
    current_ = std::move(next);
}

bool OneTimePassword::verify(std::string_view attempt) const {
    const Digest attempted = digest(attempt);
    return sodium_memcmp(attempted.data(), current_digest_.data(), attempted.size()) == 0;
}

OneTimePassword::Digest OneTimePassword::digest(std::string_view text) {
    Digest out{};
    crypto_generichash(out.data(), out.size(), reinterpret_cast<const uint8_t*>(text.data()), text.size(), nullptr, 0);
    return out;
}

}  // namespace tether::security
