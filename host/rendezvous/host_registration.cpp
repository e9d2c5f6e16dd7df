#include "host_registration.h"
#include "client_io.h"
#include "signatures.h"
#include "wire.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <algorithm>
#include <stdexcept>

namespace tether::rendezvous {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

constexpr auto kExchangeTimeout = 5s;

asio::awaitable<void> sleep_for(std::chrono::steady_clock::duration wait) {
    asio::steady_timer timer(co_await asio::this_coro::executor, wait);
    co_await timer.async_wait(asio::use_awaitable);
}

// A function, not a capturing lambda: a coroutine's frame keeps its
// parameters, while a lambda's captures die with the lambda object, which
// co_spawn does not keep. Runs until the connection it beats for is over.
asio::awaitable<void> send_heartbeats(std::shared_ptr<ServerLink> link, std::shared_ptr<bool> alive,
                                      std::chrono::seconds every) {
    proto::RendezvousMessage beat;
    beat.mutable_heartbeat();
    for (;;) {
        co_await sleep_for(every);
        if (!*alive) co_return;
        co_await link->write(beat);
    }
}

}  // namespace

HostRegistration::HostRegistration(const security::Identity& identity, RegistrationOptions options,
                                   RegisteredFn on_registered, IncomingFn on_incoming, TroubleFn on_trouble)
    : identity_(identity),
      options_(std::move(options)),
      on_registered_(std::move(on_registered)),
      on_incoming_(std::move(on_incoming)),
      on_trouble_(std::move(on_trouble)) {
    asio::co_spawn(io_, keep_registered(), asio::detached);
    thread_ = std::thread([this] { io_.run(); });
}

HostRegistration::~HostRegistration() {
    io_.stop();
    thread_.join();
}

asio::awaitable<void> HostRegistration::keep_registered() {
    auto retry = options_.first_retry;
    std::string last_trouble;
    for (;;) {
        const auto started = std::chrono::steady_clock::now();
        std::string trouble;
        try {
            co_await serve_one_connection();
            trouble = "the rendezvous server " + options_.server.text + " closed the connection";
        } catch (const std::exception& e) {
            trouble = e.what();
        }
        if (trouble != last_trouble) on_trouble_(trouble);
        last_trouble = trouble;
        // A connection that lasted starts the retries afresh; one failing at once backs off.
        retry = std::chrono::steady_clock::now() - started > options_.max_retry ? options_.first_retry
                                                                                : std::min(retry * 2, options_.max_retry);
        co_await sleep_for(retry);
    }
}

asio::awaitable<void> HostRegistration::serve_one_connection() {
    // Shared with the heartbeat coroutine, which may wake after this one has returned.
    const std::shared_ptr<ServerLink> link = co_await ServerLink::dial(options_.server);
    const auto alive = std::make_shared<bool>(true);
    Deadline deadline(*link, co_await asio::this_coro::executor);
    deadline.expire_after(kExchangeTimeout);

    proto::RendezvousMessage out;
    auto* reg = out.mutable_register_();
    reg->set_id(identity_.peer_id);
    reg->set_key(key_bytes(identity_.public_key));
    for (const auto& addr : options_.lan_addrs)
        if (reg->lan_addrs_size() < kMaxAddresses) reg->add_lan_addrs(addr);
    reg->set_listen_port(options_.listen_port);
    co_await link->write(out);

    auto in = co_await link->read();
    if (in.has_register_refused())
        throw std::runtime_error("the rendezvous server refused the registration: " + in.register_refused().reason());
    if (!in.has_challenge()) throw std::runtime_error("the rendezvous server sent no challenge");
    const std::string& nonce = in.challenge().nonce();
    const auto proof = security::sign(
        identity_, register_proof_message(identity_.peer_id, {reinterpret_cast<const uint8_t*>(nonce.data()), nonce.size()}));
    out.Clear();
    out.mutable_proof()->set_signature(std::string(proof.begin(), proof.end()));
    co_await link->write(out);

    in = co_await link->read();
    if (in.has_register_refused())
        throw std::runtime_error("the rendezvous server refused the registration: " + in.register_refused().reason());
    if (!in.has_registered()) throw std::runtime_error("the rendezvous server did not confirm the registration");
    const auto heartbeat = std::chrono::seconds(std::clamp<uint32_t>(in.registered().heartbeat_s(), 1, 60));
    on_registered_(in.registered());

    // Heartbeats go out on their own; each answer, or anything else, proves the server is there.
    asio::co_spawn(co_await asio::this_coro::executor, send_heartbeats(link, alive, heartbeat), asio::detached);
    struct Disconnect {
        std::shared_ptr<bool> alive;
        ServerLink& link;
        ~Disconnect() {
            *alive = false;
            link.close();
        }
    } disconnect{alive, *link};
    for (;;) {
        deadline.expire_after(2 * heartbeat + kExchangeTimeout);
        try {
            in = co_await link->read();
        } catch (const std::exception&) {
            if (deadline.expired())
                throw std::runtime_error("the rendezvous server " + options_.server.text + " went silent");
            throw;
        }
        if (in.has_incoming()) on_incoming_(in.incoming());
    }
}

std::vector<std::string> local_addresses(uint16_t port) {
    std::vector<std::string> found;
    ifaddrs* list = nullptr;
    if (getifaddrs(&list) != 0) return found;
    for (const ifaddrs* a = list; a; a = a->ifa_next) {
        if (!a->ifa_addr || (a->ifa_flags & IFF_LOOPBACK) || !(a->ifa_flags & IFF_UP)) continue;
        char text[INET6_ADDRSTRLEN] = {};
        if (a->ifa_addr->sa_family == AF_INET) {
            inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(a->ifa_addr)->sin_addr, text, sizeof text);
            found.push_back(std::string(text) + ":" + std::to_string(port));
        } else if (a->ifa_addr->sa_family == AF_INET6) {
            const auto& address = reinterpret_cast<const sockaddr_in6*>(a->ifa_addr)->sin6_addr;
            if (IN6_IS_ADDR_LINKLOCAL(&address)) continue;  // needs a scope to dial
            inet_ntop(AF_INET6, &address, text, sizeof text);
            found.push_back("[" + std::string(text) + "]:" + std::to_string(port));
        }
    }
    freeifaddrs(list);
    if (found.size() > kMaxAddresses) found.resize(kMaxAddresses);
    return found;
}

}  // namespace tether::rendezvous
