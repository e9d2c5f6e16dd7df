#include "codec_bench_table.h"

#include <spdlog/fmt/fmt.h>

namespace tether::cli {
namespace {

void print_row(std::ostream& out, const std::string& encoder, const std::string& side, const nlohmann::json& run) {
    out << fmt::format("{:<12} {:<12} {:>8.1f} {:>8.1f} {:>7.2f} {:>7.2f} {:>7.2f} {:>7.4f} {:>8.1f} {:>9.2f}\n", encoder,
                       side, run["kbps"].get<double>(), run["KB_per_s"].get<double>(), run["psnr"].get<double>(),
                       run["psnr_min"].get<double>(), run["psnr_y"].get<double>(), run["ssim"].get<double>(),
                       run["fps"].get<double>(),
                       run["cpu_ms_per_frame"].get<double>());
}

// "at 42 dB: ours 210 kbps asked -> 24.1 KB/s, libvpx-vp9 230 kbps asked -> 26.0 KB/s".
void print_at_psnr(std::ostream& out, const std::string& ffmpeg_encoder, const nlohmann::json& at) {
    const auto side = [](const std::string& name, const nlohmann::json& run) {
        if (!run["reached"].get<bool>()) return name + " never reaches it";
        return fmt::format("{} {} kbps asked -> {:.1f} KB/s ({:.2f} dB)", name, run["bitrate_kbps"].get<uint32_t>(),
                           run["KB_per_s"].get<double>(), run["psnr"].get<double>());
    };
    out << fmt::format("{:<12} at {:.1f} dB: {}, {}\n", "", at["target_psnr"].get<double>(), side("ours", at["ours"]),
                       side(ffmpeg_encoder, at["ffmpeg"]));
}

}  // namespace

void print_codec_table(std::ostream& out, const nlohmann::json& result) {
    out << "bench codecs: " << result["clip"].get<std::string>() << ", cheapest of " << result["rounds"] << " rounds\n";
    out << fmt::format("{:<12} {:<12} {:>8} {:>8} {:>7} {:>7} {:>7} {:>7} {:>8} {:>9}\n", "encoder", "run", "kbps",
                       "KB/s", "PSNR", "worst", "PSNR-Y", "SSIM", "fps", "CPU ms/f");
    for (const nlohmann::json& e : result["encoders"]) {
        const nlohmann::json& s = e["settings"];
        print_row(out, e["encoder"].get<std::string>(), "ours", e["ours"]);
        print_row(out, "", e["ffmpeg_encoder"].get<std::string>(), e["ffmpeg"]);
        out << fmt::format("{:<12} {}x{} at {} fps, {} kbps, {} threads, speed {}; ours/ffmpeg: fps x{:.2f}, "
                           "CPU x{:.2f}, bytes x{:.2f}, PSNR {:+.2f} dB\n",
                           "", s["width"].get<uint32_t>(), s["height"].get<uint32_t>(), s["fps"].get<uint32_t>(),
                           s["bitrate_kbps"].get<uint32_t>(), s["threads"].get<uint32_t>(), s["speed"].get<int32_t>(),
                           e["fps_ratio"].get<double>(), e["cpu_ratio"].get<double>(), e["kbps_ratio"].get<double>(),
                           e["psnr_difference_db"].get<double>());
        if (e.contains("at_psnr")) print_at_psnr(out, e["ffmpeg_encoder"].get<std::string>(), e["at_psnr"]);
        for (const nlohmann::json& d : e["settings_differences"])
            out << fmt::format("{:<12} differs: {}\n", "", d.get<std::string>());
    }
    if (result.contains("ffmpeg_read"))
        out << fmt::format("ffmpeg's figures include reading the .y4m ({:.2f} ms CPU, {:.2f} ms wall a frame); ours do not\n",
                           result["ffmpeg_read"]["cpu_ms_per_frame"].get<double>(),
                           result["ffmpeg_read"]["wall_ms_per_frame"].get<double>());
    for (const nlohmann::json& s : result["skipped"])
        out << "skipped " << s["encoder"].get<std::string>() << ": " << s["reason"].get<std::string>() << "\n";
    for (const nlohmann::json& f : result["failed"])
        out << "failed " << f["encoder"].get<std::string>() << ": " << f["reason"].get<std::string>() << "\n";
}

}  // namespace tether::cli
