#include "clip_frames.h"

#include "context.h"
#include "core/subprocess.h"

#include <stdexcept>

namespace tether::cli {

using namespace std::chrono_literals;

std::filesystem::path decode_clip(const std::string& clip, uint32_t frames, const std::filesystem::path& folder) {
    if (!std::filesystem::exists(clip)) throw UsageError("--clip " + clip + ": no such file");
    if (!std::filesystem::is_regular_file(clip)) throw UsageError("--clip " + clip + ": not a regular file (a video file is)");
    const auto y4m = folder / "clip.y4m";
    const CommandResult r = run_command({"ffmpeg", "-v", "error", "-nostdin", "-i", clip, "-frames:v",
                                         std::to_string(frames), "-pix_fmt", "yuv420p", "-f", "yuv4mpegpipe", "-y",
                                         y4m.string()},
                                        600s);
    if (r.exit_code != 0) throw std::runtime_error("ffmpeg could not decode " + clip + ": " + r.err);
    return y4m;
}

}  // namespace tether::cli
