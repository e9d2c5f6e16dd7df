#include "pin_name.h"

#include "identity.h"

#include <algorithm>
#include <stdexcept>

namespace tether::security {
namespace {

// A full-length DNS name with a port fits; a longer name is not something anyone typed.
constexpr size_t kMaxNameLength = 255;
constexpr std::string_view kTcpScheme = "tcp://";

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_printable_word_char(char c) { return c > ' ' && c <= '~'; }

std::string normalised(std::string_view typed) {
    std::string name(typed);
    // The port and an IPv6 zone (an interface name, which is case-sensitive) stay as typed;
    // the scheme is lowercased with the host, as URL schemes are case-insensitive.
    const size_t host_length = std::min({name.rfind(':'), name.find('%'), name.size()});
    for (size_t i = 0; i < host_length; ++i)
        if (name[i] >= 'A' && name[i] <= 'Z') name[i] = static_cast<char>(name[i] - 'A' + 'a');
    if (name.starts_with(kTcpScheme)) name.erase(0, kTcpScheme.size());
    return name;
}

}  // namespace

std::string pin_name_of(std::string_view typed) {
    std::string name = normalised(typed);
    if (const auto problem = pin_name_problem(name)) throw std::invalid_argument(*problem);
    return name;
}

std::optional<std::string> pin_name_problem(std::string_view name) {
    if (name.empty()) return "the name is empty";
    if (std::all_of(name.begin(), name.end(), is_digit))
        return is_peer_id(name) ? std::nullopt : std::optional<std::string>("the peer ID is not 9 digits");
    if (name.size() > kMaxNameLength) return "the name is longer than " + std::to_string(kMaxNameLength) + " characters";
    if (!std::all_of(name.begin(), name.end(), is_printable_word_char))
        return "the name has a character that is not printable ASCII";
    if (normalised(name) != name) return "the address is not as Tether writes it (no \"tcp://\", host in lowercase)";
    return std::nullopt;
}

}  // namespace tether::security
