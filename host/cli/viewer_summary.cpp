#include "viewer_summary.h"

#include "process_stats.h"
#include "session/permissions.h"

#include <algorithm>
#include <iostream>

namespace tether::cli {

nlohmann::json summarize_viewer(const session::ViewerReport& v, double seconds, double cpu_seconds) {
    // From the first picture to the end, so that a picture that froze halfway shows as half the rate.
    const int64_t end_us = std::max(v.end_us, v.last_frame_us);
    const double span_s = v.frames > 1 ? static_cast<double>(end_us - v.first_frame_us) / 1e6 : 0;
    nlohmann::json out;
    out["frames"] = v.frames;
    out["fps"] = span_s > 0 ? static_cast<double>(v.frames - 1) / span_s : 0.0;
    out["skipped"] = v.skipped;
    out["patches"] = v.patches;
    out["keyframes"] = v.keyframes;
    out["keyframe_requests"] = v.keyframe_requests;
    // The media lane (UDP): pictures missed and asked for again, those given up on, records refused.
    out["resend_requests"] = v.resend_requests;
    out["frames_lost"] = v.frames_lost;
    out["media_records_dropped"] = v.media_records_dropped;
    out["max_gap_ms"] = static_cast<double>(v.max_gap_us) / 1000.0;
    out["latency_ms"] = {{"p50", percentile(v.latencies_us, 50) / 1000.0},
                         {"p99", percentile(v.latencies_us, 99) / 1000.0},
                         {"max", percentile(v.latencies_us, 100) / 1000.0}};
    out["bytes_per_s"] = seconds > 0 ? static_cast<double>(v.bytes_received) / seconds : 0.0;
    out["codec"] = v.codec;
    out["width"] = v.width;
    out["height"] = v.height;
    // The host's screen they show ("1920x1080"): larger than width x height while a thin path has them coded smaller.
    out["screen"] = std::to_string(v.screen.width) + "x" + std::to_string(v.screen.height);
    out["sizes"] = nlohmann::json::array();  // each size the pictures came in, in turn ("1920x1080")
    for (const auto& [width, height] : v.sizes) out["sizes"].push_back(std::to_string(width) + "x" + std::to_string(height));
    out["dropped"] = v.missing;
    out["unreadable"] = v.unreadable;
    out["out_of_order"] = v.out_of_order;
    out["cipher"] = v.cipher;
    out["logged_in"] = v.logged_in;
    out["permissions"] = session::format_permissions(v.permissions);
    out["input_sent"] = v.input_sent;
    out["clipboard_sent"] = v.clipboard_sent;
    out["monitors"] = v.monitors;
    out["monitor"] = v.monitor_shown;
    out["cpu_ms_per_frame"] = v.frames > 0 ? cpu_seconds * 1000.0 / static_cast<double>(v.frames) : 0.0;
    out["rss_mb"] = peak_rss_mb();
    out["seconds"] = seconds;
    if (!v.end_reason.empty()) out["end_reason"] = v.end_reason;
    return out;
}

void print_viewer_summary(const nlohmann::json& s) {
    std::cout << "  " << s["codec"].get<std::string>() << " " << s["width"] << "x" << s["height"] << ", encrypted with "
              << s["cipher"].get<std::string>() << ", permissions " << s["permissions"].get<std::string>() << "\n"
              << "  frames " << s["frames"] << " at " << s["fps"].get<double>() << " fps, dropped " << s["dropped"]
              << ", skipped " << s["skipped"] << ", longest freeze " << s["max_gap_ms"].get<double>() << " ms\n"
              << "  latency p50 " << s["latency_ms"]["p50"].get<double>() << " ms, p99 "
              << s["latency_ms"]["p99"].get<double>() << " ms\n"
              << "  " << s["bytes_per_s"].get<double>() * 8 / 1e6 << " Mbit/s, " << s["cpu_ms_per_frame"].get<double>()
              << " ms CPU per frame, " << s["rss_mb"].get<double>() << " MB peak RSS\n";
}

}  // namespace tether::cli
