// Package checkpoints stores training checkpoints: model and optimizer
// tensors in the safetensors format plus a JSON metadata file, written
// atomically into numbered step directories.
//
// A checkpoint directory looks like
//
//	DIR/
//	  latest                  name of the newest checkpoint ("step-000000123")
//	  step-000000123/
//	    weights.safetensors   float32 tensors, sorted by name
//	    meta.json             Meta, including the SHA-256 of weights.safetensors
//
// Save writes into a temporary directory inside DIR, syncs every file and
// renames it into place, so a crash leaves either the old or the new
// checkpoint, never a half-written one; leftover temporary directories (names
// starting with ".") are ignored by Latest and may be deleted.
package checkpoints
