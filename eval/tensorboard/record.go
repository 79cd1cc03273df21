package tensorboard

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
)

// Record framing sizes in bytes: the header is the uint64 data length and the
// uint32 masked CRC of those 8 bytes; the footer is the uint32 masked CRC of
// the data.
const (
	headerSize = 12
	footerSize = 4
)

// crcMaskDelta is the constant TFRecord adds to a rotated CRC.
const crcMaskDelta = 0xa282ead8

// castagnoli is the CRC-32C (Castagnoli) table. It is written once, at
// package initialisation, and only read afterwards.
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// ErrCorrupt reports a record whose length or data fails its CRC, or whose
// data is not a well-formed Event.
var ErrCorrupt = errors.New("corrupt record")

// ErrTruncated reports a file that ends inside a record, as one does when its
// writer was killed mid-write or has not flushed yet.
var ErrTruncated = errors.New("truncated record")

// crc32c returns the CRC-32C of b.
func crc32c(b []byte) uint32 { return crc32.Checksum(b, castagnoli) }

// mask rotates crc right by 15 bits and adds crcMaskDelta, so that a CRC
// stored inside CRC'd data does not checksum to a constant.
func mask(crc uint32) uint32 { return (crc>>15 | crc<<17) + crcMaskDelta }

// maskedCRC returns the masked CRC-32C of b.
func maskedCRC(b []byte) uint32 { return mask(crc32c(b)) }

// appendRecord appends data framed as one TFRecord to dst.
func appendRecord(dst, data []byte) []byte {
	start := len(dst)
	dst = binary.LittleEndian.AppendUint64(dst, uint64(len(data)))
	dst = binary.LittleEndian.AppendUint32(dst, maskedCRC(dst[start:]))
	dst = append(dst, data...)
	return binary.LittleEndian.AppendUint32(dst, maskedCRC(data))
}

// splitRecord checks the record at the start of b, which lies at byte offset
// off of its file, and returns its data (aliasing b) and its size on disk.
// Errors wrap ErrTruncated or ErrCorrupt and name off.
func splitRecord(b []byte, off int64) (data []byte, size int, err error) {
	if len(b) < headerSize {
		return nil, 0, fmt.Errorf("record at byte offset %d: %w: file ends %d bytes into the %d-byte header",
			off, ErrTruncated, len(b), headerSize)
	}
	if got, want := binary.LittleEndian.Uint32(b[8:]), maskedCRC(b[:8]); got != want {
		return nil, 0, fmt.Errorf("record at byte offset %d: %w: length CRC %#08x, want %#08x",
			off, ErrCorrupt, got, want)
	}
	length := binary.LittleEndian.Uint64(b)
	rest := uint64(len(b) - headerSize)
	if length > rest || rest-length < footerSize {
		return nil, 0, fmt.Errorf("record at byte offset %d: %w: %d data bytes and a %d-byte CRC announced, file has %d bytes left",
			off, ErrTruncated, length, footerSize, rest)
	}
	end := headerSize + int(length)
	data = b[headerSize:end]
	if got, want := binary.LittleEndian.Uint32(b[end:]), maskedCRC(data); got != want {
		return nil, 0, fmt.Errorf("record at byte offset %d: %w: data CRC %#08x, want %#08x",
			off, ErrCorrupt, got, want)
	}
	return data, end + footerSize, nil
}
