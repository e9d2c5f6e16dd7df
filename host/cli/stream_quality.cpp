#include "stream_quality.h"

#include "core/subprocess.h"

#include <regex>
#include <stdexcept>
#include <string>

namespace tether::cli {
namespace {

using namespace std::chrono_literals;

// Both inputs' frames numbered 0, 1, 2 ... in one time base, so the filters
// pair them by position whatever time stamps the containers carry.
const std::string compare_filters =
    "[0:v]settb=1,setpts=N[coded];[1:v]settb=1,setpts=N[source];"
    "[coded]split[coded_psnr][coded_ssim];[source]split[source_psnr][source_ssim];"
    "[coded_psnr][source_psnr]psnr;[coded_ssim][source_ssim]ssim";

double number_after(const std::string& text, const std::string& pattern) {
    std::smatch m;
    if (!std::regex_search(text, m, std::regex(pattern)))
        throw std::runtime_error("ffmpeg's quality filters printed no " + pattern);
    return std::stod(m[1].str());  // "inf" for identical pictures
}

}  // namespace

nlohmann::json stream_quality(const std::filesystem::path& stream, const std::filesystem::path& source) {
    const CommandResult r = run_command({"ffmpeg", "-hide_banner", "-nostdin", "-nostats", "-i", stream.string(), "-i",
                                         source.string(), "-lavfi", compare_filters, "-f", "null", "-"},
                                        3600s);
    if (r.exit_code != 0) throw std::runtime_error("ffmpeg could not compare " + stream.string() + ": " + r.err);
    return {{"psnr_y", number_after(r.err, R"(PSNR y:([0-9.]+|inf))")},
            {"psnr", number_after(r.err, R"(PSNR .* average:([0-9.]+|inf))")},
            {"psnr_min", number_after(r.err, R"(PSNR .* min:([0-9.]+|inf))")},
            {"ssim", number_after(r.err, R"(SSIM .* All:([0-9.]+))")}};
}

}  // namespace tether::cli
