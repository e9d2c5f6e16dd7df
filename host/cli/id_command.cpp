#include "id_command.h"

#include "security/data_dir.h"
#include "security/identity.h"
#include "security/key_text.h"

#include <nlohmann/json.hpp>

#include <iostream>

namespace tether::cli {

void add_id_command(CLI::App& app, const GlobalOptions& global, int& exit_code) {
    CLI::App* cmd =
        app.add_subcommand("id", "Show this installation's peer ID and key fingerprint (created on first run)");
    cmd->callback([&global, &exit_code] {
        const auto identity = security::load_or_create_identity(security::ensure_data_dir(global.data_dir));
        const std::string fingerprint = security::fingerprint(identity.public_key);
        if (global.json) {
            std::cout << nlohmann::json{{"id", identity.peer_id},
                                        {"fingerprint", fingerprint},
                                        {"public_key", security::to_hex(identity.public_key)}}
                             .dump()
                      << std::endl;
        } else {
            std::cout << "ID: " << security::format_peer_id(identity.peer_id) << "\n"
                      << "Fingerprint: " << fingerprint << std::endl;
        }
        exit_code = 0;
    });
}

}  // namespace tether::cli
