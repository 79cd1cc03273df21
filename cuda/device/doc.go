// Package device is vigil's CUDA device runtime: the primary context of one
// GPU, streams and events, an arena allocator for device memory, host <->
// device copies (asynchronous ones through page-locked HostBuffers), CUDA
// graphs captured from a stream, the embedded kernel module (cuda/kernels)
// with typed launch helpers for every kernel family, and cuBLAS SGEMM
// loaded at run time with dlopen (no link-time dependency on a CUDA
// toolkit).
//
// Everything but this file and the capture gate (gate.go, plain Go) is
// built only with the gpu build tag, because gorgonia.org/cu links against
// the driver's libcuda.so.1 and ends the process at start-up when the
// driver cannot be initialised. The default build of this package holds
// no GPU code.
//
// Threading: every method makes the device's primary context current on
// the calling OS thread (locking the goroutine to it for the duration of
// the call), so a Device may be used from any goroutine; use one stream
// per goroutine for concurrent work. Stream.Bound makes the context
// current once for a batch of calls on a stream (a training step), which
// then skip that. Kernel launches and copies are asynchronous on their
// stream; errors of the kernels themselves surface at the next
// synchronisation. Calls that would invalidate a stream capture in flight
// on another goroutine wait for it to end (see Stream.BeginCapture).
package device
