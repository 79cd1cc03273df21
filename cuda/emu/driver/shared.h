// Shared memory of the emulated device: a block's __shared__ array, with the
// checks compute-sanitizer's racecheck and initcheck make. Every element keeps
// the last writer and reader and the barrier interval ("epoch": the number of
// __syncthreads the block has passed) of those accesses; two accesses by
// different threads in one interval, one of them a write, are a race, and a
// read of an element no thread of the block has written is an error.
#ifndef VGEMU_SHARED_H
#define VGEMU_SHARED_H

#include "kernel_rt.h"

namespace vgemu {

template <typename T, int N>
class Shared {
    struct Shadow {
        uint64_t w_epoch, r_epoch; // 0: none in this block
        unsigned w_tid, r_tid;     // r_tid ~0u: several readers
    };

public:
    explicit Shared(const char* name) : name_(name) {}

    class Ref {
    public:
        Ref(Shared* s, int i) : s_(s), i_(i) {}
        operator T() const { return s_->read(i_); }
        Ref& operator=(T v) {
            s_->write(i_, v);
            return *this;
        }
        Ref& operator=(const Ref& r) { return *this = T(r); }
        Ref& operator+=(T v) { return *this = T(*this) + v; }
        Ref& operator-=(T v) { return *this = T(*this) - v; }
        Ref& operator*=(T v) { return *this = T(*this) * v; }

    private:
        Shared* s_;
        int i_;
    };

    Ref operator[](int i) {
        if (i < 0 || i >= N)
            kernel_error("shared memory %s[%d] is out of bounds (%d elements)", name_, i, N);
        return Ref(this, i);
    }

private:
    // sync resets the shadow when a new block runs on this OS thread.
    void sync() {
        const uint64_t b = block_serial();
        if (serial_ == b) return;
        serial_ = b;
        memset(shadow_, 0, sizeof shadow_);
        memset(data_, 0xff, sizeof data_); // NaN for floats: uninitialised
    }
    T read(int i) {
        sync();
        Shadow& s = shadow_[i];
        const uint64_t e = block_epoch();
        const unsigned t = current.thread->linear;
        if (s.w_epoch == 0)
            kernel_error("shared memory %s[%d] is read by thread %u before any thread of the block wrote it", name_, i, t);
        if (s.w_epoch == e && s.w_tid != t)
            kernel_error("race on shared memory %s[%d]: thread %u reads it after thread %u wrote it with no __syncthreads between", name_, i, t, s.w_tid);
        if (s.r_epoch == e) {
            if (s.r_tid != t) s.r_tid = ~0u;
        } else {
            s.r_epoch = e;
            s.r_tid = t;
        }
        return data_[i];
    }
    void write(int i, T v) {
        sync();
        Shadow& s = shadow_[i];
        const uint64_t e = block_epoch();
        const unsigned t = current.thread->linear;
        if (s.w_epoch == e && s.w_tid != t)
            kernel_error("race on shared memory %s[%d]: threads %u and %u write it with no __syncthreads between", name_, i, s.w_tid, t);
        if (s.r_epoch == e && s.r_tid != t) {
            if (s.r_tid == ~0u)
                kernel_error("race on shared memory %s[%d]: thread %u writes it after other threads read it with no __syncthreads between", name_, i, t);
            kernel_error("race on shared memory %s[%d]: thread %u writes it after thread %u read it with no __syncthreads between", name_, i, t, s.r_tid);
        }
        s.w_epoch = e;
        s.w_tid = t;
        data_[i] = v;
    }

    const char* name_;
    uint64_t serial_ = 0;
    T data_[N];
    Shadow shadow_[N];
};

} // namespace vgemu

#endif
