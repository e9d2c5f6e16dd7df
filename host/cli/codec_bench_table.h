// `tether bench codecs` as a table for people (--json gives every figure).
#pragma once

#include <nlohmann/json.hpp>

#include <ostream>

namespace tether::cli {

void print_codec_table(std::ostream& out, const nlohmann::json& result);

}  // namespace tether::cli
