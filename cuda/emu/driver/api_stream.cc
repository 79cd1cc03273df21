// Streams, events, stream capture, graphs, and the execution of queued work.
//
// Work is lazy: a launch or asynchronous copy is queued and runs only when
// something waits for it (a stream, event or context synchronisation, a
// copy into pageable memory, cuMemFree). That is a legal schedule of a real
// GPU and the most adversarial one for the host: code that reuses a buffer
// before the device is done with it sees the effect every time.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <atomic>
#include <condition_variable>
#include <thread>

#include "memory.h"
#include "state.h"

namespace vgemu {
void set_last_error(const std::string& s);

namespace {

// The device thread runs all device work, so that fibers and fault recovery
// never happen on the caller's threads.
struct DeviceThread {
    std::mutex mu;
    std::condition_variable cv;
    std::deque<std::function<void()>*> q;
    bool started = false;

    void run(std::function<void()> f) {
        if (std::this_thread::get_id() == id.load()) { // nested: already there
            f();
            return;
        }
        std::mutex done_mu;
        std::condition_variable done_cv;
        bool done = false;
        std::function<void()> job = [&] {
            f();
            std::lock_guard<std::mutex> l(done_mu);
            done = true;
            done_cv.notify_one();
        };
        {
            std::lock_guard<std::mutex> l(mu);
            if (!started) {
                started = true;
                std::thread([this] { loop(); }).detach();
            }
            q.push_back(&job);
        }
        cv.notify_one();
        std::unique_lock<std::mutex> l(done_mu);
        done_cv.wait(l, [&] { return done; });
    }
    void loop() {
        id.store(std::this_thread::get_id());
        for (;;) {
            std::function<void()>* j;
            {
                std::unique_lock<std::mutex> l(mu);
                cv.wait(l, [&] { return !q.empty(); });
                j = q.front();
                q.pop_front();
            }
            (*j)();
        }
    }
    std::atomic<std::thread::id> id{};
};
DeviceThread& device = *new DeviceThread; // never destroyed, as the pool

// fault_ctx makes f the context's sticky error.
void fault_ctx(CUctx_st* c, const Fault& f) {
    Lock l(api);
    if (c->sticky == CUDA_SUCCESS) {
        c->sticky = CUresult(f.code);
        c->sticky_msg = f.msg;
        fprintf(stderr, "vigil emulated GPU: %s\n", f.msg.c_str());
    }
}

struct CopyJob {
    const Work* w;
};

void do_copy(void* p) {
    const Work& w = *static_cast<CopyJob*>(p)->w;
    if (w.kind == Work::Copy) {
        const void* src = w.staged.empty() ? reinterpret_cast<const void*>(w.src) : w.staged.data();
        memmove(reinterpret_cast<void*>(w.dst), src, w.bytes);
        return;
    }
    uint8_t* d = reinterpret_cast<uint8_t*>(w.dst);
    for (size_t i = 0; i < w.count; i++) memcpy(d + i * w.elem, &w.value, w.elem);
}

struct HostJob {
    const Work* w;
};
void do_host(void* p) {
    const Work& w = *static_cast<HostJob*>(p)->w;
    w.hfn(w.args.data());
}

// execute runs one item on the device thread (c is its context).
void execute(CUctx_st* c, Work& w);

void run_stream(CUstream_st* s, uint64_t ticket) {
    for (;;) {
        Work w;
        {
            Lock l(api);
            if (!streams.count(s) || s->done >= ticket || s->q.empty()) return;
            w = std::move(s->q.front());
            s->q.pop_front();
        }
        execute(s->ctx, w);
        Lock l(api);
        s->done++;
    }
}

thread_local std::string host_fault; // set by vgemu_kernel_fault
thread_local CUresult host_fault_code;

void execute(CUctx_st* c, Work& w) {
    {
        Lock l(api);
        if (c->sticky != CUDA_SUCCESS) return; // a faulted context runs nothing more
    }
    static const bool trace = getenv("VIGIL_EMU_TRACE") != nullptr;
    if (trace)
        fprintf(stderr, "vigil emulated GPU: run %s grid (%u,%u,%u) block (%u,%u,%u) %zu bytes\n", w.name.c_str(), w.dims.grid.x, w.dims.grid.y,
                w.dims.grid.z, w.dims.block.x, w.dims.block.y, w.dims.block.z, w.bytes);
    Fault f;
    bool ok = true;
    switch (w.kind) {
    case Work::Kernel:
        ok = run_kernel(*w.hk, w.args.data(), w.dims, &f);
        if (ok) {
            const std::string slack = mem_check_slack(c);
            if (!slack.empty()) {
                ok = false;
                f.code = CUDA_ERROR_ILLEGAL_ADDRESS;
                f.msg = "kernel " + w.name + ": " + slack;
            }
        }
        break;
    case Work::HostKernel: {
        HostJob j{&w};
        host_fault.clear();
        ok = run_guarded(w.name.c_str(), do_host, &j, &f);
        if (ok && !host_fault.empty()) {
            ok = false;
            f.code = host_fault_code;
            f.msg = w.name + ": " + host_fault;
        }
        break;
    }
    case Work::Copy:
    case Work::Memset: {
        CopyJob j{&w};
        ok = run_guarded(w.name.c_str(), do_copy, &j, &f);
        break;
    }
    case Work::Record: {
        Lock l(api);
        if (events.count(w.ev)) {
            w.ev->completed = w.ticket;
            w.ev->ms = now_ms();
        }
        break;
    }
    case Work::Wait:
        run_stream(w.on, w.on_ticket);
        break;
    }
    if (!ok) fault_ctx(c, f);
}

// invalidate marks every capture that call breaks.
void invalidate(CUstream_st* s, CUresult why, const char* call) {
    if (s->invalidated == CUDA_SUCCESS) {
        s->invalidated = why;
        s->invalid_msg = std::string(call) + " during the capture";
    }
}

} // namespace

CUresult stream_resolve(CUctx_st* c, CUstream hs, CUstream_st** out) {
    if (!hs) {
        *out = c->legacy;
        return CUDA_SUCCESS;
    }
    if (!streams.count(hs)) return err(CUDA_ERROR_INVALID_HANDLE, "%p is not a live stream", (void*)hs);
    if (hs->ctx != c) return err(CUDA_ERROR_INVALID_HANDLE, "stream %p belongs to another context", (void*)hs);
    *out = hs;
    return CUDA_SUCCESS;
}

CUresult ctx_stream(CUstream hs, CUctx_st** c, CUstream_st** s) {
    if (CUresult r = ctx_check(c)) return r;
    return stream_resolve(*c, hs, s);
}

CUresult enqueue(CUstream_st* s, Work&& w) {
    if (s->capturing) {
        if (s->invalidated != CUDA_SUCCESS)
            return err(CUDA_ERROR_STREAM_CAPTURE_INVALIDATED, "%s: the stream's capture was invalidated (%s)", w.name.c_str(),
                       s->invalid_msg.c_str());
        s->graph->nodes.push_back(std::move(w));
        return CUDA_SUCCESS;
    }
    if (s == s->ctx->legacy) {
        for (auto* o : s->ctx->streams)
            if (o != s && o->capturing && !(o->flags & CU_STREAM_NON_BLOCKING)) {
                invalidate(o, CUDA_ERROR_STREAM_CAPTURE_IMPLICIT, w.name.c_str());
                return err(CUDA_ERROR_STREAM_CAPTURE_IMPLICIT, "%s: the legacy stream is used while a blocking stream captures", w.name.c_str());
            }
    }
    s->q.push_back(std::move(w));
    s->pushed++;
    return CUDA_SUCCESS;
}

CUresult capture_check(CUctx_st* c, const char* call) {
    const unsigned long me = thread_id();
    for (auto* s : c->streams) {
        if (!s->capturing || s->mode == CU_STREAM_CAPTURE_MODE_RELAXED) continue;
        if (s->capture_thread == me || s->mode == CU_STREAM_CAPTURE_MODE_GLOBAL) {
            invalidate(s, CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED, call);
            return err(CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED, "%s is not permitted while %s captures stream %p (%s mode)", call,
                       s->capture_thread == me ? "this thread" : "another thread", (void*)s,
                       s->mode == CU_STREAM_CAPTURE_MODE_GLOBAL ? "global" : "thread-local");
        }
    }
    return CUDA_SUCCESS;
}

CUresult broad_sync_check(CUctx_st* c, const char* call) {
    for (auto* s : c->streams) {
        if (!s->capturing) continue;
        invalidate(s, CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED, call);
        return err(CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED, "%s synchronises the context while stream %p is capturing", call, (void*)s);
    }
    return CUDA_SUCCESS;
}

CUresult run_until(CUstream_st* s, uint64_t ticket) {
    device.run([&] { run_stream(s, ticket); });
    Lock l(api);
    if (!streams.count(s)) return CUDA_SUCCESS; // destroyed meanwhile: its work ran
    CUctx_st* c = s->ctx;
    if (c->sticky != CUDA_SUCCESS) {
        set_last_error(c->sticky_msg);
        return c->sticky;
    }
    return CUDA_SUCCESS;
}

CUresult run_all(CUctx_st* c) {
    std::vector<CUstream_st*> all;
    {
        Lock l(api);
        all.assign(c->streams.begin(), c->streams.end());
    }
    device.run([&] {
        for (auto* s : all) run_stream(s, ~0ull);
    });
    Lock l(api);
    if (c->sticky != CUDA_SUCCESS) {
        set_last_error(c->sticky_msg);
        return c->sticky;
    }
    return CUDA_SUCCESS;
}

void host_kernel_fault(CUresult code, const char* msg) {
    host_fault_code = code;
    host_fault = msg;
}

} // namespace vgemu

using namespace vgemu;

extern "C" {

CUresult cuStreamCreate(CUstream* out, unsigned int flags) {
    Lock l(api);
    CUctx_st* c;
    if (CUresult r = ctx_check(&c)) return r;
    if (!out) return err(CUDA_ERROR_INVALID_VALUE, "cuStreamCreate: NULL");
    if (flags & ~unsigned(CU_STREAM_NON_BLOCKING)) return err(CUDA_ERROR_INVALID_VALUE, "cuStreamCreate: flags %#x", flags);
    auto* s = new CUstream_st{};
    s->ctx = c;
    s->flags = flags;
    streams.insert(s);
    c->streams.insert(s);
    *out = s;
    return CUDA_SUCCESS;
}

CUresult cuStreamCreateWithPriority(CUstream* out, unsigned int flags, int) { return cuStreamCreate(out, flags); }

CUresult cuStreamGetFlags(CUstream hs, unsigned int* flags) {
    Lock l(api);
    CUctx_st* c;
    CUstream_st* s;
    if (CUresult r = ctx_stream(hs, &c, &s)) return r;
    *flags = s->flags;
    return CUDA_SUCCESS;
}

CUresult cuStreamDestroy(CUstream hs) {
    CUstream_st* s;
    {
        Lock l(api);
        CUctx_st* c;
        if (CUresult r = ctx_check(&c)) return r;
        if (!hs) return err(CUDA_ERROR_INVALID_HANDLE, "cuStreamDestroy: the legacy stream cannot be destroyed");
        if (CUresult r = stream_resolve(c, hs, &s)) return r;
        if (s->capturing) {
            // The driver ends an open capture; the graph is lost.
            delete s->graph;
            s->graph = nullptr;
            s->capturing = false;
        }
    }
    // Work still queued completes (the driver releases the stream after it).
    CUresult r = run_until(s, ~0ull);
    Lock l(api);
    for (auto* e : events)
        if (e->stream == s) e->stream = nullptr; // its records have run
    s->ctx->streams.erase(s);
    streams.erase(s);
    delete s;
    return r == CUDA_ERROR_ILLEGAL_ADDRESS || r == CUDA_ERROR_LAUNCH_FAILED ? r : CUDA_SUCCESS;
}

CUresult cuStreamSynchronize(CUstream hs) {
    CUstream_st* s;
    {
        Lock l(api);
        CUctx_st* c;
        if (CUresult r = ctx_stream(hs, &c, &s)) return r;
        if (s->capturing) {
            invalidate(s, CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED, "cuStreamSynchronize");
            return err(CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED, "cuStreamSynchronize of a capturing stream");
        }
    }
    return run_until(s, ~0ull);
}

CUresult cuStreamQuery(CUstream hs) {
    CUstream_st* s;
    {
        Lock l(api);
        CUctx_st* c;
        if (CUresult r = ctx_stream(hs, &c, &s)) return r;
        if (s->capturing) {
            invalidate(s, CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED, "cuStreamQuery");
            return err(CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED, "cuStreamQuery of a capturing stream");
        }
    }
    return run_until(s, ~0ull); // asking completes the work
}

CUresult cuStreamWaitEvent(CUstream hs, CUevent ev, unsigned int flags) {
    Lock l(api);
    CUctx_st* c;
    CUstream_st* s;
    if (CUresult r = ctx_stream(hs, &c, &s)) return r;
    if (!events.count(ev)) return err(CUDA_ERROR_INVALID_HANDLE, "cuStreamWaitEvent: %p is not a live event", (void*)ev);
    if (flags != 0) return err(CUDA_ERROR_INVALID_VALUE, "cuStreamWaitEvent: flags %#x", flags);
    if (!ev->stream || ev->records == 0) return CUDA_SUCCESS; // never recorded: nothing to wait for
    if (ev->captured && !s->capturing) return err(CUDA_ERROR_STREAM_CAPTURE_ISOLATION, "cuStreamWaitEvent on an event captured in another stream");
    if (s->capturing) return CUDA_SUCCESS; // the graph is one stream's linear sequence
    Work w{Work::Wait};
    w.name = "cuStreamWaitEvent";
    w.ev = ev;
    w.on = ev->stream;
    w.on_ticket = ev->on_ticket;
    return enqueue(s, std::move(w));
}

CUresult cuStreamBeginCapture(CUstream hs, CUstreamCaptureMode mode) {
    Lock l(api);
    CUctx_st* c;
    CUstream_st* s;
    if (CUresult r = ctx_check(&c)) return r;
    if (!hs) return err(CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED, "cuStreamBeginCapture: the legacy stream cannot be captured");
    if (CUresult r = stream_resolve(c, hs, &s)) return r;
    if (mode != CU_STREAM_CAPTURE_MODE_GLOBAL && mode != CU_STREAM_CAPTURE_MODE_THREAD_LOCAL && mode != CU_STREAM_CAPTURE_MODE_RELAXED)
        return err(CUDA_ERROR_INVALID_VALUE, "cuStreamBeginCapture: mode %d", mode);
    if (s->capturing) return err(CUDA_ERROR_ILLEGAL_STATE, "cuStreamBeginCapture: the stream is already capturing");
    s->capturing = true;
    s->mode = mode;
    s->capture_thread = thread_id();
    s->graph = new CUgraph_st{};
    s->graph->ctx = c;
    s->invalidated = CUDA_SUCCESS;
    s->invalid_msg.clear();
    return CUDA_SUCCESS;
}

CUresult cuStreamEndCapture(CUstream hs, CUgraph* out) {
    Lock l(api);
    CUctx_st* c;
    CUstream_st* s;
    if (CUresult r = ctx_stream(hs, &c, &s)) return r;
    if (!out) return err(CUDA_ERROR_INVALID_VALUE, "cuStreamEndCapture: NULL");
    if (!s->capturing) return err(CUDA_ERROR_ILLEGAL_STATE, "cuStreamEndCapture: the stream is not capturing");
    if (s->mode != CU_STREAM_CAPTURE_MODE_RELAXED && s->capture_thread != thread_id())
        return err(CUDA_ERROR_STREAM_CAPTURE_WRONG_THREAD, "cuStreamEndCapture: the capture was begun by thread %lu, not this one (%lu)",
                   s->capture_thread, thread_id());
    s->capturing = false;
    CUgraph_st* g = s->graph;
    s->graph = nullptr;
    if (s->invalidated != CUDA_SUCCESS) {
        delete g;
        *out = nullptr;
        return err(CUDA_ERROR_STREAM_CAPTURE_INVALIDATED, "cuStreamEndCapture: the capture was invalidated by %s", s->invalid_msg.c_str());
    }
    graphs.insert(g);
    *out = g;
    return CUDA_SUCCESS;
}

CUresult cuStreamIsCapturing(CUstream hs, CUstreamCaptureStatus* st) {
    Lock l(api);
    CUctx_st* c;
    CUstream_st* s;
    if (CUresult r = ctx_stream(hs, &c, &s)) return r;
    if (!st) return err(CUDA_ERROR_INVALID_VALUE, "cuStreamIsCapturing: NULL");
    *st = !s->capturing ? CU_STREAM_CAPTURE_STATUS_NONE
                        : (s->invalidated != CUDA_SUCCESS ? CU_STREAM_CAPTURE_STATUS_INVALIDATED : CU_STREAM_CAPTURE_STATUS_ACTIVE);
    return CUDA_SUCCESS;
}

CUresult cuGraphInstantiateWithFlags(CUgraphExec* out, CUgraph g, unsigned long long flags) {
    Lock l(api);
    CUctx_st* c;
    if (CUresult r = ctx_check(&c)) return r;
    if (!out) return err(CUDA_ERROR_INVALID_VALUE, "cuGraphInstantiateWithFlags: NULL");
    if (!graphs.count(g)) return err(CUDA_ERROR_INVALID_VALUE, "cuGraphInstantiateWithFlags: %p is not a live graph", (void*)g);
    if (flags & ~(unsigned long long)(CUDA_GRAPH_INSTANTIATE_FLAG_AUTO_FREE_ON_LAUNCH | CUDA_GRAPH_INSTANTIATE_FLAG_USE_NODE_PRIORITY))
        return err(CUDA_ERROR_INVALID_VALUE, "cuGraphInstantiateWithFlags: flags %#llx", flags);
    auto* e = new CUgraphExec_st{};
    e->ctx = g->ctx;
    e->nodes = g->nodes; // independent of the graph from now on
    execs.insert(e);
    *out = e;
    return CUDA_SUCCESS;
}

CUresult cuGraphLaunch(CUgraphExec e, CUstream hs) {
    Lock l(api);
    CUctx_st* c;
    CUstream_st* s;
    if (CUresult r = ctx_check(&c)) return r;
    if (!execs.count(e)) return err(CUDA_ERROR_INVALID_VALUE, "cuGraphLaunch: %p is not a live executable graph", (void*)e);
    if (CUresult r = stream_resolve(c, hs, &s)) return r;
    if (e->ctx != c) return err(CUDA_ERROR_INVALID_CONTEXT, "cuGraphLaunch: the graph belongs to another context");
    for (const Work& w : e->nodes) {
        Work copy = w;
        if (CUresult r = enqueue(s, std::move(copy))) return r;
    }
    return CUDA_SUCCESS;
}

CUresult cuGraphDestroy(CUgraph g) {
    Lock l(api);
    if (!graphs.count(g)) return err(CUDA_ERROR_INVALID_VALUE, "cuGraphDestroy: %p is not a live graph", (void*)g);
    graphs.erase(g);
    delete g;
    return CUDA_SUCCESS;
}

CUresult cuGraphExecDestroy(CUgraphExec e) {
    Lock l(api);
    if (!execs.count(e)) return err(CUDA_ERROR_INVALID_VALUE, "cuGraphExecDestroy: %p is not a live executable graph", (void*)e);
    execs.erase(e);
    delete e;
    return CUDA_SUCCESS;
}

CUresult cuEventCreate(CUevent* out, unsigned int flags) {
    Lock l(api);
    CUctx_st* c;
    if (CUresult r = ctx_check(&c)) return r;
    if (!out) return err(CUDA_ERROR_INVALID_VALUE, "cuEventCreate: NULL");
    if (flags & ~unsigned(CU_EVENT_BLOCKING_SYNC | CU_EVENT_DISABLE_TIMING | CU_EVENT_INTERPROCESS))
        return err(CUDA_ERROR_INVALID_VALUE, "cuEventCreate: flags %#x", flags);
    auto* e = new CUevent_st{};
    e->ctx = c;
    e->flags = flags;
    events.insert(e);
    *out = e;
    return CUDA_SUCCESS;
}

CUresult cuEventDestroy(CUevent e) {
    Lock l(api);
    if (!events.count(e)) return err(CUDA_ERROR_INVALID_HANDLE, "cuEventDestroy: %p is not a live event", (void*)e);
    events.erase(e);
    // The record items still queued keep a dangling pointer: execute()
    // checks the registry before touching it.
    return CUDA_SUCCESS;
}

CUresult cuEventRecord(CUevent e, CUstream hs) {
    Lock l(api);
    CUctx_st* c;
    CUstream_st* s;
    if (CUresult r = ctx_check(&c)) return r;
    if (!events.count(e)) return err(CUDA_ERROR_INVALID_HANDLE, "cuEventRecord: %p is not a live event", (void*)e);
    if (CUresult r = stream_resolve(c, hs, &s)) return r;
    if (s->capturing) {
        e->captured = true;
        e->stream = s;
        e->records++;
        return CUDA_SUCCESS;
    }
    Work w{Work::Record};
    w.name = "cuEventRecord";
    w.ev = e;
    w.ticket = ++e->records;
    if (CUresult r = enqueue(s, std::move(w))) return r;
    e->captured = false;
    e->stream = s;
    e->on_ticket = s->pushed;
    return CUDA_SUCCESS;
}

CUresult cuEventSynchronize(CUevent e) {
    CUstream_st* s;
    uint64_t t;
    {
        Lock l(api);
        CUctx_st* c;
        if (CUresult r = ctx_check(&c)) return r;
        if (!events.count(e)) return err(CUDA_ERROR_INVALID_HANDLE, "cuEventSynchronize: %p is not a live event", (void*)e);
        if (e->captured) {
            if (e->stream && e->stream->capturing) invalidate(e->stream, CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED, "cuEventSynchronize");
            return err(CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED, "cuEventSynchronize of an event recorded during a capture");
        }
        if (!e->stream) return CUDA_SUCCESS;
        s = e->stream;
        t = e->on_ticket;
    }
    return run_until(s, t);
}

CUresult cuEventQuery(CUevent e) { return cuEventSynchronize(e); }

CUresult cuEventElapsedTime(float* ms, CUevent start, CUevent end) {
    Lock l(api);
    CUctx_st* c;
    if (CUresult r = ctx_check(&c)) return r;
    if (!ms) return err(CUDA_ERROR_INVALID_VALUE, "cuEventElapsedTime: NULL");
    if (!events.count(start) || !events.count(end)) return err(CUDA_ERROR_INVALID_HANDLE, "cuEventElapsedTime: not a live event");
    if ((start->flags | end->flags) & CU_EVENT_DISABLE_TIMING)
        return err(CUDA_ERROR_INVALID_HANDLE, "cuEventElapsedTime: an event was created with CU_EVENT_DISABLE_TIMING");
    if (start->records == 0 || end->records == 0) return err(CUDA_ERROR_INVALID_HANDLE, "cuEventElapsedTime: an event was never recorded");
    if (start->completed != start->records || end->completed != end->records)
        return err(CUDA_ERROR_NOT_READY, "cuEventElapsedTime: an event has not completed");
    *ms = float(end->ms - start->ms);
    return CUDA_SUCCESS;
}

} // extern "C"
