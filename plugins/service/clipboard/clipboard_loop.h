// The clipboard's own thread and X connection: hears the host's selections
// change and hands their new text to `publish`, and holds the text viewers
// offer as the host's selections until something else on the host takes them.
#pragma once

#include "clipboard_display.h"
#include "clipboard_settings.h"
#include "selection_owner.h"
#include "selection_reader.h"

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>

namespace tether::clipboard {

enum class Selection { clipboard, primary };

class ClipboardLoop {
public:
    // [loop thread] A selection's text, valid UTF-8 within the limit, different from the last it held.
    using Publish = std::function<void(Selection, const std::string& utf8)>;

    // Connects and watches the selections now (throws std::runtime_error saying
    // why it cannot), then runs on a thread of its own.
    ClipboardLoop(const ClipboardSettings& settings, Publish publish);
    ~ClipboardLoop();  // wakes the thread and joins it
    ClipboardLoop(const ClipboardLoop&) = delete;
    ClipboardLoop& operator=(const ClipboardLoop&) = delete;

    // [thread-safe] Makes `utf8` (valid, within the limit) the host's selection.
    void offer(Selection selection, std::string utf8);

private:
    void run();
    void take_offers();
    void dispatch(const xcb_generic_event_t& event);
    void read(xcb_atom_t selection, std::string utf8);
    int poll_timeout_ms() const;

    // An eventfd the thread polls beside the X connection, to be woken for offers and the stop.
    class Wakeup {
    public:
        Wakeup();  // throws std::runtime_error when the system has none to give
        ~Wakeup();
        Wakeup(const Wakeup&) = delete;
        Wakeup& operator=(const Wakeup&) = delete;
        int fd() const { return fd_; }
        void wake() const;
        void reset() const;

    private:
        int fd_;
    };

    ClipboardDisplay display_;
    Publish publish_;
    SelectionReader reader_;
    SelectionOwner owner_;
    std::map<xcb_atom_t, std::string> last_;  // [loop thread] what each selection last held, either way
    Wakeup wakeup_;
    std::mutex mutex_;
    std::map<Selection, std::string> offers_;  // [mutex_] only the latest per selection matters
    bool stopping_ = false;                    // [mutex_]
    std::thread thread_;
};

}  // namespace tether::clipboard
