// Package artifacts stores the files a distributed sweep shares between
// the machine that plans it and the workers that run its trials: each
// trial's point.json, the sweep's base config, and each trial's run
// directory (checkpoints, metrics.json, report.html).
//
// Store is the interface, with two implementations. Dir is a directory on
// a filesystem every worker mounts at the same path (EFS, NFS, a
// Kubernetes PersistentVolumeClaim with ReadWriteMany access, or a local
// directory when the workers share one machine). S3 is a bucket on AWS S3
// or an S3-compatible server (MinIO and the like), spoken to over HTTP
// with requests signed by hand (AWS Signature Version 4, standard library
// only); its Checkout downloads into a local cache and Commit uploads.
// Open picks one from a path, a file:// URL or an s3://bucket/prefix URL.
//
// Keys are slash-separated relative paths such as
// "sweep-7/trial-0003/point.json" (io/fs.ValidPath: no leading slash, no
// "." or ".." elements); a key that is not valid is an error.
package artifacts

import (
	"context"
	"fmt"
	"io/fs"
)

// ErrNotFound is returned (wrapped) by Get for a key that holds nothing.
// It is fs.ErrNotExist, so errors.Is(err, fs.ErrNotExist) holds too.
var ErrNotFound = fs.ErrNotExist

// Store holds files by key.
//
// Trials write whole directories through a local path, so Store has a
// directory pair beside the file methods: Checkout returns a local
// directory holding a prefix's files, and Commit publishes what was
// written there. For Dir both are cheap (the directory is the store); an
// object store would download on Checkout and upload on Commit.
type Store interface {
	// Put writes data at key, replacing what was there; a reader never
	// sees a partly written file.
	Put(ctx context.Context, key string, data []byte) error
	// Get reads the file at key; ErrNotFound (wrapped) when there is none.
	Get(ctx context.Context, key string) ([]byte, error)
	// List returns the keys of the files under the directory key prefix
	// ("" for the whole store), recursively, sorted; none (and a nil
	// error) when prefix holds nothing.
	List(ctx context.Context, prefix string) ([]string, error)
	// Checkout returns a local directory holding the files under prefix,
	// creating it when needed, for a trial to read and write.
	Checkout(ctx context.Context, prefix string) (string, error)
	// Commit publishes the files written in dir (from Checkout(prefix)).
	Commit(ctx context.Context, prefix, dir string) error
	// URI names key for people and for the run registry: an absolute
	// path for Dir (s3://bucket/key for a bucket).
	URI(key string) string
}

// checkKey refuses keys that are not slash-separated relative paths.
// The empty key is allowed only where allowRoot is set (List's prefix).
func checkKey(key string, allowRoot bool) error {
	if key == "" && allowRoot {
		return nil
	}
	if !fs.ValidPath(key) || key == "." {
		return fmt.Errorf("artifacts: key %q is not a slash-separated relative path", key)
	}
	return nil
}
