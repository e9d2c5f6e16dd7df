// What the record tests share: one test per cipher this machine offers, and a
// fixed record key.
#pragma once

#include "net/record.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tether::net {

class RecordCiphers : public ::testing::TestWithParam<Cipher> {
protected:
    Key key{};
    void SetUp() override {
        for (size_t i = 0; i < key.size(); ++i) key[i] = static_cast<uint8_t>(i * 7 + 1);
    }
    static std::vector<uint8_t> bytes(const BufferRef& b) { return {b.data(), b.data() + b.size()}; }
};

inline std::string cipher_test_name(const ::testing::TestParamInfo<Cipher>& info) {
    return info.param == Cipher::Aes256Gcm ? "aes256gcm" : "xchacha20poly1305";
}

}  // namespace tether::net
