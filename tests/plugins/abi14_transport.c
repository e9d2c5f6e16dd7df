/* A transport as a vendor would have written it for ABI 1.4, before
 * channels, unreliable messages and ports (1.5). Built against the frozen
 * 1.4 header (tests/abi/1.4, never to change), it proves that every later
 * host drives a 1.4 transport as the one reliable, ordered stream it is.
 *
 * In-process: the connections of a transport instance reach its own
 * listeners, by name. One thread per instance makes every callback, in
 * order, so that a close can wait until none of its callbacks runs. */
#include "test_plugin_basics.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define MAX_MESSAGE (16u << 20)

typedef struct loop_transport loop_transport;
typedef struct listener listener;
typedef struct connection connection;

typedef enum event_kind { EVENT_ACCEPT, EVENT_MESSAGE, EVENT_CLOSED } event_kind;

/* One callback to make. Accepts and ends live inside their connection, so
 * that nothing needs allocating to report them; messages are allocated. */
typedef struct event {
    event_kind kind;
    listener* by;           /* EVENT_ACCEPT: the listener that accepts */
    connection* to;         /* the connection accepted, or the one told */
    tether_buffer* message; /* EVENT_MESSAGE */
    const char* reason;     /* EVENT_CLOSED */
    struct event* next;
} event;

typedef struct event_list {
    event* head;
    event* tail;
} event_list;

struct listener {
    loop_transport* transport;
    char name[128];
    tether_accept_fn on_accept;
    void* ctx;
    listener* next;
};

struct connection {
    loop_transport* transport;
    connection* peer;    /* NULL once either end closed */
    char peer_name[32];  /* what the listener is told of the dialer */
    int started;
    int reported;            /* on_closed ran or runs now */
    const char* end_reason;  /* the peer left before start() */
    void* ctx;
    void (*on_message)(void* ctx, const uint8_t* data, size_t size);
    void (*on_closed)(void* ctx, const char* reason);
    event_list held;  /* messages that came before start() */
    size_t queued;    /* bytes on their way to this end */
    event accept_event;
    event closed_event;
};

struct loop_transport {
    const tether_host_api* host;
    pthread_mutex_t mutex;
    pthread_cond_t changed;
    pthread_t thread;
    int stopping;
    event_list events;
    const void* in_callback; /* the listener or connection whose callback runs now */
    listener* listeners;
    unsigned dialed;
};

static void push(event_list* list, event* e) {
    e->next = NULL;
    if (list->tail != NULL) list->tail->next = e;
    else list->head = e;
    list->tail = e;
}

static event* pop(event_list* list) {
    event* e = list->head;
    list->head = e->next;
    if (list->head == NULL) list->tail = NULL;
    return e;
}

static void append(event_list* list, event_list* more) {
    while (more->head != NULL) push(list, pop(more));
}

/* Unlinks the events for `target` (a connection, or the listener of an accept), in order. */
static event_list take_events_for(event_list* list, const void* target) {
    event_list taken = {NULL, NULL};
    event_list kept = {NULL, NULL};
    while (list->head != NULL) {
        event* e = pop(list);
        push(e->to == target || e->by == target ? &taken : &kept, e);
    }
    *list = kept;
    return taken;
}

static void discard(loop_transport* t, event_list* list) {
    while (list->head != NULL) {
        event* e = pop(list);
        if (e->kind != EVENT_MESSAGE) continue;
        t->host->buffer_unref(e->message);
        free(e);
    }
}

/* Holds the mutex. An event for `c`, held until it starts. */
static void deliver(loop_transport* t, connection* c, event* e) {
    if (!c->started) {
        push(&c->held, e);
        return;
    }
    push(&t->events, e);
    pthread_cond_broadcast(&t->changed);
}

/* Holds the mutex. `c`'s peer is gone: it hears so after the messages it still has coming. */
static void part(loop_transport* t, connection* c, const char* reason) {
    c->peer = NULL;
    if (!c->started) {
        c->end_reason = reason;
        return;
    }
    c->closed_event = (event){EVENT_CLOSED, NULL, c, NULL, reason, NULL};
    deliver(t, c, &c->closed_event);
}

/* Holds the mutex. Returns once no callback of `object` runs, unless this
 * thread is the one running it (a close from inside its own callback). */
static void wait_out_callbacks(loop_transport* t, const void* object) {
    if (pthread_equal(pthread_self(), t->thread)) return;
    while (t->in_callback == object) pthread_cond_wait(&t->changed, &t->mutex);
}

/* Holds the mutex, and lets it go during the callback. */
static void dispatch(loop_transport* t, event* e) {
    connection* c = e->to;  /* the callback may free it: not touched after */
    pthread_mutex_unlock(&t->mutex);
    switch (e->kind) {
    case EVENT_ACCEPT: {
        char peer[sizeof c->peer_name];
        memcpy(peer, c->peer_name, sizeof peer);
        e->by->on_accept(e->by->ctx, c, peer);
        break;
    }
    case EVENT_MESSAGE:
        c->on_message(c->ctx, e->message->data, e->message->size);
        t->host->buffer_unref(e->message);
        free(e);
        break;
    case EVENT_CLOSED:
        c->on_closed(c->ctx, e->reason);
        break;
    }
    pthread_mutex_lock(&t->mutex);
    t->in_callback = NULL;
    pthread_cond_broadcast(&t->changed);
}

static void* run(void* arg) {
    loop_transport* t = arg;
    pthread_mutex_lock(&t->mutex);
    for (;;) {
        while (!t->stopping && t->events.head == NULL) pthread_cond_wait(&t->changed, &t->mutex);
        if (t->stopping) break;
        event* e = pop(&t->events);
        if (e->kind == EVENT_MESSAGE) e->to->queued -= e->message->size;
        if (e->kind == EVENT_CLOSED) e->to->reported = 1;
        t->in_callback = e->kind == EVENT_ACCEPT ? (const void*)e->by : (const void*)e->to;
        dispatch(t, e);
    }
    pthread_mutex_unlock(&t->mutex);
    return NULL;
}

static void* create(const tether_host_api* host, tether_error* err) {
    loop_transport* t = calloc(1, sizeof *t);
    if (t == NULL) {
        fail(err, "out of memory");
        return NULL;
    }
    t->host = host;
    pthread_mutex_init(&t->mutex, NULL);
    pthread_cond_init(&t->changed, NULL);
    if (pthread_create(&t->thread, NULL, run, t) != 0) {
        pthread_cond_destroy(&t->changed);
        pthread_mutex_destroy(&t->mutex);
        free(t);
        fail(err, "cannot start the transport's thread");
        return NULL;
    }
    return t;
}

/* The host destroys a transport after its last listener and connection. */
static void destroy(void* transport) {
    loop_transport* t = transport;
    pthread_mutex_lock(&t->mutex);
    t->stopping = 1;
    pthread_cond_broadcast(&t->changed);
    pthread_mutex_unlock(&t->mutex);
    pthread_join(t->thread, NULL);
    pthread_cond_destroy(&t->changed);
    pthread_mutex_destroy(&t->mutex);
    free(t);
}

static listener* listening_on(loop_transport* t, const char* name) {
    for (listener* l = t->listeners; l != NULL; l = l->next)
        if (strcmp(l->name, name) == 0) return l;
    return NULL;
}

static void* listen_on(void* transport, const char* address, tether_accept_fn on_accept, void* ctx,
                       char* bound_address, size_t bound_capacity, tether_error* err) {
    loop_transport* t = transport;
    const size_t length = strlen(address);
    if (length == 0 || length >= sizeof ((listener*)NULL)->name) {
        fail(err, "needs a name of 1 to 127 characters");
        return NULL;
    }
    listener* l = calloc(1, sizeof *l);
    if (l == NULL) {
        fail(err, "out of memory");
        return NULL;
    }
    l->transport = t;
    memcpy(l->name, address, length + 1);
    l->on_accept = on_accept;
    l->ctx = ctx;
    pthread_mutex_lock(&t->mutex);
    if (listening_on(t, address) != NULL) {
        pthread_mutex_unlock(&t->mutex);
        free(l);
        fail(err, "address in use");
        return NULL;
    }
    l->next = t->listeners;
    t->listeners = l;
    pthread_mutex_unlock(&t->mutex);
    snprintf(bound_address, bound_capacity, "%s", address);
    return l;
}

/* Connections it had not handed over yet are refused. */
static void close_listener(void* object) {
    listener* l = object;
    loop_transport* t = l->transport;
    pthread_mutex_lock(&t->mutex);
    wait_out_callbacks(t, l);
    for (listener** at = &t->listeners; *at != NULL; at = &(*at)->next)
        if (*at == l) {
            *at = l->next;
            break;
        }
    event_list refused = take_events_for(&t->events, l);
    while (refused.head != NULL) {
        connection* c = pop(&refused)->to;
        if (c->peer != NULL) part(t, c->peer, "connection refused");
        discard(t, &c->held);
        free(c);
    }
    pthread_mutex_unlock(&t->mutex);
    free(l);
}

/* The dialer's end at once; the listener gets the other end on its thread. */
static void* connect_to(void* transport, const char* address, uint32_t timeout_ms, tether_error* err) {
    (void)timeout_ms;
    loop_transport* t = transport;
    connection* dialer = calloc(1, sizeof *dialer);
    connection* accepted = calloc(1, sizeof *accepted);
    if (dialer == NULL || accepted == NULL) {
        free(dialer);
        free(accepted);
        fail(err, "out of memory");
        return NULL;
    }
    pthread_mutex_lock(&t->mutex);
    listener* l = listening_on(t, address);
    if (l == NULL) {
        pthread_mutex_unlock(&t->mutex);
        free(dialer);
        free(accepted);
        fail(err, "connection refused: nothing listens there");
        return NULL;
    }
    dialer->transport = accepted->transport = t;
    dialer->peer = accepted;
    accepted->peer = dialer;
    snprintf(accepted->peer_name, sizeof accepted->peer_name, "dialer-%u", ++t->dialed);
    accepted->accept_event = (event){EVENT_ACCEPT, l, accepted, NULL, NULL, NULL};
    push(&t->events, &accepted->accept_event);
    pthread_cond_broadcast(&t->changed);
    pthread_mutex_unlock(&t->mutex);
    return dialer;
}

/* Only the 1.0 callbacks are read: on_message and on_closed. */
static void start(void* object, const tether_connection_callbacks* callbacks) {
    connection* c = object;
    loop_transport* t = c->transport;
    pthread_mutex_lock(&t->mutex);
    c->ctx = callbacks->ctx;
    c->on_message = callbacks->on_message;
    c->on_closed = callbacks->on_closed;
    c->started = 1;
    append(&t->events, &c->held);
    if (c->end_reason != NULL) part(t, c, c->end_reason);
    pthread_cond_broadcast(&t->changed);
    pthread_mutex_unlock(&t->mutex);
}

/* The message goes by reference: nothing is buffered but the host's own
 * buffer, so the host's limit is left to the host to apply on delivery. */
static int send_message(void* object, tether_buffer* message, tether_error* err) {
    connection* c = object;
    loop_transport* t = c->transport;
    if (message->size > MAX_MESSAGE) {
        fail(err, "message too large");
        return TETHER_ERROR;
    }
    event* e = calloc(1, sizeof *e);
    if (e == NULL) {
        fail(err, "out of memory");
        return TETHER_ERROR;
    }
    pthread_mutex_lock(&t->mutex);
    if (c->peer == NULL) {
        pthread_mutex_unlock(&t->mutex);
        free(e);
        fail(err, "connection closed");
        return TETHER_ERROR;
    }
    t->host->buffer_ref(message);
    *e = (event){EVENT_MESSAGE, NULL, c->peer, message, NULL, NULL};
    c->peer->queued += message->size;
    deliver(t, c->peer, e);
    pthread_mutex_unlock(&t->mutex);
    return TETHER_OK;
}

static size_t pending_bytes(void* object) {
    connection* c = object;
    pthread_mutex_lock(&c->transport->mutex);
    const size_t queued = c->peer != NULL ? c->peer->queued : 0;
    pthread_mutex_unlock(&c->transport->mutex);
    return queued;
}

/* What it sent still arrives; what was coming to it is dropped. An end not
 * yet reported is reported here, on the closing thread: nothing may come after. */
static void close_connection(void* object) {
    connection* c = object;
    loop_transport* t = c->transport;
    pthread_mutex_lock(&t->mutex);
    wait_out_callbacks(t, c);
    event_list dropped = take_events_for(&t->events, c);
    discard(t, &dropped);
    discard(t, &c->held);
    if (c->peer != NULL) part(t, c->peer, "closed by peer");
    const int report = c->started && !c->reported;
    c->reported = 1;
    pthread_mutex_unlock(&t->mutex);
    if (report) c->on_closed(c->ctx, "closed locally");
    free(c);
}

static const tether_transport_vtable vtable = {
    sizeof(tether_transport_vtable), "loop", TETHER_TRANSPORT_RELIABLE | TETHER_TRANSPORT_ORDERED, MAX_MESSAGE,
    probe, create, destroy, listen_on, close_listener, connect_to, start, send_message, pending_bytes,
    close_connection, NULL, /* get_extension: none */
};

static const tether_factory factory = {
    sizeof(tether_factory), TETHER_KIND_TRANSPORT, FACTORY_NAME, "in-process messages, for ABI compatibility tests", 0,
    &vtable, NULL, NULL, /* check_setting, probe_inputs: no settings, nothing to probe */
};

#define plugin_extension NULL
#include "abi_entry.h"
