//go:build gpu

package device

import (
	"errors"
	"fmt"
	"runtime"
	"sync"

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

	dev    cu.Device
	ctx    cu.CUContext
	mod    cu.Module
	mu     sync.Mutex // guards fns
	fns    map[string]cu.Function
	closed bool
}

// call wraps a failed driver call as an error naming it.
func call(name string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", name, err)
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
	d := &Device{Index: index, dev: dev, fns: map[string]cu.Function{}}
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
	if d.ctx, err = dev.RetainPrimaryCtx(); err != nil {
		return nil, call("cuDevicePrimaryCtxRetain", err)
	}
	unbind, err := d.bind()
	if err != nil {
		_ = dev.ReleasePrimaryCtx()
		return nil, err
	}
	defer unbind()
	if len(kernels.Fatbin) == 0 {
		_ = dev.ReleasePrimaryCtx()
		return nil, errors.New("device: the embedded kernel fatbin is empty (run make kernels)")
	}
	if d.mod, err = cu.LoadData(string(kernels.Fatbin)); err != nil {
		_ = dev.ReleasePrimaryCtx()
		return nil, call(fmt.Sprintf("cuModuleLoadData(kernels, sm_%d%d)", d.Major, d.Minor), err)
	}
	return d, nil
}

// bind locks the calling goroutine to its OS thread and makes the primary
// context current there; the returned function unlocks the thread.
func (d *Device) bind() (func(), error) {
	if d.closed {
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

// Synchronize waits for all work on the device.
func (d *Device) Synchronize() error {
	return d.do(func() error { return call("cuCtxSynchronize", cu.Synchronize()) })
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
	if d.closed {
		return nil
	}
	err := d.do(func() error { return call("cuModuleUnload", d.mod.Unload()) })
	d.closed = true
	d.mu.Lock()
	d.fns = nil
	d.mu.Unlock()
	if e := call("cuDevicePrimaryCtxRelease", d.dev.ReleasePrimaryCtx()); err == nil {
		err = e
	}
	return err
}

func (d *Device) String() string {
	return fmt.Sprintf("GPU %d: %s (sm_%d%d, %d SMs, %.1f GiB)", d.Index, d.Name, d.Major, d.Minor, d.SMs, float64(d.TotalMem)/(1<<30))
}
