//go:build !amd64 || purego

package layers

// useVMath is false: vmath uses the scalar functions.
var useVMath = false

// vmathBlocks is not called where useVMath is false.
func vmathBlocks(op int, x *float32, n int) {}
