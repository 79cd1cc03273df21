//go:build gpu

package device

import (
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"

	"github.com/vigil-ml/vigil/cuda/kernels"
	"gorgonia.org/cu"
)

// Device is one GPU with its primary context and the loaded kernel module.
type Device struct {
	Index        int
	Name         string
	Major, Minor int   // compute capability
	SMs          int   // streaming multiprocessors
	TotalMem     int64 // bytes

	dev     cu.Device
	ctx     cu.CUContext
	mod     module
	fns     sync.Map // kernel name -> function, filled on first use
	gate    gate     // captures in flight vs calls illegal during them
	closed  atomic.Bool
	closeMu sync.Mutex
}

// call wraps a failed driver call as an error naming it.
func call(name string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w%s", name, err, emulatorDetail())
}

// ErrClosed is returned by methods of a closed Device.
var ErrClosed = errors.New("device: closed")

// Open retains the primary context of GPU index, makes it current and
// loads the embedded kernel module. Close releases both.
func Open(index int) (*Device, error) {
	n, err := cu.NumDevices()
	if err != nil {
		return nil, call("cuDeviceGetCount", err)
	}
	if index < 0 || index >= n {
		return nil, fmt.Errorf("device: GPU %d does not exist (the driver reports %d)", index, n)
	}
	dev, err := cu.GetDevice(index)
	if err != nil {
		return nil, call(fmt.Sprintf("cuDeviceGet(%d)", index), err)
	}
	d := &Device{Index: index, dev: dev}
	if d.Name, err = dev.Name(); err != nil {
		return nil, call("cuDeviceGetName", err)
	}
	if d.Major, d.Minor, err = dev.ComputeCapability(); err != nil {
		return nil, call("cuDeviceGetAttribute(compute capability)", err)
	}
	if d.SMs, err = dev.Attribute(cu.MultiprocessorCount); err != nil {
		return nil, call("cuDeviceGetAttribute(multiprocessor count)", err)
	}
	if d.TotalMem, err = dev.TotalMem(); err != nil {
		return nil, call("cuDeviceTotalMem", err)
	}
	if len(kernels.Fatbin) == 0 {
		return nil, errors.New("device: the embedded kernel fatbin is empty (run make kernels)")
	}
	if d.ctx, err = dev.RetainPrimaryCtx(); err != nil {
		return nil, call("cuDevicePrimaryCtxRetain", err)
	}
	err = d.do(func() error {
		var e error
		d.mod, e = loadModule(kernels.Fatbin)
		return call(fmt.Sprintf("cuModuleLoadData(kernels, sm_%d%d)", d.Major, d.Minor), e)
	})
	if err != nil {
		_ = dev.ReleasePrimaryCtx()
		return nil, err
	}
	return d, nil
}

// bind locks the calling goroutine to its OS thread and makes the primary
// context current there; the returned function unlocks the thread. Locks
// nest (runtime.LockOSThread counts them).
func (d *Device) bind() (func(), error) {
	if d.closed.Load() {
		return nil, ErrClosed
	}
	runtime.LockOSThread()
	if err := cu.SetCurrentContext(d.ctx); err != nil {
		runtime.UnlockOSThread()
		return nil, call("cuCtxSetCurrent", err)
	}
	return runtime.UnlockOSThread, nil
}

// do runs f with the context current.
func (d *Device) do(f func() error) error {
	unbind, err := d.bind()
	if err != nil {
		return err
	}
	defer unbind()
	return f()
}

// exclusive runs f, the driver call name, with the context current once no
// stream of the context is capturing: f frees or allocates memory,
// synchronizes the device or creates or destroys library handles, any of
// which would invalidate a capture in flight. On the goroutine that is
// capturing it fails with ErrCapturing. See gate.
func (d *Device) exclusive(name string, f func() error) error {
	return d.do(func() error {
		done, err := d.gate.exclusive(syscall.Gettid())
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		defer done()
		return f()
	})
}

// Synchronize waits for all work on the device (after any capture in
// flight has ended; see Stream.BeginCapture).
func (d *Device) Synchronize() error {
	return d.exclusive("cuCtxSynchronize", func() error { return call("cuCtxSynchronize", cu.Synchronize()) })
}

// MemInfo returns the free and total device memory in bytes.
func (d *Device) MemInfo() (free, total int64, err error) {
	err = d.do(func() error {
		var e error
		free, total, e = cu.MemInfo()
		return call("cuMemGetInfo", e)
	})
	return free, total, err
}

// Close unloads the kernel module and releases the primary context. Arenas,
// streams, events and cuBLAS handles must be closed first.
func (d *Device) Close() error {
	d.closeMu.Lock()
	defer d.closeMu.Unlock()
	if d.closed.Load() {
		return nil
	}
	err := d.exclusive("cuModuleUnload", func() error { return call("cuModuleUnload", d.mod.unload()) })
	d.closed.Store(true)
	d.fns.Clear()
	if e := call("cuDevicePrimaryCtxRelease", d.dev.ReleasePrimaryCtx()); err == nil {
		err = e
	}
	return err
}

func (d *Device) String() string {
	return fmt.Sprintf("GPU %d: %s (sm_%d%d, %d SMs, %.1f GiB)", d.Index, d.Name, d.Major, d.Minor, d.SMs, float64(d.TotalMem)/(1<<30))
}
