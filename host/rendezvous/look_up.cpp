#include "look_up.h"
#include "client_io.h"

#include <boost/asio/use_awaitable.hpp>

#include <stdexcept>

namespace tether::rendezvous {

proto::LookupReply look_up(const ServerAddress& server, const proto::Lookup& lookup, std::chrono::milliseconds timeout) {
    proto::LookupReply reply;
    run_for(
        [&]() -> boost::asio::awaitable<void> {
            const auto link = co_await ServerLink::dial(server);
            proto::RendezvousMessage question;
            *question.mutable_lookup() = lookup;
            co_await link->write(question);
            auto answer = co_await link->read();
            if (!answer.has_lookup_reply())
                throw std::runtime_error("the rendezvous server " + server.text +
                                         " answered the lookup with something else");
            reply = std::move(*answer.mutable_lookup_reply());
        },
        timeout, "asking the rendezvous server " + server.text);
    return reply;
}

}  // namespace tether::rendezvous
