#include "ws_stream.h"

namespace tether::ws {

void settle(WsStream& stream, std::chrono::milliseconds closing) {
    namespace websocket = boost::beast::websocket;
    boost::beast::get_lowest_layer(stream).expires_never();  // the WebSocket's own timeouts from here
    websocket::stream_base::timeout timeout{};
    timeout.handshake_timeout = closing;
    timeout.idle_timeout = websocket::stream_base::none();
    timeout.keep_alive_pings = false;
    stream.set_option(timeout);
    stream.binary(true);
    stream.auto_fragment(false);
}

}  // namespace tether::ws
