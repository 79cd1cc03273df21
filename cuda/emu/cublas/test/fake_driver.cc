// The fake driver of fake_driver.h. vgemu_parallel_for runs on a small
// persistent thread pool (fake::threads workers, the caller included), so
// that timings include a realistic hand-off.
#include "fake_driver.h"

#include <stdlib.h>
#include <string.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "vgemu.h"

namespace fake {

bool ctx_current = true;
int cc_major = 8;
bool capturing = false;
CUresult enqueue_result = CUDA_SUCCESS;
int threads = 1;
int enqueued = 0, allocs = 0, frees = 0, faults = 0;
size_t last_alloc_bytes = 0;
CUresult last_fault = CUDA_SUCCESS;
std::string last_fault_msg, last_kernel;

namespace {

std::mutex mu;
std::vector<std::pair<uintptr_t, size_t>> ranges;

// Pool runs body(i) for i in [0, n) on `threads` threads.
class Pool {
 public:
  void run(int n, void (*body)(int, void*), void* ctx, int nthreads) {
    if (nthreads <= 1 || n <= 1) {
      for (int i = 0; i < n; ++i) body(i, ctx);
      return;
    }
    while (int(workers_.size()) < nthreads - 1) workers_.emplace_back([this] { loop(); });
    {
      std::lock_guard<std::mutex> l(m_);
      body_ = body, ctx_ = ctx, n_ = n, active_ = nthreads - 1;
      next_.store(0);
      ++gen_;
    }
    cv_.notify_all();
    work();
    std::unique_lock<std::mutex> l(m_);
    done_.wait(l, [this] { return busy_ == 0 && active_ == 0; });
  }
  ~Pool() {
    {
      std::lock_guard<std::mutex> l(m_);
      stop_ = true;
    }
    cv_.notify_all();
    for (auto& t : workers_) t.join();
  }

 private:
  void work() {
    for (int i; (i = next_.fetch_add(1)) < n_;) body_(i, ctx_);
  }
  void loop() {
    unsigned seen = 0;
    for (;;) {
      {
        std::unique_lock<std::mutex> l(m_);
        cv_.wait(l, [&] { return stop_ || (gen_ != seen && active_ > 0); });
        if (stop_) return;
        seen = gen_;
        --active_, ++busy_;
      }
      work();
      {
        std::lock_guard<std::mutex> l(m_);
        --busy_;
      }
      done_.notify_all();
    }
  }
  std::vector<std::thread> workers_;
  std::mutex m_;
  std::condition_variable cv_, done_;
  void (*body_)(int, void*) = nullptr;
  void* ctx_ = nullptr;
  int n_ = 0, active_ = 0, busy_ = 0;
  unsigned gen_ = 0;
  bool stop_ = false;
  std::atomic<int> next_{0};
};

Pool pool;

}  // namespace

void register_range(const void* p, size_t bytes) {
  std::lock_guard<std::mutex> l(mu);
  ranges.emplace_back(uintptr_t(p), bytes);
}

void unregister_range(const void* p) {
  std::lock_guard<std::mutex> l(mu);
  for (size_t i = 0; i < ranges.size(); ++i)
    if (ranges[i].first == uintptr_t(p)) {
      ranges.erase(ranges.begin() + i);
      return;
    }
}

void clear_ranges() {
  std::lock_guard<std::mutex> l(mu);
  ranges.clear();
}

}  // namespace fake

extern "C" {

CUresult vgemu_enqueue(CUstream, const char* name, vgemu_host_kernel fn, const void* args,
                       size_t size) {
  if (fake::enqueue_result != CUDA_SUCCESS) return fake::enqueue_result;
  ++fake::enqueued;
  fake::last_kernel = name;
  std::vector<char> copy((const char*)args, (const char*)args + size);  // as the driver copies
  fn(copy.data());
  return CUDA_SUCCESS;
}

int vgemu_device_range(CUdeviceptr p, size_t bytes) {
  std::lock_guard<std::mutex> l(fake::mu);
  for (auto& r : fake::ranges)
    if (p >= r.first && bytes <= r.second && p - r.first <= r.second - bytes) return 1;
  return 0;
}

void vgemu_kernel_fault(CUresult code, const char* msg) {
  ++fake::faults;
  fake::last_fault = code;
  fake::last_fault_msg = msg;
}

void vgemu_parallel_for(int n, void (*body)(int i, void* ctx), void* ctx) {
  fake::pool.run(n, body, ctx, fake::threads);
}

const char* vgemu_last_error(void) { return fake::last_fault_msg.c_str(); }

CUresult cuCtxGetCurrent(CUcontext* pctx) {
  *pctx = fake::ctx_current ? reinterpret_cast<CUcontext>(uintptr_t(0x1000)) : nullptr;
  return CUDA_SUCCESS;
}

CUresult cuCtxGetDevice(CUdevice* dev) {
  if (!fake::ctx_current) return CUDA_ERROR_INVALID_CONTEXT;
  *dev = 0;
  return CUDA_SUCCESS;
}

CUresult cuDeviceGetAttribute(int* v, CUdevice_attribute attr, CUdevice) {
  if (attr != CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR) return CUDA_ERROR_INVALID_VALUE;
  *v = fake::cc_major;
  return CUDA_SUCCESS;
}

CUresult cuMemAlloc_v2(CUdeviceptr* p, size_t bytes) {
  if (fake::capturing) return CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED;
  void* mem = calloc(1, bytes);  // zeroed: never read uninitialised
  if (!mem) return CUDA_ERROR_OUT_OF_MEMORY;
  fake::register_range(mem, bytes);
  *p = CUdeviceptr(mem);
  ++fake::allocs;
  fake::last_alloc_bytes = bytes;
  return CUDA_SUCCESS;
}

CUresult cuMemFree_v2(CUdeviceptr p) {
  std::lock_guard<std::mutex> l(fake::mu);
  for (size_t i = 0; i < fake::ranges.size(); ++i)
    if (fake::ranges[i].first == p) {
      fake::ranges.erase(fake::ranges.begin() + i);
      free(reinterpret_cast<void*>(p));
      ++fake::frees;
      return CUDA_SUCCESS;
    }
  return CUDA_ERROR_INVALID_VALUE;
}

CUresult cuCtxSynchronize(void) { return CUDA_SUCCESS; }

}  // extern "C"
