#include "plugin_kinds.h"

#include <algorithm>
#include <array>
#include <initializer_list>

namespace tether {
namespace {

bool all_present(std::initializer_list<const void*> functions) {
    return std::none_of(functions.begin(), functions.end(), [](const void* f) { return f == nullptr; });
}
#define TETHER_FN(x) reinterpret_cast<const void*>(x)

template <typename VTable>
const VTable& as(const void* table) {
    return *static_cast<const VTable*>(table);
}

template <typename VTable>
ProbeFn probe_in(const void* table) {
    return as<VTable>(table).probe;
}

template <typename VTable>
ObjectExtensionFn object_extension_in(const void* table) {
    const VTable& vt = as<VTable>(table);
    return TETHER_HAS_FIELD(&vt, VTable, get_extension) ? vt.get_extension : nullptr;
}

const char* capture_incomplete(const void* table) {
    const auto& vt = as<tether_capture_vtable>(table);
    if (!all_present({TETHER_FN(vt.probe), TETHER_FN(vt.create), TETHER_FN(vt.destroy), TETHER_FN(vt.grab)}))
        return "function table has missing entries";
    return nullptr;
}

template <typename VTable>
const char* codec_incomplete(const VTable& vt, const void* work) {
    if (vt.codec == nullptr || *vt.codec == '\0') return "no codec name";
    if (!all_present({TETHER_FN(vt.probe), TETHER_FN(vt.create), TETHER_FN(vt.destroy), work}))
        return "function table has missing entries";
    return nullptr;
}

const char* encoder_incomplete(const void* table) {
    const auto& vt = as<tether_encoder_vtable>(table);
    return codec_incomplete(vt, TETHER_FN(vt.encode));
}

const char* decoder_incomplete(const void* table) {
    const auto& vt = as<tether_decoder_vtable>(table);
    return codec_incomplete(vt, TETHER_FN(vt.decode));
}

const char* transport_incomplete(const void* table) {
    const auto& vt = as<tether_transport_vtable>(table);
    if (vt.scheme == nullptr || *vt.scheme == '\0') return "no address scheme";
    if (!all_present({TETHER_FN(vt.probe), TETHER_FN(vt.create), TETHER_FN(vt.destroy), TETHER_FN(vt.listen),
                      TETHER_FN(vt.close_listener), TETHER_FN(vt.connect), TETHER_FN(vt.start), TETHER_FN(vt.send),
                      TETHER_FN(vt.pending_bytes), TETHER_FN(vt.close)}))
        return "function table has missing entries";
    return nullptr;
}

const char* service_incomplete(const void* table) {
    const auto& vt = as<tether_service_vtable>(table);
    if (!all_present({TETHER_FN(vt.probe), TETHER_FN(vt.create), TETHER_FN(vt.destroy), TETHER_FN(vt.on_message)}))
        return "function table has missing entries";
    return nullptr;
}
#undef TETHER_FN

template <typename VTable>
constexpr KindTraits traits(tether_kind kind, const char* name, size_t size_1_0, const char* (*incomplete)(const void*)) {
    return {kind, name, size_1_0, incomplete, &probe_in<VTable>, &object_extension_in<VTable>};
}

constexpr std::array kKinds = {
    traits<tether_capture_vtable>(TETHER_KIND_CAPTURE, "capture", TETHER_CAPTURE_VTABLE_SIZE_1_0, capture_incomplete),
    traits<tether_encoder_vtable>(TETHER_KIND_ENCODER, "encoder", TETHER_ENCODER_VTABLE_SIZE_1_0, encoder_incomplete),
    traits<tether_decoder_vtable>(TETHER_KIND_DECODER, "decoder", TETHER_DECODER_VTABLE_SIZE_1_0, decoder_incomplete),
    traits<tether_transport_vtable>(TETHER_KIND_TRANSPORT, "transport", TETHER_TRANSPORT_VTABLE_SIZE_1_0,
                                    transport_incomplete),
    traits<tether_service_vtable>(TETHER_KIND_SERVICE, "service", TETHER_SERVICE_VTABLE_SIZE_1_0, service_incomplete),
};

}  // namespace

const KindTraits* traits_of(uint32_t kind) {
    for (const auto& t : kKinds)
        if (static_cast<uint32_t>(t.kind) == kind) return &t;
    return nullptr;
}

}  // namespace tether
