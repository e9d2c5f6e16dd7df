#include "crypto_bench.h"

#include "bench_rounds.h"
#include "loopback.h"
#include "pipeline/plugin_choice.h"
#include "process_stats.h"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <iostream>
#include <vector>

namespace tether::cli {
namespace {

struct CryptoBenchOptions {
    double seconds = 5;        // each demo run
    uint32_t rounds = 3;       // demo runs of each kind
    uint32_t record_kib = 32;  // about one encoded 1080p desktop frame
};

// Seals records of one size on this thread for about a second, then opens
// them; MB/s of this thread's CPU time. Only a window of records is kept.
nlohmann::json cipher_speed(net::Cipher cipher, size_t record_bytes) {
    constexpr size_t kWindow = 256;
    net::Key key{};
    key.fill(0x42);
    net::RecordSealer sealer(cipher, key);
    const std::vector<uint8_t> plain(record_bytes, 0x5a);
    std::vector<BufferRef> window;
    size_t sealed = 0;
    const double seal_start = thread_cpu_seconds();
    while (thread_cpu_seconds() - seal_start < 1.0) {
        for (int i = 0; i < 64; ++i, ++sealed) {
            BufferRef record = sealer.seal(plain);
            if (window.size() < kWindow) window.push_back(std::move(record));
        }
    }
    const double seal_s = thread_cpu_seconds() - seal_start;
    size_t opened = 0;
    const double open_start = thread_cpu_seconds();
    while (thread_cpu_seconds() - open_start < 1.0) {
        net::RecordOpener opener(cipher, key);  // the window starts at counter 0 again
        for (const auto& record : window) opener.open(record.bytes());
        opened += window.size();
    }
    const double open_s = thread_cpu_seconds() - open_start;
    auto mb = [&](size_t records) { return static_cast<double>(records * record_bytes) / 1e6; };
    return {{"cipher", net::cipher_name(cipher)},
            {"record_bytes", record_bytes},
            {"seal_mb_per_s", mb(sealed) / seal_s},
            {"open_mb_per_s", mb(opened) / open_s}};
}

nlohmann::json demo_run(const Context& context, double seconds, bool encrypted) {
    LoopbackOptions options;
    options.video = video_service_options(context.config, *context.chooser, "");
    options.transport = &choose_transport(context.config, *context.chooser);
    options.viewer.decoders = usable_decoders(context.config, *context.chooser);
    options.channel.debug_plaintext_records = !encrypted;
    options.duration = std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000));
    const LoopbackResult r = run_loopback(std::move(options));
    if (!r.error.empty()) throw std::runtime_error("demo run failed: " + r.error);
    const double frames = static_cast<double>(r.viewer.frames);
    return {{"cipher", r.cipher},
            {"frames", r.viewer.frames},
            {"bytes", r.viewer.bytes_received},
            {"cpu_ms_per_frame", frames > 0 ? r.cpu_seconds * 1000 / frames : 0.0}};
}

int run_crypto_bench(const GlobalOptions& global, const CryptoBenchOptions& o) {
    const auto context = make_context(global, {});
    nlohmann::json speeds = nlohmann::json::array();
    for (net::Cipher cipher : net::supported_ciphers()) speeds.push_back(cipher_speed(cipher, size_t{o.record_kib} * 1024));

    const net::Cipher chosen = net::supported_ciphers().front();
    spdlog::info("bench: {} rounds of the demo with {}, then without encryption, {} s each", o.rounds,
                 net::cipher_name(chosen), o.seconds);
    const auto [encrypted, plaintext] = cheapest_of_alternating(
        o.rounds, [&] { return demo_run(*context, o.seconds, true); }, [&] { return demo_run(*context, o.seconds, false); },
        "cpu_ms_per_frame");

    // What sealing and opening every byte the demo sent costs, from the measured speed.
    const auto& chosen_speed = speeds.front();
    const double bytes_per_frame = encrypted["bytes"].get<double>() / std::max(1.0, encrypted["frames"].get<double>());
    const double crypto_ms_per_frame = bytes_per_frame / 1e6 *
                                       (1.0 / chosen_speed["seal_mb_per_s"].get<double>() +
                                        1.0 / chosen_speed["open_mb_per_s"].get<double>()) * 1000;
    const double with = encrypted["cpu_ms_per_frame"].get<double>();
    const double without = plaintext["cpu_ms_per_frame"].get<double>();
    const nlohmann::json out = {{"bench", "crypto"},
                                {"cipher", net::cipher_name(chosen)},
                                {"ciphers", speeds},
                                {"demo_encrypted", encrypted},
                                {"demo_plaintext", plaintext},
                                {"measured_overhead_pct", without > 0 ? (with / without - 1) * 100 : 0.0},
                                {"crypto_ms_per_frame", crypto_ms_per_frame},
                                {"computed_overhead_pct", without > 0 ? crypto_ms_per_frame / without * 100 : 0.0}};
    if (global.json) {
        std::cout << out.dump() << std::endl;
    } else {
        for (const auto& s : speeds)
            std::cout << s["cipher"].get<std::string>() << ": seal " << s["seal_mb_per_s"].get<double>() << " MB/s, open "
                      << s["open_mb_per_s"].get<double>() << " MB/s per core\n";
        std::cout << "demo CPU per frame: " << with << " ms encrypted, " << without << " ms plaintext ("
                  << out["measured_overhead_pct"].get<double>() << " % measured; " << crypto_ms_per_frame
                  << " ms of crypto per frame = " << out["computed_overhead_pct"].get<double>() << " % computed)\n";
    }
    return 0;
}

}  // namespace

void add_crypto_bench(CLI::App& bench, const GlobalOptions& global, int& exit_code) {
    auto o = std::make_shared<CryptoBenchOptions>();
    CLI::App* cmd = bench.add_subcommand("crypto", "Seal/open MB/s per core, and the demo's CPU per frame with and without encryption");
    cmd->add_option("--seconds", o->seconds, "Length of each demo run")->check(CLI::Range(1.0, 600.0))->capture_default_str();
    cmd->add_option("--rounds", o->rounds, "Demo runs of each kind, alternating")->check(CLI::Range(1, 20))->capture_default_str();
    cmd->add_option("--record-kib", o->record_kib, "Record size for the speed test")->check(CLI::Range(1, 16384))->capture_default_str();
    cmd->callback([&global, &exit_code, o] { exit_code = run_crypto_bench(global, *o); });
}

}  // namespace tether::cli
