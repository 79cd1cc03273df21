//go:build gpu

package device

/*
#cgo LDFLAGS: -ldl
#include <dlfcn.h>
#include <stdint.h>
#include <stdlib.h>

// The cuBLAS v2 C API, declared here so that no CUDA header or library is
// needed at build time; the functions are resolved with dlsym at run time.
// cublasStatus_t and cublasOperation_t are C enums (int); handles and
// streams are pointers.
typedef int (*vg_create_t)(void**);
typedef int (*vg_destroy_t)(void*);
typedef int (*vg_set_stream_t)(void*, void*);
typedef int (*vg_set_workspace_t)(void*, void*, size_t);
typedef int (*vg_get_version_t)(void*, int*);
typedef int (*vg_set_math_mode_t)(void*, int);
typedef int (*vg_sgemm_t)(void*, int, int, int, int, int, const float*,
                          const float*, int, const float*, int, const float*,
                          float*, int);
typedef int (*vg_sgemm_sb_t)(void*, int, int, int, int, int, const float*,
                             const float*, int, long long, const float*, int,
                             long long, const float*, float*, int, long long,
                             int);

static void* vg_dlopen(const char* name) { return dlopen(name, RTLD_NOW | RTLD_LOCAL); }
static void* vg_dlsym(void* lib, const char* name) { return dlsym(lib, name); }
static const char* vg_dlerror(void) { return dlerror(); }
static int vg_dlclose(void* lib) { return dlclose(lib); }

static int vg_create(void* f, uintptr_t* h) {
	void* p = 0;
	int st = ((vg_create_t)f)(&p);
	*h = (uintptr_t)p;
	return st;
}
static int vg_destroy(void* f, uintptr_t h) { return ((vg_destroy_t)f)((void*)h); }
static int vg_set_stream(void* f, uintptr_t h, uintptr_t s) {
	return ((vg_set_stream_t)f)((void*)h, (void*)s);
}
static int vg_set_workspace(void* f, uintptr_t h, uintptr_t w, size_t n) {
	return ((vg_set_workspace_t)f)((void*)h, (void*)w, n);
}
static int vg_get_version(void* f, uintptr_t h, int* v) {
	return ((vg_get_version_t)f)((void*)h, v);
}
static int vg_set_math_mode(void* f, uintptr_t h, int mode) {
	return ((vg_set_math_mode_t)f)((void*)h, mode);
}
static int vg_sgemm(void* f, uintptr_t h, int ta, int tb, int m, int n, int k,
                    float alpha, uintptr_t a, int lda, uintptr_t b, int ldb,
                    float beta, uintptr_t c, int ldc) {
	return ((vg_sgemm_t)f)((void*)h, ta, tb, m, n, k, &alpha,
	                       (const float*)a, lda, (const float*)b, ldb, &beta,
	                       (float*)c, ldc);
}
static int vg_sgemm_sb(void* f, uintptr_t h, int ta, int tb, int m, int n,
                       int k, float alpha, uintptr_t a, int lda, long long sa,
                       uintptr_t b, int ldb, long long sb, float beta,
                       uintptr_t c, int ldc, long long sc, int batch) {
	return ((vg_sgemm_sb_t)f)((void*)h, ta, tb, m, n, k, &alpha,
	                          (const float*)a, lda, sa, (const float*)b, ldb,
	                          sb, &beta, (float*)c, ldc, sc, batch);
}
*/
import "C"

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"unsafe"

	"gorgonia.org/cu"
)

// CublasLibraries are the cuBLAS sonames tried, in order.
var CublasLibraries = []string{"libcublas.so.13", "libcublas.so.12", "libcublas.so.11"}

// cuBLAS operations (cublasOperation_t) and math modes (cublasMath_t).
const (
	cublasOpN = 0
	cublasOpT = 1

	cublasDefaultMath      = 0
	cublasTF32TensorOpMath = 3
)

// cublasStatusNames are the cublasStatus_t values.
var cublasStatusNames = map[int]string{
	0: "CUBLAS_STATUS_SUCCESS", 1: "CUBLAS_STATUS_NOT_INITIALIZED", 3: "CUBLAS_STATUS_ALLOC_FAILED",
	7: "CUBLAS_STATUS_INVALID_VALUE", 8: "CUBLAS_STATUS_ARCH_MISMATCH", 11: "CUBLAS_STATUS_MAPPING_ERROR",
	13: "CUBLAS_STATUS_EXECUTION_FAILED", 14: "CUBLAS_STATUS_INTERNAL_ERROR",
	15: "CUBLAS_STATUS_NOT_SUPPORTED", 16: "CUBLAS_STATUS_LICENSE_ERROR",
}

// blasErr wraps a non-zero cublasStatus_t as an error naming the call.
func blasErr(name string, st C.int) error {
	if st == 0 {
		return nil
	}
	s, ok := cublasStatusNames[int(st)]
	if !ok {
		s = fmt.Sprintf("cublasStatus %d", int(st))
	}
	return fmt.Errorf("%s: %s", name, s)
}

// WorkspaceBytes is the size of the cuBLAS workspace a Blas owns on a GPU
// of compute capability major: the cuBLAS documentation recommends 32 MiB
// on Hopper and at least 4 MiB (the size of cuBLAS's own default pool)
// elsewhere (cublasSetWorkspace).
func WorkspaceBytes(major int) int64 {
	if major >= 9 {
		return 32 << 20
	}
	return 4 << 20
}

// Blas is a cuBLAS handle on the device, bound to one stream at a time.
//
// It owns its workspace, device memory set with cublasSetWorkspace_v2
// after every cublasSetStream_v2 (which resets the handle to cuBLAS's
// default workspace pool): with a user workspace, SGEMMs captured into a
// CUDA graph allocate nothing during the capture, and every launch of the
// graph uses the same workspace, which stays allocated until Close.
type Blas struct {
	d         *Device
	Library   string // the soname that was loaded
	Version   int    // cublasGetVersion (e.g. 120402), 0 if unknown
	Workspace int64  // bytes of the handle's workspace

	lib                      unsafe.Pointer
	create, destroy, setStrm unsafe.Pointer
	setWorkspace             unsafe.Pointer
	sgemm, sgemmStridedBatch unsafe.Pointer
	handle                   C.uintptr_t
	workspace                cu.DevicePtr
	stream                   *Stream
}

// dlopenCublas loads the first of CublasLibraries that loads. The thread is
// locked so that dlerror reports on the same thread as dlopen.
func dlopenCublas() (unsafe.Pointer, string, error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var msgs []string
	for _, name := range CublasLibraries {
		cs := C.CString(name)
		lib := C.vg_dlopen(cs)
		C.free(unsafe.Pointer(cs))
		if lib != nil {
			return lib, name, nil
		}
		msg := name + ": unknown error"
		if e := C.vg_dlerror(); e != nil {
			msg = C.GoString(e) // names the file
		}
		msgs = append(msgs, msg)
	}
	return nil, "", fmt.Errorf("cuBLAS: no library could be loaded (tried %s): %s",
		strings.Join(CublasLibraries, ", "), strings.Join(msgs, "; "))
}

func dlsym(lib unsafe.Pointer, soname, name string) (unsafe.Pointer, error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	cs := C.CString(name)
	defer C.free(unsafe.Pointer(cs))
	C.vg_dlerror() // clear
	p := C.vg_dlsym(lib, cs)
	if p == nil {
		msg := "symbol not found"
		if e := C.vg_dlerror(); e != nil {
			msg = C.GoString(e)
		}
		return nil, fmt.Errorf("cuBLAS: dlsym(%s, %s): %s", soname, name, msg)
	}
	return p, nil
}

// OpenBlas loads cuBLAS (CublasLibraries, first that loads), creates a
// handle on the device's primary context and allocates its workspace
// (WorkspaceBytes). Both allocate device memory: like NewArena, it waits
// for the captures in flight and fails with ErrCapturing on the capturing
// goroutine.
func (d *Device) OpenBlas() (*Blas, error) {
	lib, soname, err := dlopenCublas()
	if err != nil {
		return nil, err
	}
	b := &Blas{d: d, Library: soname, lib: lib, Workspace: WorkspaceBytes(d.Major)}
	syms := []struct {
		name string
		p    *unsafe.Pointer
	}{
		{"cublasCreate_v2", &b.create}, {"cublasDestroy_v2", &b.destroy},
		{"cublasSetStream_v2", &b.setStrm}, {"cublasSetWorkspace_v2", &b.setWorkspace},
		{"cublasSgemm_v2", &b.sgemm},
		{"cublasSgemmStridedBatched", &b.sgemmStridedBatch},
	}
	for _, s := range syms {
		if *s.p, err = dlsym(lib, soname, s.name); err != nil {
			C.vg_dlclose(lib)
			return nil, err
		}
	}
	err = d.exclusive("cublasCreate_v2", func() error {
		var h C.uintptr_t
		if e := blasErr("cublasCreate_v2", C.vg_create(b.create, &h)); e != nil {
			return e
		}
		ws, e := cu.MemAlloc(b.Workspace)
		if e != nil {
			C.vg_destroy(b.destroy, h)
			return call(fmt.Sprintf("cuMemAlloc(cuBLAS workspace, %d bytes)", b.Workspace), e)
		}
		b.handle, b.workspace = h, ws
		if gv, e := dlsym(lib, soname, "cublasGetVersion_v2"); e == nil {
			var v C.int
			if C.vg_get_version(gv, b.handle, &v) == 0 {
				b.Version = int(v)
			}
		}
		return nil
	})
	if err != nil {
		C.vg_dlclose(lib)
		return nil, err
	}
	return b, nil
}

// bindStream points the handle at s, and at its workspace again (only
// when the stream changes).
func (b *Blas) bindStream(s *Stream) error {
	if b.stream == s {
		return nil
	}
	b.stream = nil
	st := C.vg_set_stream(b.setStrm, b.handle, C.uintptr_t(uintptr(unsafe.Pointer(s.s.C()))))
	if err := blasErr("cublasSetStream_v2", st); err != nil {
		return err
	}
	st = C.vg_set_workspace(b.setWorkspace, b.handle, C.uintptr_t(b.workspace), C.size_t(b.Workspace))
	if err := blasErr(fmt.Sprintf("cublasSetWorkspace_v2(%d bytes)", b.Workspace), st); err != nil {
		return err
	}
	b.stream = s
	return nil
}

// Gemm is one row-major matrix product (or a batch of them, see
// GemmStridedBatched): C = alpha·op(A)·op(B) + beta·C with op(A) M×K and
// op(B) K×N; A is stored M×K, or K×M with TransA; B is stored K×N, or N×K
// with TransB; C is M×N; all contiguous row-major.
type Gemm struct {
	M, N, K        int
	TransA, TransB bool
	Alpha, Beta    float32
}

// args maps the row-major product onto column-major cuBLAS: a row-major
// X (r×c) is the column-major X^T, so C^T = op(B)^T·op(A)^T is computed
// with B first: m' = N, n' = M, same K.
func (g Gemm) args() (opB, opA C.int, m, n, k, ldb, lda, ldc C.int) {
	opA, opB = cublasOpN, cublasOpN
	lda, ldb = C.int(g.K), C.int(g.N)
	if g.TransA {
		opA, lda = cublasOpT, C.int(g.M)
	}
	if g.TransB {
		opB, ldb = cublasOpT, C.int(g.K)
	}
	return opB, opA, C.int(g.N), C.int(g.M), C.int(g.K), ldb, lda, C.int(g.N)
}

func (g Gemm) check(name string, a, b, c Buffer, batch int, strideA, strideB, strideC int) error {
	if g.M < 1 || g.N < 1 || g.K < 1 || batch < 1 {
		return fmt.Errorf("device: %s: sizes M=%d N=%d K=%d batch %d", name, g.M, g.N, g.K, batch)
	}
	if err := checkN(name, g.M, g.K); err != nil {
		return err
	}
	if err := checkN(name, g.K, g.N); err != nil {
		return err
	}
	if err := checkN(name, g.M, g.N); err != nil {
		return err
	}
	for _, o := range []struct {
		what   string
		buf    Buffer
		size   int
		stride int
	}{{"A", a, g.M * g.K, strideA}, {"B", b, g.K * g.N, strideB}, {"C", c, g.M * g.N, strideC}} {
		if o.stride < 0 {
			return fmt.Errorf("device: %s: negative stride of %s", name, o.what)
		}
		if err := checkLen(name, o.what, o.buf, (batch-1)*o.stride+o.size); err != nil {
			return err
		}
	}
	return nil
}

// Gemm computes C = alpha·op(A)·op(B) + beta·C on s (row-major, see Gemm).
func (b *Blas) Gemm(s *Stream, g Gemm, A, B, Cm Buffer) error {
	if err := g.check("cublasSgemm_v2", A, B, Cm, 1, 0, 0, 0); err != nil {
		return err
	}
	return s.do(func() error {
		if err := b.bindStream(s); err != nil {
			return err
		}
		opB, opA, m, n, k, ldb, lda, ldc := g.args()
		st := C.vg_sgemm(b.sgemm, b.handle, opB, opA, m, n, k, C.float(g.Alpha),
			C.uintptr_t(B.Ptr), ldb, C.uintptr_t(A.Ptr), lda, C.float(g.Beta), C.uintptr_t(Cm.Ptr), ldc)
		return blasErr(fmt.Sprintf("cublasSgemm_v2(M=%d N=%d K=%d tA=%v tB=%v)", g.M, g.N, g.K, g.TransA, g.TransB), st)
	})
}

// GemmStridedBatched computes batch products, the i-th on A + i·strideA,
// B + i·strideB and C + i·strideC (element strides; 0 reuses one matrix
// for every product, e.g. shared weights).
func (b *Blas) GemmStridedBatched(s *Stream, g Gemm, A Buffer, strideA int, B Buffer, strideB int, Cm Buffer, strideC int, batch int) error {
	const name = "cublasSgemmStridedBatched"
	if err := g.check(name, A, B, Cm, batch, strideA, strideB, strideC); err != nil {
		return err
	}
	return s.do(func() error {
		if err := b.bindStream(s); err != nil {
			return err
		}
		opB, opA, m, n, k, ldb, lda, ldc := g.args()
		st := C.vg_sgemm_sb(b.sgemmStridedBatch, b.handle, opB, opA, m, n, k, C.float(g.Alpha),
			C.uintptr_t(B.Ptr), ldb, C.longlong(strideB), C.uintptr_t(A.Ptr), lda, C.longlong(strideA),
			C.float(g.Beta), C.uintptr_t(Cm.Ptr), ldc, C.longlong(strideC), C.int(batch))
		return blasErr(fmt.Sprintf("%s(M=%d N=%d K=%d tA=%v tB=%v batch=%d)", name, g.M, g.N, g.K, g.TransA, g.TransB, batch), st)
	})
}

// AllowTF32 lets (on) or forbids (off, the default) SGEMM to round its
// inputs to TF32 on tensor cores (Ampere and later): faster, with about
// 1e-3 relative error, as PyTorch's allow_tf32.
func (b *Blas) AllowTF32(on bool) error {
	f, err := dlsym(b.lib, b.Library, "cublasSetMathMode")
	if err != nil {
		return err
	}
	mode := C.int(cublasDefaultMath)
	if on {
		mode = cublasTF32TensorOpMath
	}
	return b.d.do(func() error {
		return blasErr(fmt.Sprintf("cublasSetMathMode(%d)", int(mode)), C.vg_set_math_mode(f, b.handle, mode))
	})
}

// Close destroys the handle, frees its workspace (no graph that captured
// its calls may run any more) and unloads the library. It waits for the
// captures in flight and fails with ErrCapturing, leaving b open, on the
// capturing goroutine.
func (b *Blas) Close() error {
	if b.lib == nil {
		return nil
	}
	err := b.d.exclusive("cublasDestroy_v2", func() error {
		return errors.Join(blasErr("cublasDestroy_v2", C.vg_destroy(b.destroy, b.handle)),
			call("cuMemFree(cuBLAS workspace)", cu.MemFree(b.workspace)))
	})
	if errors.Is(err, ErrCapturing) {
		return err
	}
	C.vg_dlclose(b.lib)
	b.lib, b.handle, b.workspace, b.stream = nil, 0, 0, nil
	return err
}
