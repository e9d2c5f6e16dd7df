#include "relay_throughput.h"

#include "core/subprocess.h"
#include "relay_bench_peer.h"

#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <exception>
#include <stdexcept>
#include <thread>
#include <vector>

namespace tether::cli {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

constexpr size_t kChunk = 256 * 1024;

struct Streamed {
    double mb = 0;
    double seconds = 0;
    double mb_s() const { return seconds > 0 ? mb / seconds : 0; }
};

// Writes from `writer` for `duration`, then ends the stream, while this thread
// reads at `reader` to the end.
Streamed stream(const BenchSocket& writer, const BenchSocket& reader, std::chrono::seconds duration) {
    std::exception_ptr failed;
    const auto began = Clock::now();
    std::thread push([&] {
        const std::vector<uint8_t> chunk(kChunk, 0x5a);
        try {
            while (Clock::now() - began < duration) writer.write_all(chunk);
        } catch (...) {
            failed = std::current_exception();
        }
        ::shutdown(writer.fd(), SHUT_WR);
    });
    std::vector<uint8_t> buffer(kChunk);
    size_t total = 0;
    for (ssize_t n; (n = ::recv(reader.fd(), buffer.data(), buffer.size(), 0)) != 0;) {
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) break;
        total += static_cast<size_t>(n);
    }
    const std::chrono::duration<double> took = Clock::now() - began;
    push.join();
    if (failed) std::rethrow_exception(failed);
    return {static_cast<double>(total) / 1e6, took.count()};
}

struct Relayed {
    double mb_s = 0;
    double cpu_s_per_gb = 0;
};

Relayed through_relay(bool splice, std::chrono::seconds duration) {
    BenchRelay relay(splice);
    const PairedPeers peers = relay.pair();
    const double cpu_before = relay.cpu_seconds();
    const Streamed streamed = stream(peers.host, peers.viewer, duration);
    const double cpu = relay.cpu_seconds() - cpu_before;
    return {streamed.mb_s(), streamed.mb > 0 ? cpu / (streamed.mb / 1000) : 0};
}

void keep_best(const Relayed& run, double* mb_s, double* cpu_s_per_gb) {
    if (run.mb_s <= *mb_s) return;
    *mb_s = run.mb_s;
    *cpu_s_per_gb = run.cpu_s_per_gb;
}

// A listening loopback socket on a port the system chose.
BenchSocket listen_on_loopback(uint16_t* port) {
    BenchSocket socket(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_in at{};
    at.sin_family = AF_INET;
    at.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof at;
    if (socket.fd() < 0 || ::bind(socket.fd(), reinterpret_cast<sockaddr*>(&at), size) != 0 ||
        ::listen(socket.fd(), 4) != 0 || ::getsockname(socket.fd(), reinterpret_cast<sockaddr*>(&at), &size) != 0)
        throw std::runtime_error("cannot listen on loopback");
    *port = ntohs(at.sin_port);
    return socket;
}

BenchSocket connect_when_listening(uint16_t port) {
    const auto deadline = Clock::now() + 10s;
    for (;;) {
        try {
            return BenchSocket::connect_to(port);
        } catch (const std::runtime_error&) {
            if (Clock::now() > deadline) throw;
            std::this_thread::sleep_for(10ms);
        }
    }
}

double through_socat(std::chrono::seconds duration) {
    uint16_t sink_port = 0, socat_port = 0;
    const BenchSocket sink = listen_on_loopback(&sink_port);
    listen_on_loopback(&socat_port);  // a free port for socat, given back at once
    CommandResult socat;
    std::thread run([&] {
        socat = run_command({"socat", "TCP-LISTEN:" + std::to_string(socat_port) + ",bind=127.0.0.1,reuseaddr",
                             "TCP:127.0.0.1:" + std::to_string(sink_port)},
                            duration + 60s);
    });
    Streamed streamed;
    try {
        const BenchSocket writer = connect_when_listening(socat_port);
        const BenchSocket reader(::accept4(sink.fd(), nullptr, nullptr, SOCK_CLOEXEC));
        streamed = stream(writer, reader, duration);
    } catch (...) {
        run.join();
        throw;
    }
    run.join();
    if (socat.exit_code != 0) throw std::runtime_error("socat failed: " + socat.err);
    return streamed.mb_s();
}

}  // namespace

RelayThroughput measure_relay_throughput(std::chrono::seconds per_stream, uint32_t rounds) {
    RelayThroughput best;
    for (uint32_t round = 0; round < rounds; ++round) {
        keep_best(through_relay(true, per_stream), &best.splice_mb_s, &best.splice_cpu_s_per_gb);
        keep_best(through_relay(false, per_stream), &best.buffer_mb_s, &best.buffer_cpu_s_per_gb);
        best.socat_mb_s = std::max(best.socat_mb_s, through_socat(per_stream));
    }
    return best;
}

}  // namespace tether::cli
