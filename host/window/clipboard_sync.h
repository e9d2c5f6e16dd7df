// The viewer's clipboard and the host's, kept the same: a change here goes
// to the host, text from the host becomes this clipboard (or the primary
// selection). What was last sent or received is not sent again, so text
// the host gave does not travel back to it.
#pragma once

#include "session.pb.h"

#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace tether::window {

class ClipboardSync {
public:
    // Sends the text to the host; false when it was not sent.
    using Send = std::function<bool(const std::string&)>;

    // Window thread, at SDL_CLIPBOARDUPDATE.
    void local_changed(const Send& send);
    // Any thread: text from the host, applied by the next apply_received().
    void received(const proto::ClipboardText& text);
    // Window thread: sets what came from the host since the last call.
    void apply_received();

private:
    std::string last_;  // sent or received last (window thread)
    std::mutex mutex_;
    std::vector<proto::ClipboardText> arrived_;  // the latest per selection
};

}  // namespace tether::window
