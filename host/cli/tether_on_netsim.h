// Tether on one NAT pair of the simulated internet, run as users run it:
// `tether serve` on srv, `tether host` on a registered with it, and viewers
// (`tether connect ID`) on b, each with a data folder of its own and all with
// netsim_config.h's configuration.
#pragma once

#include "core/background_command.h"
#include "json_event_lines.h"
#include "netsim_network.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tether::cli {

class TetherOnNetsim {
public:
    // `program`: the tether binary; `folder`: where the configuration and data folders go.
    // Brings the network up and the server and host with it; throws why when one does not come up.
    TetherOnNetsim(const std::filesystem::path& program, const std::filesystem::path& script, const std::string& mode_a,
                   const std::string& mode_b, const std::filesystem::path& folder);
    // One `tether connect ID --headless --seconds S --json` on b: the summary
    // it printed; throws why when it failed or showed no picture.
    nlohmann::json connect(double seconds);
    // Why no more runs can be made: the server or the host has exited, with its log; or nullopt.
    std::optional<std::string> gone() const;

private:
    std::vector<std::string> tether_on(const std::string& host, const std::vector<std::string>& command) const;
    // How `program` ended, with the last lines of its log.
    static std::string ending(const BackgroundCommand& program);
    // Waits for `program`'s event `name`; throws with the program's log when it does not come.
    nlohmann::json await(BackgroundCommand& program, JsonEventLines& events, const std::string& name,
                         const std::string& who);
    // The host shows a new one-time password after each login: the newest is the one to use.
    void take_newest_password(std::chrono::milliseconds wait);

    // Destroyed in reverse: the host and the server stop before what they feed and the network they run on.
    NetsimNetwork net_;
    std::filesystem::path program_;
    std::filesystem::path folder_;
    std::filesystem::path config_;
    std::string rendezvous_;  // srv's address
    JsonEventLines server_events_;
    JsonEventLines host_events_;
    std::unique_ptr<BackgroundCommand> server_;
    std::unique_ptr<BackgroundCommand> host_;
    std::string id_;
    std::string password_;
};

}  // namespace tether::cli
