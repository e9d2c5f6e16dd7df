// SIGINT and SIGTERM ask the running command to stop cleanly; and the one
// way the command's main thread waits: until what it waits for has happened,
// a stop is asked for, or a deadline passes. Whatever changes a condition
// that is waited on calls wake_waiters(), so no wait has to look again and again.
#pragma once

#include <chrono>
#include <functional>

namespace tether::cli {

// First thing in main, before any thread starts: the signals are then left
// to one watcher thread (every later thread inherits the mask), which asks
// for the stop and wakes the waiters.
void install_stop_handlers();
bool stop_requested();
// A descriptor that becomes readable once a stop is asked for: for poll()
// beside a descriptor that is being read (a password typed at the terminal).
int stop_descriptor();
// [thread-safe, cheap] Makes every wait_until() look at its condition again.
void wake_waiters();
// Until `done()` holds (then true), a stop is asked for or `deadline` passes
// (then done()'s last answer). done() runs on the calling thread, with no lock held.
bool wait_until(std::chrono::steady_clock::time_point deadline, const std::function<bool()>& done);
// Sleeps until the deadline or a stop request; true when the deadline came first.
bool sleep_unless_stopped(std::chrono::steady_clock::time_point deadline);

}  // namespace tether::cli
