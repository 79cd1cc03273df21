// Execution engine of the emulated device; see engine.h.
#include "engine.h"

#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

extern "C" void vgemu_fiber_switch(void** from, void* to);
extern "C" void vgemu_fiber_start();

namespace vgemu {

thread_local Current current;

namespace {

// KernelAbort unwinds a CUDA thread that hit an error in kernel code.
struct KernelAbort {
    std::string msg;
};

constexpr size_t kStackBytes = 256 << 10; // per CUDA thread (fiber)
constexpr size_t kPage = 4096;

std::atomic<uint64_t> block_serials{0};

// Rec is a CUDA thread of a running block.
struct Rec : Thread {
    enum State { READY, BARRIER, WARP, DONE } state;
    bool fiber;      // runs on a fiber (else directly, and may not block)
    int yields;      // how often it blocked
    uint64_t ops;    // warp collectives done
    unsigned mask;   // of the pending collective
    const char* what;
    void* sp;        // saved stack pointer while suspended
    void* stack;     // fiber stack (from the worker's pool)
};

// Warp holds the values exchanged by one warp collective (double-buffered by
// the collective's parity: a lane cannot be two collectives ahead).
struct Warp {
    uint64_t vals[2][32];
};

} // namespace

struct Block {
    uint3v idx;
    uint64_t serial;
    uint64_t epoch; // __syncthreads passed + 1
    const HostKernel* k;
    const void* args;
    const Dims* dims;
    std::vector<Rec> t;
    std::vector<Warp> warps;
    bool failed;
    std::string err;
};

namespace {

// Worker is the per-OS-thread state of the engine.
struct Worker {
    void* sched_sp = nullptr;
    std::vector<void*> stacks; // fiber stacks, reused
    sigjmp_buf fault_jmp;
    volatile sig_atomic_t guarded = 0;
    volatile uintptr_t fault_addr = 0;
    volatile int fault_sig = 0;
    Block* block = nullptr;
    bool altstack = false;

    void* stack(size_t i) {
        while (stacks.size() <= i) {
            void* p = mmap(nullptr, kStackBytes + kPage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
            if (p == MAP_FAILED) {
                perror("vigil emulated GPU: fiber stack");
                abort();
            }
            mprotect(p, kPage, PROT_NONE); // overflow guard
            stacks.push_back(p);
        }
        return stacks[i];
    }
    void ensure_altstack() {
        if (altstack) return;
        stack_t ss{};
        ss.ss_size = 64 << 10;
        ss.ss_sp = malloc(ss.ss_size);
        sigaltstack(&ss, nullptr);
        altstack = true;
    }
};

thread_local Worker* worker_tls;

Worker& worker() {
    if (!worker_tls) worker_tls = new Worker; // lives as long as its thread
    return *worker_tls;
}

Rec* me() { return static_cast<Rec*>(current.thread); }

void yield(Rec* r) {
    r->yields++;
    vgemu_fiber_switch(&r->sp, worker().sched_sp);
}

void resume(Block& b, Rec* r) {
    current.thread = r;
    vgemu_fiber_switch(&worker().sched_sp, r->sp);
    (void)b;
}

// fiber_main runs one CUDA thread on its fiber and never returns.
void fiber_main(Rec* r) {
    Block* b = r->block;
    try {
        b->k->invoke(b->k->fn, b->args);
    } catch (KernelAbort& e) {
        if (!b->failed) {
            b->failed = true;
            b->err = e.msg;
        }
    } catch (...) {
        if (!b->failed) {
            b->failed = true;
            b->err = "unexpected C++ exception";
        }
    }
    r->state = Rec::DONE;
    for (;;) vgemu_fiber_switch(&r->sp, worker().sched_sp);
}

void start_fiber(Rec* r, void* stack) {
    r->fiber = true;
    r->stack = stack;
    uintptr_t top = (reinterpret_cast<uintptr_t>(stack) + kPage + kStackBytes) & ~uintptr_t(15);
    uint64_t* sp = reinterpret_cast<uint64_t*>(top - 88);
    sp[0] = 0x037f;                                         // x87 control word
    sp[1] = 0x1f80;                                         // MXCSR
    sp[2] = sp[3] = 0;                                      // r15, r14
    sp[4] = reinterpret_cast<uint64_t>(&fiber_main);        // r13: function
    sp[5] = reinterpret_cast<uint64_t>(r);                  // r12: argument
    sp[6] = sp[7] = 0;                                      // rbx, rbp
    sp[8] = reinterpret_cast<uint64_t>(&vgemu_fiber_start); // return address
    r->sp = sp;
}

// run_direct runs a CUDA thread to its end on the worker's own stack.
bool run_direct(Block& b, Rec* r) {
    current.thread = r;
    try {
        b.k->invoke(b.k->fn, b.args);
    } catch (KernelAbort& e) {
        b.failed = true;
        b.err = e.msg;
    }
    r->state = Rec::DONE;
    return !b.failed;
}

// release_warp completes the collective all live lanes of warp w wait at.
// It returns false when the warp is not ready; an error when it never can be.
bool release_warp(Block& b, unsigned w, unsigned n) {
    const unsigned lo = w * 32, hi = lo + 32 < n ? lo + 32 : n;
    bool any = false;
    for (unsigned i = lo; i < hi; i++) any |= b.t[i].state == Rec::WARP;
    if (!any) return false;
    const Rec& first = b.t[lo];
    for (unsigned i = lo; i < hi; i++) {
        const Rec& r = b.t[i];
        if (r.state == Rec::WARP) continue;
        const Rec* at = nullptr;
        for (unsigned j = lo; j < hi; j++)
            if (b.t[j].state == Rec::WARP) at = &b.t[j];
        if (r.state == Rec::DONE)
            kernel_error("warp %u: thread %u exited while thread %u waits in %s with lane %u in its mask (divergent warp collective)", w, r.linear, at->linear, at->what, i - lo);
        if (r.state == Rec::BARRIER) {
            (void)first;
            kernel_error("warp %u: thread %u waits at __syncthreads while thread %u waits in %s (divergent)", w, r.linear, at->linear, at->what);
        }
        return false;
    }
    for (unsigned i = lo + 1; i < hi; i++) {
        if (b.t[i].ops != b.t[lo].ops || b.t[i].mask != b.t[lo].mask)
            kernel_error("warp %u: threads %u and %u wait in different warp collectives (%s #%llu mask %#x, %s #%llu mask %#x)", w,
                 b.t[lo].linear, b.t[i].linear, b.t[lo].what, (unsigned long long)b.t[lo].ops, b.t[lo].mask, b.t[i].what,
                 (unsigned long long)b.t[i].ops, b.t[i].mask);
    }
    for (unsigned i = lo; i < hi; i++) b.t[i].state = Rec::READY;
    for (unsigned i = lo; i < hi && !b.failed; i++) resume(b, &b.t[i]);
    return true;
}

void run_block(Block& b) {
    Worker& wk = worker();
    const unsigned n = b.t.size(), nwarps = (n + 31) / 32;
    size_t stacks = 0;
    // Probe each warp with its lane 0: a warp whose lane 0 never blocks runs
    // its other lanes directly (cheap), and any of them that reaches a
    // collective is divergent from lane 0.
    for (unsigned w = 0; w < nwarps && !b.failed; w++) {
        const unsigned lo = w * 32, hi = lo + 32 < n ? lo + 32 : n;
        Rec* l0 = &b.t[lo];
        start_fiber(l0, wk.stack(stacks++));
        resume(b, l0);
        if (b.failed) break;
        const bool direct = l0->state == Rec::DONE && l0->yields == 0;
        for (unsigned i = lo + 1; i < hi && !b.failed; i++) {
            if (direct) {
                run_direct(b, &b.t[i]);
            } else {
                start_fiber(&b.t[i], wk.stack(stacks++));
                resume(b, &b.t[i]);
            }
        }
    }
    while (!b.failed) {
        bool progressed = false;
        for (unsigned w = 0; w < nwarps && !b.failed; w++) progressed |= release_warp(b, w, n);
        if (b.failed || progressed) continue;
        unsigned at_barrier = 0, done = 0;
        for (auto& r : b.t) {
            at_barrier += r.state == Rec::BARRIER;
            done += r.state == Rec::DONE;
        }
        if (done == n) break;
        if (at_barrier + done != n)
            kernel_error("deadlock: %u threads wait at __syncthreads, %u exited, the rest wait in warp collectives", at_barrier, done);
        if (done > 0) {
            unsigned d = 0, a = 0;
            for (auto& r : b.t) {
                if (r.state == Rec::DONE) d = r.linear;
                else a = r.linear;
            }
            kernel_error("__syncthreads #%llu is reached by %u threads (e.g. %u) while %u threads exited before it (e.g. %u): divergent barrier",
                 (unsigned long long)b.epoch, at_barrier, a, done, d);
        }
        b.epoch++;
        for (auto& r : b.t) r.state = Rec::READY;
        for (unsigned i = 0; i < n && !b.failed; i++) resume(b, &b.t[i]);
    }
}

// fault_handler turns a memory fault of device work into a failed launch;
// other faults go to the handler that was there before (Go's runtime).
struct sigaction prev_segv, prev_bus;

void fault_handler(int sig, siginfo_t* info, void* uctx) {
    Worker* w = worker_tls;
    if (w && w->guarded) {
        w->guarded = 0;
        w->fault_addr = reinterpret_cast<uintptr_t>(info->si_addr);
        w->fault_sig = sig;
        siglongjmp(w->fault_jmp, 1);
    }
    struct sigaction* p = sig == SIGSEGV ? &prev_segv : &prev_bus;
    if (p->sa_flags & SA_SIGINFO) {
        p->sa_sigaction(sig, info, uctx);
    } else if (p->sa_handler == SIG_DFL || p->sa_handler == SIG_IGN) {
        signal(sig, SIG_DFL);
        raise(sig);
    } else {
        p->sa_handler(sig);
    }
}

std::string thread_desc(const Thread* t, const uint3v* bidx) {
    char buf[160];
    if (!t) return "";
    snprintf(buf, sizeof buf, " in block (%u,%u,%u) thread (%u,%u,%u)", bidx ? bidx->x : 0, bidx ? bidx->y : 0, bidx ? bidx->z : 0,
             t->idx.x, t->idx.y, t->idx.z);
    return buf;
}

// run_block_guarded runs block (x, y, z) of a launch on this OS thread.
bool run_block_guarded(const HostKernel& k, const void* args, const Dims& dims, uint3v idx, Fault* f) {
    Worker& wk = worker();
    wk.ensure_altstack();
    Block b;
    b.idx = idx;
    b.serial = ++block_serials;
    b.epoch = 1;
    b.k = &k;
    b.args = args;
    b.dims = &dims;
    b.failed = false;
    const unsigned bx = dims.block.x, by = dims.block.y, bz = dims.block.z;
    b.t.resize(size_t(bx) * by * bz);
    b.warps.resize((b.t.size() + 31) / 32);
    for (unsigned z = 0, i = 0; z < bz; z++)
        for (unsigned y = 0; y < by; y++)
            for (unsigned x = 0; x < bx; x++, i++) {
                Rec& r = b.t[i];
                r = Rec{};
                r.idx = {x, y, z};
                r.linear = i;
                r.block = &b;
                r.state = Rec::READY;
            }
    current.block = &b;
    current.dims = &dims;
    current.block_idx = &b.idx;
    current.thread = nullptr;
    wk.block = &b;
    if (sigsetjmp(wk.fault_jmp, 1) == 0) {
        wk.guarded = 1;
        try {
            run_block(b);
        } catch (KernelAbort& e) {
            b.failed = true;
            b.err = e.msg;
        }
        wk.guarded = 0;
    } else {
        char buf[256];
        snprintf(buf, sizeof buf, "kernel %s: %s at address %#lx%s", k.name, wk.fault_sig == SIGBUS ? "bus error" : "invalid memory access",
                 (unsigned long)wk.fault_addr, thread_desc(current.thread, &b.idx).c_str());
        f->code = 700; // CUDA_ERROR_ILLEGAL_ADDRESS
        f->msg = std::string(buf) + ": " + fault_describe(wk.fault_addr);
        wk.block = nullptr;
        current = Current{};
        return false;
    }
    wk.block = nullptr;
    current = Current{};
    if (b.failed) {
        f->code = 719; // CUDA_ERROR_LAUNCH_FAILED
        f->msg = std::string("kernel ") + k.name + thread_desc(nullptr, nullptr) + ": block (" + std::to_string(idx.x) + "," +
                 std::to_string(idx.y) + "," + std::to_string(idx.z) + "): " + b.err;
        return false;
    }
    return true;
}

// The pool: the calling thread and workers()-1 helpers share the indices of
// a parallel_for.
struct Pool {
    std::mutex mu;
    std::condition_variable cv, done_cv;
    uint64_t gen = 0;
    int n = 0, busy = 0;
    std::atomic<int> next{0};
    void (*body)(int, void*) = nullptr;
    void* ctx = nullptr;
    int size = 0;
    bool started = false;
    std::mutex run_mu; // one parallel_for at a time

    void start() {
        const char* env = getenv("VIGIL_EMU_THREADS");
        size = env ? atoi(env) : (int)std::thread::hardware_concurrency();
        if (size < 1) size = 1;
        if (size > 64) size = 64;
        for (int i = 1; i < size; i++) std::thread([this] { loop(); }).detach();
        started = true;
    }
    void drain() {
        for (int i; (i = next.fetch_add(1)) < n;) body(i, ctx);
    }
    void loop() {
        uint64_t seen = 0;
        for (;;) {
            {
                std::unique_lock<std::mutex> l(mu);
                cv.wait(l, [&] { return gen != seen; });
                seen = gen;
                busy++;
            }
            drain();
            std::lock_guard<std::mutex> l(mu);
            if (--busy == 0) done_cv.notify_all();
        }
    }
    void run(int count, void (*f)(int, void*), void* c) {
        std::lock_guard<std::mutex> g(run_mu);
        if (!started) start();
        if (count <= 1 || size == 1) {
            for (int i = 0; i < count; i++) f(i, c);
            return;
        }
        {
            std::lock_guard<std::mutex> l(mu);
            n = count;
            body = f;
            ctx = c;
            next = 0;
            gen++;
        }
        cv.notify_all();
        drain();
        std::unique_lock<std::mutex> l(mu);
        done_cv.wait(l, [&] { return busy == 0 && next.load() >= n; });
    }
};

Pool& pool = *new Pool; // never destroyed: its threads outlive static destructors

struct LaunchRun {
    const HostKernel* k;
    const void* args;
    const Dims* dims;
    std::atomic<bool> failed{false};
    std::mutex mu;
    Fault fault;
};

void launch_body(int i, void* ctx) {
    LaunchRun* lr = static_cast<LaunchRun*>(ctx);
    if (lr->failed.load(std::memory_order_relaxed)) return;
    const Dims& d = *lr->dims;
    const unsigned gx = d.grid.x, gy = d.grid.y;
    const uint3v idx{unsigned(i % gx), unsigned(i / gx % gy), unsigned(i / gx / gy)};
    Fault f;
    if (!run_block_guarded(*lr->k, lr->args, d, idx, &f)) {
        std::lock_guard<std::mutex> l(lr->mu);
        if (!lr->failed.exchange(true)) lr->fault = f;
    }
}

} // namespace

void syncthreads() {
    Rec* r = me();
    if (!r->fiber)
        kernel_error("thread %u reaches __syncthreads #%llu, which lane 0 of its warp exited without reaching (divergent barrier)", r->linear,
             (unsigned long long)r->block->epoch);
    r->state = Rec::BARRIER;
    yield(r);
}

uint64_t warp_exchange(unsigned mask, uint64_t v, int src, int width, const char* what) {
    Rec* r = me();
    Block& b = *r->block;
    const unsigned n = b.t.size(), w = r->linear / 32, lo = w * 32, hi = lo + 32 < n ? lo + 32 : n;
    const unsigned full = hi - lo == 32 ? 0xffffffffu : (1u << (hi - lo)) - 1;
    if (mask != full)
        kernel_error("%s with mask %#x in warp %u of %u threads: the emulated device runs collectives of whole warps only", what, mask, w, hi - lo);
    if (width <= 0 || width > 32 || (width & (width - 1)))
        kernel_error("%s with width %d (a power of 2 up to 32)", what, width);
    if (!r->fiber)
        kernel_error("thread %u calls %s, which lane 0 of its warp exited without calling (divergent warp collective)", r->linear, what);
    const unsigned buf = r->ops & 1;
    b.warps[w].vals[buf][r->linear - lo] = v;
    r->ops++;
    r->mask = mask;
    r->what = what;
    r->state = Rec::WARP;
    yield(r);
    if (src < 0 || src >= int(hi - lo)) return v;
    return b.warps[w].vals[buf][src];
}

unsigned warp_ballot(unsigned mask, int pred, const char* what) {
    Rec* r = me();
    Block& b = *r->block;
    const unsigned w = r->linear / 32, lo = w * 32, n = b.t.size(), hi = lo + 32 < n ? lo + 32 : n;
    const unsigned buf = r->ops & 1;
    warp_exchange(mask, pred != 0, 0, 32, what);
    unsigned bits = 0;
    for (unsigned i = 0; i < hi - lo; i++)
        if (b.warps[w].vals[buf][i]) bits |= 1u << i;
    return bits & mask;
}

void syncwarp(unsigned mask) { warp_exchange(mask, 0, 0, 32, "__syncwarp"); }

uint64_t block_serial() { return current.thread->block->serial; }
uint64_t block_epoch() { return current.thread->block->epoch; }

void kernel_error(const char* fmt, ...) {
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    throw KernelAbort{buf};
}

bool run_kernel(const HostKernel& k, const void* args, const Dims& dims, Fault* f) {
    LaunchRun lr;
    lr.k = &k;
    lr.args = args;
    lr.dims = &dims;
    const uint64_t blocks = uint64_t(dims.grid.x) * dims.grid.y * dims.grid.z;
    pool.run(int(blocks), launch_body, &lr);
    if (lr.failed) {
        *f = lr.fault;
        return false;
    }
    return true;
}

bool run_guarded(const char* what, void (*fn)(void*), void* ctx, Fault* f) {
    Worker& wk = worker();
    wk.ensure_altstack();
    if (sigsetjmp(wk.fault_jmp, 1) == 0) {
        wk.guarded = 1;
        fn(ctx);
        wk.guarded = 0;
        return true;
    }
    char buf[256];
    snprintf(buf, sizeof buf, "%s: invalid memory access at address %#lx", what, (unsigned long)wk.fault_addr);
    f->code = 700;
    f->msg = std::string(buf) + ": " + fault_describe(wk.fault_addr);
    return false;
}

void parallel_for(int n, void (*body)(int, void*), void* ctx) { pool.run(n, body, ctx); }

int workers() {
    if (!pool.started) {
        std::lock_guard<std::mutex> g(pool.run_mu);
        if (!pool.started) pool.start();
    }
    return pool.size;
}

void install_fault_handler() {
    static std::once_flag once;
    std::call_once(once, [] {
        struct sigaction sa{};
        sa.sa_sigaction = fault_handler;
        sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESTART;
        sigfillset(&sa.sa_mask); // as Go's runtime installs its own handler
        sigaction(SIGSEGV, &sa, &prev_segv);
        sigaction(SIGBUS, &sa, &prev_bus);
    });
}

} // namespace vgemu
