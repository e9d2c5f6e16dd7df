// The lowest of a measure over the last few seconds, kept as one low per
// second: the floor a path's delay or round trip sits on, forgetting a floor
// the path no longer has (a route that changed).
#pragma once

#include <algorithm>
#include <cstdint>
#include <deque>
#include <optional>

namespace tether::congestion {

class RecentLow {
public:
    explicit RecentLow(int64_t seconds_kept) : seconds_kept_(seconds_kept) {}

    void add(int64_t at_us, int64_t value) {
        const int64_t second = at_us / 1'000'000;
        if (lows_.empty() || lows_.back().second != second) lows_.push_back({second, value});
        lows_.back().value = std::min(lows_.back().value, value);
        while (lows_.front().second <= second - seconds_kept_) lows_.pop_front();
    }
    std::optional<int64_t> lowest() const {
        if (lows_.empty()) return std::nullopt;
        return std::min_element(lows_.begin(), lows_.end(), [](const auto& a, const auto& b) { return a.value < b.value; })
            ->value;
    }

private:
    struct SecondLow {
        int64_t second;
        int64_t value;
    };
    int64_t seconds_kept_;
    std::deque<SecondLow> lows_;
};

}  // namespace tether::congestion
