// Package tensorboard writes TensorBoard event files without dependencies, so
// that a run's training curves and images show in `tensorboard --logdir`,
// and reads them back for tests and tools.
//
// # Format
//
// An event file is a sequence of TFRecords, each
//
//	uint64 length            little endian
//	uint32 masked CRC-32C of the 8 length bytes
//	byte   data[length]      one serialized tensorflow.Event
//	uint32 masked CRC-32C of data
//
// where CRC-32C uses the Castagnoli polynomial and a masked CRC is
// ((crc >> 15) | (crc << 17)) + 0xa282ead8 in uint32 arithmetic.
//
// The data are protobuf-encoded by hand with the field numbers of
// tensorflow/core/util/event.proto and tensorflow/core/framework/summary.proto:
//
//	Event:         wall_time double = 1, step int64 = 2,
//	               file_version string = 3, summary Summary = 5
//	Summary:       repeated Value value = 1
//	Summary.Value: tag string = 1, simple_value float = 2, image Image = 4
//	Summary.Image: height int32 = 1, width int32 = 2, colorspace int32 = 3,
//	               encoded_image_string bytes = 4 (a PNG)
//
// A field's key is the varint field<<3 | wire type, the wire type being 0
// for varints (int32, int64), 1 for doubles, 2 for length-delimited strings,
// bytes and messages, and 5 for floats. The first record of every file is an
// Event holding only wall_time and file_version "brain.Event:2".
//
// Scalars are written as legacy simple_value summaries without metadata,
// which TensorBoard's scalar plugin reads; values are float32, and NaN and
// ±Inf are written as they are. Wall times are seconds since the Unix epoch.
//
// TensorBoard reads every file whose name contains "tfevents" in each
// directory under the logdir, one run per directory; Create names files as
// TensorFlow does, events.out.tfevents.<unix seconds>.<host>.
package tensorboard
