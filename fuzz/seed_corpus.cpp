// Writes the binary seed corpora in fuzz/corpus with the project's own
// encoders, so each fuzzer starts from messages Tether really sends. Run it
// again after a wire format change (docs/fuzzing.md):
//   build-fuzz/bin/tether-fuzz-seeds fuzz/corpus
// The configuration seeds are plain TOML and kept by hand.
#include "deterministic_random.h"
#include "fixed_identity.h"
#include "length_prefixed.h"
#include "net/handshake.h"
#include "patch/patch_stream.h"
#include "patch/screen_patch.h"
#include "patch_picture.h"
#include "record_input.h"
#include "rendezvous/signatures.h"
#include "rendezvous/wire.h"
#include "server/websocket_frame.h"
#include "session/protocol.h"
#include "throwaway_identity.h"
#include "unreliable_steps.h"
#include "wire_format.h"
#ifdef TETHER_FUZZ_UDP
#include "punch_packet.h"

#include <enet/enet.h>
#endif

#include <tether/i420.hpp>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

using namespace tether;
namespace fs = std::filesystem;

namespace {

using Bytes = std::vector<uint8_t>;

Bytes bytes_of(std::span<const uint8_t> span) { return {span.begin(), span.end()}; }
Bytes bytes_of(std::string_view text) { return {text.begin(), text.end()}; }

// Bytes that are not all alike, so a codec or cipher sees something real.
Bytes pattern(size_t size) {
    Bytes out(size);
    for (size_t i = 0; i < size; ++i) out[i] = static_cast<uint8_t>(i * 7 + i / 13);
    return out;
}

class Corpus {
public:
    explicit Corpus(fs::path root) : root_(std::move(root)) {}

    void write(const std::string& target, const std::string& name, const Bytes& bytes) const {
        const fs::path folder = root_ / target;
        fs::create_directories(folder);
        std::ofstream out(folder / name, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
        if (!out) throw std::runtime_error("cannot write " + (folder / name).string());
    }

private:
    fs::path root_;
};

void session_seeds(const Corpus& corpus) {
    const auto write = [&](const std::string& name, const proto::SessionMessage& m) {
        corpus.write("session", name, bytes_of(session::encode(m).bytes()));
    };
    proto::SessionMessage m;
    auto* hello = m.mutable_hello();
    hello->set_protocol_version(session::kProtocolVersion);
    hello->set_app_version("tether 0.1.0");
    hello->add_decoders("vpx-vp9");
    hello->add_decoders("vpx-vp8");
    write("hello_viewer", m);

    m.Clear();
    hello = m.mutable_hello();
    hello->set_protocol_version(session::kProtocolVersion);
    hello->set_codec("vpx-vp9");
    hello->set_width(1280);
    hello->set_height(720);
    write("hello_host", m);

    m.Clear();
    auto* frame = m.mutable_video_frame();
    frame->set_frame_number(7);
    frame->set_capture_time_us(1'700'000'000'000'000);
    frame->set_keyframe(true);
    frame->set_width(64);
    frame->set_height(48);
    const Bytes picture = pattern(200);
    frame->set_data(picture.data(), picture.size());
    write("video_frame", m);

    m.Clear();
    m.mutable_keyframe_request()->set_reason("decoder lost a frame");
    write("keyframe_request", m);

    m.Clear();
    auto* stats = m.mutable_stats();
    stats->set_frames_decoded(900);
    stats->set_frames_dropped(3);
    stats->set_bytes_received(12'345'678);
    stats->set_latency_p50_us(16'000);
    write("stats", m);

    write("goodbye", session::goodbye("viewer closed the window"));

    m.Clear();
    m.mutable_login_request()->set_password("correct horse battery");
    m.mutable_login_request()->set_permissions(3);
    write("login_request", m);

    m.Clear();
    auto* response = m.mutable_login_response();
    response->set_reason("wrong password");
    response->set_retry_after_ms(1000);
    write("login_response", m);

    m.Clear();
    auto* pointer = m.mutable_input()->mutable_pointer();
    pointer->set_x(640);
    pointer->set_y(-3);
    pointer->set_buttons(1);
    pointer->set_scroll(-2);
    write("input_pointer", m);

    m.Clear();
    m.mutable_input()->mutable_key()->set_keysym(0xff0d);
    m.mutable_input()->mutable_key()->set_down(true);
    write("input_key", m);

    m.Clear();
    m.mutable_clipboard()->set_selection(proto::ClipboardText::PRIMARY);
    m.mutable_clipboard()->set_text("héllo ж €");
    write("clipboard", m);
    m.mutable_screen_patch()->set_capture_time_delta_us(-200'000);
    m.mutable_screen_patch()->set_deflated(std::string("\x02\x0c\x3c\x00", 4));
    write("screen_patch", m);

    m.Clear();
    auto* shape = m.mutable_cursor_shape();
    shape->set_serial(7);
    shape->set_width(2);
    shape->set_height(2);
    shape->set_hot_x(1);
    shape->set_bgra(std::string(16, '\x7f'));
    write("cursor_shape", m);

    m.Clear();
    m.mutable_cursor_position()->set_x(1234);
    m.mutable_cursor_position()->set_y(567);
    m.mutable_cursor_position()->set_visible(true);
    m.mutable_cursor_position()->set_shape_serial(7);
    write("cursor_position", m);

    m.Clear();
    for (const auto& [x, name] : {std::pair{0, "left"}, {512, "right"}}) {
        auto* monitor = m.mutable_monitors()->add_monitors();
        monitor->set_x(x);
        monitor->set_width(512);
        monitor->set_height(768);
        monitor->set_name(name);
    }
    m.mutable_monitors()->set_shown(2);
    write("monitors", m);

    m.Clear();
    m.mutable_show_monitor()->set_monitor(1);
    write("show_monitor", m);
}

void handshake_seeds(const Corpus& corpus) {
    const security::Identity identity = fuzz::throwaway_identity();
    fuzz::restart_random();
    // Made exactly as handshake_viewer_fuzz makes its viewer, so the answer
    // below is one that viewer accepts.
    const net::ClientHandshake viewer;
    corpus.write("handshake_host", "client_hello", bytes_of(viewer.hello().bytes()));
    const net::ClientHandshake chacha_only({net::Cipher::XChaCha20Poly1305});
    corpus.write("handshake_host", "client_hello_xchacha", bytes_of(chacha_only.hello().bytes()));

    const net::HostHandshakeResult answer = net::respond(identity, viewer.hello().bytes());
    viewer.finish(answer.reply.bytes());  // throws if the seed would not open
    corpus.write("handshake_viewer", "host_hello", bytes_of(answer.reply.bytes()));
    corpus.write("handshake_viewer", "reject", bytes_of(net::reject_message("wrong handshake version").bytes()));
}

void record_seeds(const Corpus& corpus) {
    const std::vector<net::Cipher> ciphers = net::supported_ciphers();
    for (size_t choice = 0; choice < ciphers.size(); ++choice) {
        net::RecordSealer sealer(ciphers[choice], fuzz::kRecordKey);
        const Bytes first = bytes_of(sealer.seal(bytes_of(std::string_view("hello"))).bytes());
        const Bytes empty = bytes_of(sealer.seal({}).bytes());
        const Bytes large = bytes_of(sealer.seal(pattern(300)).bytes());
        const std::string name = net::cipher_name(ciphers[choice]);
        const auto index = static_cast<uint8_t>(choice);
        corpus.write("record", "in_order_" + name, fuzz::join_record_input(index, {first, empty, large}));
        corpus.write("record", "replayed_" + name, fuzz::join_record_input(index, {first, first}));
        corpus.write("record", "skipped_" + name, fuzz::join_record_input(index, {first, large}));
    }
}

// Steps for the unreliable record target (fuzz/unreliable_steps.h).
Bytes step(fuzz::Step kind, const Bytes& argument = {}) {
    Bytes out{static_cast<uint8_t>(kind)};
    out.insert(out.end(), argument.begin(), argument.end());
    return out;
}
Bytes skip(uint64_t lost) {
    Bytes count(5);
    for (size_t i = count.size(); i-- > 0; lost >>= 8) count[i] = static_cast<uint8_t>(lost);
    return step(fuzz::Step::Skip, count);
}
Bytes deliver(uint8_t index) { return step(fuzz::Step::Deliver, {0, index}); }

void unreliable_record_seeds(const Corpus& corpus) {
    using fuzz::Step;
    const Bytes seal = step(Step::Seal, pattern(40));
    const std::vector<std::pair<std::string, std::vector<Bytes>>> scripts = {
        {"in_order", {seal, seal, seal, deliver(0), deliver(1), deliver(2)}},
        {"lost_and_reordered", {seal, seal, skip(3), seal, seal, deliver(3), deliver(0), deliver(2), deliver(1)}},
        {"replayed", {seal, deliver(0), deliver(0), step(Step::Datagram, pattern(30)), deliver(0)}},
        {"tampered", {seal, seal, step(Step::Tamper, {0, 0, 5, 0x01}), step(Step::Tamper, {0, 1, 19}), deliver(1),
                      deliver(0)}},
        // Counters 0, 1 and 1024: once 1024 is in, 1 is the oldest the window holds and 0 too old.
        {"window_edge", {seal, seal, skip(1022), seal, deliver(2), deliver(0), deliver(1)}},
        {"far_jump", {seal, skip((uint64_t{1} << 31) - 2), seal, skip(uint64_t{1} << 31), seal, deliver(0), deliver(1),
                      deliver(2)}},
        {"wrap", {skip((uint64_t{1} << 32) - 3), seal, seal, seal, seal, seal, deliver(3), deliver(0), deliver(4),
                  deliver(1), deliver(2)}},
    };
    const std::vector<net::Cipher> ciphers = net::supported_ciphers();
    for (size_t choice = 0; choice < ciphers.size(); ++choice)
        for (const auto& [name, steps] : scripts)
            corpus.write("unreliable_record", name + "_" + net::cipher_name(ciphers[choice]),
                         fuzz::join_record_input(static_cast<uint8_t>(choice), steps));
}

Bytes framed(const std::vector<Bytes>& messages) {
    Bytes stream;
    for (const Bytes& message : messages) {
        const tcp::LengthHeader header = tcp::encode_length(static_cast<uint32_t>(message.size()));
        stream.insert(stream.end(), header.begin(), header.end());
        stream.insert(stream.end(), message.begin(), message.end());
    }
    return stream;
}

void frame_reader_seeds(const Corpus& corpus) {
    // The fuzzer takes read sizes from the end of its input, two bytes each;
    // this trailer asks for reads of 4, 101 and 2 bytes.
    const Bytes read_sizes{1, 0, 100, 0, 3, 0};
    const auto with_read_sizes = [&](Bytes stream) {
        stream.insert(stream.end(), read_sizes.begin(), read_sizes.end());
        return stream;
    };
    const Bytes three = framed({{}, bytes_of(std::string_view("hello")), pattern(300)});
    corpus.write("frame_reader", "three_messages", with_read_sizes(three));
    Bytes partial = framed({pattern(40), pattern(500)});
    partial.resize(partial.size() - 100);
    corpus.write("frame_reader", "partial_message", with_read_sizes(partial));
    const tcp::LengthHeader too_large = tcp::encode_length(tcp::kMaxMessageSize + 1);
    corpus.write("frame_reader", "over_limit", with_read_sizes(Bytes(too_large.begin(), too_large.end())));
}

#ifdef TETHER_FUZZ_UDP
// What comes to a UDP port: punch packets, ENet's datagrams, and the host's own.
void punch_packet_seeds(const Corpus& corpus) {
    udp::Token token{};
    std::copy_n(pattern(udp::kTokenSize).begin(), udp::kTokenSize, token.begin());
    for (const auto& [kind, name] : {std::pair{udp::PunchKind::probe, "probe"}, {udp::PunchKind::answer, "answer"},
                                     {udp::PunchKind::cookie, "cookie"}, {udp::PunchKind::cookie_echo, "cookie_echo"}})
        corpus.write("punch_packet", name, bytes_of(udp::encode_punch({kind, token})));

    // ENet's header: a 12-bit peer ID (all ones: no peer yet) with the sent-time flag, the time, the checksum.
    const auto header = [](uint16_t peer) {
        const uint16_t word = peer | uint16_t{ENET_PROTOCOL_HEADER_FLAG_SENT_TIME};
        return Bytes{static_cast<uint8_t>(word >> 8), static_cast<uint8_t>(word), 0x12, 0x34, 0xC0, 0xFF, 0xEE, 0x00};
    };
    const auto append = [](Bytes& to, const auto& command) {
        const auto* raw = reinterpret_cast<const uint8_t*>(&command);
        to.insert(to.end(), raw, raw + sizeof command);
    };
    Bytes connect = header(0xFFF);
    ENetProtocolConnect hello{};
    hello.header.command = ENET_PROTOCOL_COMMAND_CONNECT | unsigned{ENET_PROTOCOL_COMMAND_FLAG_ACKNOWLEDGE};
    hello.header.channelID = 0xFF;
    hello.channelCount = htonl(2);
    hello.data = htonl(udp::connect_data_of(token));
    append(connect, hello);
    corpus.write("punch_packet", "enet_connect", connect);

    Bytes fragment = header(3);
    ENetProtocolSendFragment piece{};
    piece.header.command = ENET_PROTOCOL_COMMAND_SEND_FRAGMENT | unsigned{ENET_PROTOCOL_COMMAND_FLAG_ACKNOWLEDGE};
    piece.dataLength = htons(100);
    piece.fragmentCount = htonl(2);
    piece.totalLength = htonl(200);
    append(fragment, piece);
    const Bytes payload = pattern(100);
    fragment.insert(fragment.end(), payload.begin(), payload.end());
    corpus.write("punch_packet", "enet_fragment", fragment);

    Bytes reply = pattern(60);
    reply[0] = 0x0A;  // a protobuf message, as the rendezvous server answers
    corpus.write("punch_packet", "foreign", reply);
}
#endif

Bytes y4m_file(std::string_view header, uint32_t width, uint32_t height, std::string_view frame_line, int frames) {
    Bytes file = bytes_of(header);
    const size_t frame_bytes = i420::layout(width, height).total_bytes();
    for (int i = 0; i < frames; ++i) {
        file.insert(file.end(), frame_line.begin(), frame_line.end());
        Bytes picture = pattern(frame_bytes);
        picture.front() = static_cast<uint8_t>(i);  // frames differ, so a mix-up shows
        file.insert(file.end(), picture.begin(), picture.end());
    }
    return file;
}

void y4m_seeds(const Corpus& corpus) {
    corpus.write("y4m", "two_frames.y4m",
                 y4m_file("YUV4MPEG2 W16 H16 F30:1 Ip A1:1 C420jpeg\n", 16, 16, "FRAME\n", 2));
    corpus.write("y4m", "odd_size.y4m",
                 y4m_file("YUV4MPEG2 W5 H3 F25:1 C420mpeg2 XYSCSS=420MPEG2\n", 5, 3, "FRAME Ixyz\n", 1));
    corpus.write("y4m", "header_only.y4m", y4m_file("YUV4MPEG2 H2 W2 F30000:1001\n", 2, 2, "", 0));
}

}  // namespace

// Patches the host makes of a picture changed twice: a glyph of two colours (small: deflate),
// then the whole picture with a block of five (big: zstd), each with the byte that names its
// stream (fuzz/screen_patch_fuzz.cpp), compressed as a session sends them.
void screen_patch_seeds(const Corpus& corpus) {
    using fuzz::kPatchPictureHeight;
    using fuzz::kPatchPictureWidth;
    Bytes pixels(kPatchPictureWidth * kPatchPictureHeight * 4, 0x20);
    const tether_video_frame picture = fuzz::patch_picture(pixels);
    patch::CompressStream stream;
    std::vector<Bytes> messages;
    for (const auto& [colours, damage] : {std::pair{2u, tether_rect{10, 4, 12, 14}}, std::pair{5u, tether_rect{0, 0, 64, 48}}}) {
        for (uint32_t i = 0; i < 12 * 14; ++i)
            pixels[((4 + i / 12) * kPatchPictureWidth + 10 + i % 12) * 4 + i % 3] = static_cast<uint8_t>(i * 7 % colours * 50);
        const auto made = patch::make(picture, std::vector<tether_rect>{damage});
        if (!made) throw std::runtime_error("screen patch seeds: the picture made no patch");
        const patch::Compressed compressed = stream.compress(made->bytes);
        Bytes message{static_cast<uint8_t>(compressed.codec == patch::Codec::Deflate ? 0 : 1)};
        message.insert(message.end(), compressed.bytes.begin(), compressed.bytes.end());
        messages.push_back(std::move(message));
    }
    corpus.write("screen_patch", "typed", fuzz::join_length_prefixed(messages));
}

// First frames of relay connections, signed by the rendezvous key
// relay_hello_fuzz checks against: good ones, and one for each refusal.
void relay_hello_seeds(const Corpus& corpus) {
    const auto rendezvous = fuzz::fixed_identity(1);
    const auto host = fuzz::fixed_identity(2);
    const auto viewer = fuzz::fixed_identity(3);
    const auto stranger = fuzz::fixed_identity(4);
    const auto token = rendezvous::make_relay_token(rendezvous, host.public_key, viewer.public_key, 2'000'000'000);
    const auto frame = [](const proto::RelayHello& hello) {
        proto::RendezvousMessage message;
        *message.mutable_relay_hello() = hello;
        return rendezvous::encode_frame(message);
    };
    corpus.write("relay_hello", "host", frame(rendezvous::make_relay_hello(token, true, host)));
    corpus.write("relay_hello", "viewer", frame(rendezvous::make_relay_hello(token, false, viewer)));
    corpus.write("relay_hello", "third_party", frame(rendezvous::make_relay_hello(token, true, stranger)));
    const auto expired = rendezvous::make_relay_token(rendezvous, host.public_key, viewer.public_key, 1'800'000'000);
    corpus.write("relay_hello", "expired", frame(rendezvous::make_relay_hello(expired, true, host)));
    const auto forged = rendezvous::make_relay_token(stranger, host.public_key, viewer.public_key, 2'000'000'000);
    corpus.write("relay_hello", "forged", frame(rendezvous::make_relay_hello(forged, true, host)));
    proto::RendezvousMessage answer;
    answer.mutable_relay_answer()->set_paired(true);
    corpus.write("relay_hello", "not_a_hello", rendezvous::encode_frame(answer));
}

// What reaches a rendezvous server first: a host's Register (also as a padded
// UDP datagram with a cookie and a proof, which rendezvous_fuzz makes valid),
// a viewer's Lookup and a relay's RelayAnnounce.
void rendezvous_seeds(const Corpus& corpus) {
    const auto text = [](const Bytes& bytes) { return std::string(bytes.begin(), bytes.end()); };
    const auto write = [&](const std::string& name, const proto::RendezvousMessage& message) {
        corpus.write("rendezvous", name, rendezvous::encode(message));
    };
    proto::RendezvousMessage message;
    auto& request = *message.mutable_register_();
    request.set_id("123456789");
    request.set_key(text(pattern(32)));
    request.set_listen_port(21118);
    *request.add_lan_addrs() = "192.168.1.20:21118";
    *request.add_lan_addrs() = "[fd00::20]:21118";
    write("register", message);
    request.set_cookie(text(pattern(16)));
    request.set_proof(text(pattern(64)));
    request.set_padding(std::string(64, '\0'));
    write("register_udp", message);

    message.Clear();
    auto& lookup = *message.mutable_lookup();
    lookup.set_id("123456789");
    lookup.set_viewer_key(text(pattern(32)));
    lookup.set_listen_port(21119);
    *lookup.add_viewer_addrs() = "10.0.0.7:21119";
    write("lookup", message);

    message.Clear();
    auto& announce = *message.mutable_relay_announce();
    announce.set_addr("relay.example.net:21117");
    announce.set_sessions(3);
    announce.set_capacity(100);
    announce.set_mac(text(pattern(32)));
    announce.set_websocket_addr("relay.example.net:443");
    write("relay_announce", message);
}

// A client's frame: masked, one frame a message, as transport-websocket sends it.
Bytes client_frame(server::websocket::Opcode opcode, std::span<const uint8_t> payload) {
    const auto header = server::websocket::encode_header(opcode, payload.size());
    Bytes frame(header.view().begin(), header.view().end());
    frame[1] |= 0x80;
    const std::array<uint8_t, 4> mask = {0x12, 0x34, 0x56, 0x78};
    frame.insert(frame.end(), mask.begin(), mask.end());
    for (size_t i = 0; i < payload.size(); ++i) frame.push_back(payload[i] ^ mask[i % 4]);
    return frame;
}

// The WebSocket port's inputs, each after the byte websocket_fuzz reads its mode from.
void websocket_seeds(const Corpus& corpus) {
    using server::websocket::Opcode;
    const auto with_mode = [](uint8_t mode, const Bytes& bytes) {
        Bytes input{mode};
        input.insert(input.end(), bytes.begin(), bytes.end());
        return input;
    };
    const auto upgrade = [](const std::string& path) {
        return bytes_of("GET " + path +
                        " HTTP/1.1\r\nHost: tether.example.net:443\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    };
    corpus.write("websocket", "upgrade_relay", with_mode(0, upgrade("/relay")));
    corpus.write("websocket", "upgrade_in_pieces", with_mode(6 * 7, upgrade("/rendezvous")));
    corpus.write("websocket", "upgrade_elsewhere", with_mode(0, upgrade("/elsewhere")));

    proto::RendezvousMessage lookup;
    lookup.mutable_lookup()->set_id("123456789");
    lookup.mutable_lookup()->set_viewer_key(std::string(32, 'k'));
    const Bytes body = rendezvous::encode(lookup);
    Bytes messages = client_frame(Opcode::Ping, bytes_of("ping"));
    const Bytes message = client_frame(Opcode::Binary, body);
    messages.insert(messages.end(), message.begin(), message.end());
    corpus.write("websocket", "messages", with_mode(1, messages));
    corpus.write("websocket", "messages_tcp", with_mode(2, rendezvous::encode_frame(lookup)));

    Bytes stream = messages;
    const Bytes large = client_frame(Opcode::Binary, pattern(300));  // a 16-bit length
    stream.insert(stream.end(), large.begin(), large.end());
    const Bytes close = client_frame(Opcode::Close, Bytes{0x03, 0xe8});
    stream.insert(stream.end(), close.begin(), close.end());
    corpus.write("websocket", "relayed_to_tcp", with_mode(3, stream));
    corpus.write("websocket", "relayed_between_websockets", with_mode(5, stream));
    Bytes tcp_stream = rendezvous::encode_frame(lookup);
    const auto empty = rendezvous::frame_header(0);
    tcp_stream.insert(tcp_stream.end(), empty.begin(), empty.end());
    corpus.write("websocket", "relayed_from_tcp", with_mode(4, tcp_stream));
}

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s CORPUS_FOLDER\n", argv[0]);
        return 2;
    }
    fuzz::use_deterministic_random();
    const Corpus corpus{fs::path(argv[1])};
    try {
        session_seeds(corpus);
        handshake_seeds(corpus);
        record_seeds(corpus);
        unreliable_record_seeds(corpus);
        frame_reader_seeds(corpus);
        y4m_seeds(corpus);
        screen_patch_seeds(corpus);
        relay_hello_seeds(corpus);
        rendezvous_seeds(corpus);
        websocket_seeds(corpus);
#ifdef TETHER_FUZZ_UDP
        punch_packet_seeds(corpus);
#endif
    } catch (const std::exception& error) {
        std::fprintf(stderr, "%s\n", error.what());
        return 1;
    }
    return 0;
}
