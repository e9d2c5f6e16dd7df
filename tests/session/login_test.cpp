// Password checks run in parallel, so guessing strangers do not hold up a user
// who knows the password: a check still busy with the permanent password
// holds up no other login. (What this is worth in time under a real attack is
// measured by `tether bench login`, not here.)
#include "session/authenticator.h"
#include "temp_dir.h"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <fstream>
#include <future>

namespace tether::session {
namespace {

using namespace std::chrono_literals;

// Whether thread `tid` of this process is blocked in openat(2) now.
bool blocked_in_open(pid_t tid) {
    std::ifstream in("/proc/self/task/" + std::to_string(tid) + "/syscall");
    long number = -1;
    return (in >> number) && number == SYS_openat;
}

TEST(Login, ACheckOfThePermanentPasswordInProgressHoldsUpNoOtherLogin) {
    test::TempDir dir;
    // The permanent password's file is a FIFO: a check of it waits in open(2),
    // where a real check spends its time in Argon2id, until the test opens the
    // other end. Under any lock held over the verification, the second login
    // below would wait for it too.
    const auto file = dir.path() / "password";
    ASSERT_EQ(::mkfifo(file.c_str(), 0600), 0);
    Authenticator authenticator(AccessMode::Attended, security::PasswordStore(file), kView);

    std::promise<pid_t> checking;
    auto slow = std::async(std::launch::async, [&] {
        checking.set_value(static_cast<pid_t>(::gettid()));
        try {
            return authenticator.check({"127.0.0.2:40000", "a guess at the password", kView, {}});
        } catch (const std::exception& e) {
            return LoginDecision{false, 0, e.what(), 0, false};
        }
    });
    const pid_t tid = checking.get_future().get();
    for (int i = 0; i < 3000 && !blocked_in_open(tid); ++i) std::this_thread::sleep_for(10ms);
    ASSERT_TRUE(blocked_in_open(tid)) << "the first check never reached the password file";

    // Another user, from another address, with the one-time password.
    auto quick = std::async(std::launch::async, [&] {
        return authenticator.check({"127.0.0.3:40000", authenticator.one_time_password(), kView, {}});
    });
    const bool answered = quick.wait_for(30s) == std::future_status::ready;
    EXPECT_TRUE(blocked_in_open(tid)) << "the first check ended early, so it proved nothing";

    // Let the first check go in any case: an empty file is no verifier.
    const int writer = ::open(file.c_str(), O_WRONLY | O_CLOEXEC);
    ASSERT_GE(writer, 0);
    ::close(writer);
    EXPECT_FALSE(slow.get().ok);
    ASSERT_TRUE(answered) << "a login waited for another one's password check";
    EXPECT_TRUE(quick.get().ok);
}

}  // namespace
}  // namespace tether::session
