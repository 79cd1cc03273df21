// State of the emulated driver: devices, contexts, streams, events, modules,
// graphs, and the helpers every API entry point uses.
#ifndef VGEMU_STATE_H
#define VGEMU_STATE_H

#include <cuda.h>
#include <stdint.h>

#include <deque>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "engine.h"
#include "fatbin.h"
#include "vgemu.h"

// Handles are pointers to these (cuda.h declares them opaque).
struct CUctx_st;
struct CUstream_st;
struct CUevent_st;
struct CUmod_st;
struct CUfunc_st;
struct CUgraph_st;
struct CUgraphExec_st;

namespace vgemu {

// Work is one item queued on a stream or recorded in a graph.
struct Work {
    enum Kind { Kernel, HostKernel, Copy, Memset, Record, Wait } kind;
    std::string name;
    // Kernel
    const vgemu::HostKernel* hk = nullptr;
    Dims dims{};
    std::vector<uint8_t> args; // kernel argument block, or a host kernel's
    vgemu_host_kernel hfn = nullptr;
    // Copy / Memset
    uintptr_t dst = 0, src = 0;
    size_t bytes = 0;
    std::vector<uint8_t> staged; // pageable host data copied at the call
    uint32_t value = 0;
    int elem = 0;     // memset element size
    size_t count = 0; // memset elements
    // Record / Wait
    CUevent_st* ev = nullptr;
    uint64_t ticket = 0;          // Record: the event's record number
    CUstream_st* on = nullptr;    // Wait: the stream the event was recorded on
    uint64_t on_ticket = 0;       // Wait: run it up to this item
};

} // namespace vgemu

struct CUctx_st {
    int ordinal;
    bool alive = true;
    CUresult sticky = CUDA_SUCCESS; // a device fault: every later call fails with it
    std::string sticky_msg;
    std::set<CUstream_st*> streams;
    CUstream_st* legacy = nullptr; // stream 0
};

struct CUstream_st {
    CUctx_st* ctx;
    unsigned flags;
    std::deque<vgemu::Work> q;
    uint64_t pushed = 0, done = 0; // items queued and executed so far
    // Capture.
    bool capturing = false;
    CUstreamCaptureMode mode = CU_STREAM_CAPTURE_MODE_GLOBAL;
    unsigned long capture_thread = 0;
    CUgraph_st* graph = nullptr;
    CUresult invalidated = CUDA_SUCCESS; // why the capture is invalid
    std::string invalid_msg;
};

struct CUevent_st {
    CUctx_st* ctx;
    unsigned flags;
    CUstream_st* stream = nullptr; // last recorded on
    uint64_t on_ticket = 0;        // ... as that stream's item number
    bool captured = false;         // recorded during a capture
    uint64_t records = 0, completed = 0;
    double ms = 0; // time of the last completed record
};

struct CUmod_st {
    CUctx_st* ctx;
    vgemu::ModuleImage image;
    std::vector<CUfunc_st*> funcs;
};

struct CUfunc_st {
    CUmod_st* mod;
    const vgemu::HostKernel* hk;
    const vgemu::KernelInfo* info;
};

struct CUgraph_st {
    CUctx_st* ctx;
    std::vector<vgemu::Work> nodes;
};

struct CUgraphExec_st {
    CUctx_st* ctx;
    std::vector<vgemu::Work> nodes;
};

namespace vgemu {

// api is the driver's lock: every entry point holds it while it touches
// state; work runs on the device thread without it.
extern std::recursive_mutex api;
using Lock = std::lock_guard<std::recursive_mutex>;

extern bool initialized;
extern thread_local CUctx_st* tls_ctx;

// Handle registries (a destroyed handle is an error, not a crash).
extern std::set<CUctx_st*> contexts;
extern std::set<CUstream_st*> streams;
extern std::set<CUevent_st*> events;
extern std::set<CUmod_st*> modules;
extern std::set<CUfunc_st*> functions;
extern std::set<CUgraph_st*> graphs;
extern std::set<CUgraphExec_st*> execs;

// err records the diagnostic of a failed call for vgemu_last_error and
// returns code.
CUresult err(CUresult code, const char* fmt, ...) __attribute__((format(printf, 2, 3)));

// ctx_check returns the current context or the error a call needing one gets
// (not initialised, no context, a sticky fault).
CUresult ctx_check(CUctx_st** ctx);

// stream_resolve maps a CUstream (0: the context's legacy stream).
CUresult stream_resolve(CUctx_st* ctx, CUstream s, CUstream_st** out);

// ctx_stream is ctx_check, then stream_resolve of hs in that context.
CUresult ctx_stream(CUstream hs, CUctx_st** ctx, CUstream_st** s);

// enqueue queues w on s, or records it into s's capture.
CUresult enqueue(CUstream_st* s, Work&& w);

// capture_check applies CUDA's stream-capture rules to a call that is
// unsafe during a capture (allocation, a synchronous copy): it fails, and
// invalidates the capture, when the calling thread captures, or any thread
// captures in global mode.
CUresult capture_check(CUctx_st* ctx, const char* call);

// broad_sync_check fails a call that synchronises the whole context while a
// stream of it is capturing (cuCtxSynchronize, cuMemFree), invalidating the
// capture.
CUresult broad_sync_check(CUctx_st* ctx, const char* call);

// run_until executes s's queued work up to its item number ticket (all of
// it for ~0) on the device thread and returns the context's sticky error.
CUresult run_until(CUstream_st* s, uint64_t ticket);

// run_all executes every stream of ctx.
CUresult run_all(CUctx_st* ctx);

// ctx_destroy frees everything of a context.
void ctx_destroy(CUctx_st* ctx);

// now_ms is a monotonic clock for events.
double now_ms();

unsigned long thread_id();

} // namespace vgemu

#endif
