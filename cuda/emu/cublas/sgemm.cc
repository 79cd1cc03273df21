// SGEMM driver: picks the micro-kernel for this CPU (and, of an instruction
// set's two tile shapes, the one that pads C less: a choice made by the
// shape alone), splits C into MC x NC blocks per batch entry and runs them
// on the emulator's workers.
#include "sgemm.h"

#include <stdlib.h>
#include <string.h>

#include <atomic>
#include <mutex>
#include <vector>

#include "vgemu.h"

namespace {

bool cpu_runs(const vg_sgemm_kernel* k) {
  __builtin_cpu_init();
  if (k == &vg_sgemm_avx512) return __builtin_cpu_supports("avx512f");
  if (k == &vg_sgemm_avx2) return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  return true;
}

const vg_sgemm_kernel* by_name(const char* name) {
  for (const vg_sgemm_kernel* k : {&vg_sgemm_generic, &vg_sgemm_avx2, &vg_sgemm_avx512})
    if (strcmp(name, k->name) == 0) return k;
  return nullptr;
}

// The default: AVX-512 where it runs (twice the AVX2 rate on CPUs with
// full-width units), else AVX2 + FMA, else the portable kernel.
const vg_sgemm_kernel* best() {
  for (const vg_sgemm_kernel* k : {&vg_sgemm_avx512, &vg_sgemm_avx2})
    if (cpu_runs(k)) return k;
  return &vg_sgemm_generic;
}

std::atomic<const vg_sgemm_kernel*> g_kernel{nullptr};

const vg_sgemm_kernel* kernel() {
  const vg_sgemm_kernel* k = g_kernel.load(std::memory_order_acquire);
  if (!k) {
    const char* env = getenv("VGEMU_SGEMM_ISA");
    k = vg_sgemm_select(env && *env ? env : nullptr);
  }
  return k;
}

// Packing buffers of every kernel's size (the largest buf_floats, 64-byte
// aligned), reused across tasks and calls; freed when the library is
// unloaded.
class BufferPool {
 public:
  float* get() {
    {
      std::lock_guard<std::mutex> l(mu_);
      if (!free_.empty()) {
        float* b = free_.back();
        free_.pop_back();
        return b;
      }
    }
    int64_t floats = 0;
    for (const vg_sgemm_kernel* k : {&vg_sgemm_generic, &vg_sgemm_avx2, &vg_sgemm_avx512})
      for (; k; k = k->alt) floats = k->buf_floats > floats ? k->buf_floats : floats;
    return static_cast<float*>(aligned_alloc(64, (size_t(floats) * sizeof(float) + 63) & ~size_t(63)));
  }
  void put(float* b) {
    std::lock_guard<std::mutex> l(mu_);
    free_.push_back(b);
  }
  ~BufferPool() {
    for (float* f : free_) free(f);
  }

 private:
  std::mutex mu_;
  std::vector<float*> free_;
};

BufferPool g_pool;

// A run: tasks [first, first + count) of batch x mt x nt blocks.
struct Run {
  const vg_sgemm_args* p;
  const vg_sgemm_kernel* k;
  int64_t mt, nt, first;
  bool scale_only;  // alpha == 0 or k == 0: C = beta*C
};

// scale sets the block to beta*C (0 when beta == 0: C is not read).
void scale(const vg_sgemm_args& p, int64_t b, int64_t ic, int64_t jc, int64_t mc, int64_t nc) {
  float* C = p.C + b * p.strideC + ic + jc * p.ldc;
  for (int64_t j = 0; j < nc; ++j, C += p.ldc)
    for (int64_t i = 0; i < mc; ++i) C[i] = p.beta == 0.0f ? 0.0f : p.beta * C[i];
}

void task(int i, void* ctx) {
  const Run& r = *static_cast<const Run*>(ctx);
  const vg_sgemm_args& p = *r.p;
  const int64_t t = r.first + i, per = r.mt * r.nt;
  const int64_t b = t / per, ic = (t % per) / r.nt * r.k->mc, jc = (t % per) % r.nt * r.k->nc;
  if (r.scale_only) {
    scale(p, b, ic, jc, p.m - ic < r.k->mc ? p.m - ic : r.k->mc, p.n - jc < r.k->nc ? p.n - jc : r.k->nc);
    return;
  }
  float* buf = g_pool.get();
  if (!buf) abort();  // out of host memory: nothing sensible to report
  r.k->block(p, b, ic, jc, buf);
  g_pool.put(buf);
}

}  // namespace

const vg_sgemm_kernel* vg_sgemm_select(const char* name) {
  const vg_sgemm_kernel* k = name ? by_name(name) : nullptr;
  if (!k || !cpu_runs(k)) k = best();
  g_kernel.store(k, std::memory_order_release);
  return k;
}

// padded is the size of C rounded up to k's micro-tiles.
static double padded(const vg_sgemm_kernel* k, int64_t m, int64_t n) {
  return double((m + k->mr - 1) / k->mr * k->mr) * double((n + k->nr - 1) / k->nr * k->nr);
}

void vg_sgemm(const vg_sgemm_args& p) {
  if (p.m <= 0 || p.n <= 0 || p.batch <= 0) return;
  const vg_sgemm_kernel* k = kernel();
  if (k->alt && padded(k->alt, p.m, p.n) < padded(k, p.m, p.n)) k = k->alt;
  Run r{&p, k, 0, 0, 0, p.alpha == 0.0f || p.k <= 0};
  r.mt = (p.m + r.k->mc - 1) / r.k->mc;
  r.nt = (p.n + r.k->nc - 1) / r.k->nc;
  const int64_t tasks = p.batch * r.mt * r.nt;
  // Small products run on this thread: waking workers would cost more.
  const double flops = 2.0 * double(p.m) * double(p.n) * double(p.k > 0 ? p.k : 1) * double(p.batch);
  if (tasks == 1 || flops < 4e5) {
    for (int64_t t = 0; t < tasks; ++t) task(int(t), &r);  // first = 0, t < tasks
    return;
  }
  const int64_t chunk = int64_t(1) << 30;  // vgemu_parallel_for takes an int
  for (r.first = 0; r.first < tasks; r.first += chunk) {
    const int64_t n = tasks - r.first < chunk ? tasks - r.first : chunk;
    vgemu_parallel_for(int(n), task, &r);
  }
}
