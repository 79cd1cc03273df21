package miner

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
)

// wireEvent is the JSON-lines form of an Event. Fields of other kinds are
// omitted; see the package documentation for the format.
type wireEvent struct {
	T     *int64   `json:"t"`
	PID   *int     `json:"pid"`
	K     string   `json:"k"`
	Name  string   `json:"name,omitempty"`
	Exe   string   `json:"exe,omitempty"`
	PPID  int      `json:"ppid,omitempty"`
	CID   string   `json:"cid,omitempty"`
	Prog  string   `json:"prog,omitempty"`
	Miner bool     `json:"miner,omitempty"`
	SC    string   `json:"sc,omitempty"`
	N     int      `json:"n,omitempty"`
	V     *float64 `json:"v,omitempty"`
	IP    string   `json:"ip,omitempty"`
	Port  *int     `json:"port,omitempty"`
	LPort int      `json:"lport,omitempty"`
	Proto string   `json:"proto,omitempty"`
	Dir   string   `json:"dir,omitempty"`
	Tx    int64    `json:"tx,omitempty"`
	Rx    int64    `json:"rx,omitempty"`
	Cont  bool     `json:"cont,omitempty"`
	Q     string   `json:"q,omitempty"`
	Path  string   `json:"path,omitempty"`
	FT    string   `json:"ft,omitempty"`
	Code  int      `json:"code,omitempty"`
}

// toWire converts a valid event.
func toWire(e *Event) wireEvent {
	t, pid := e.Time, e.PID
	w := wireEvent{T: &t, PID: &pid, K: e.Kind.String()}
	switch e.Kind {
	case KindStart:
		w.Name, w.Exe, w.PPID, w.CID, w.Miner = e.Name, e.Binary, e.PPID, e.Container, e.Miner
		if e.Program != e.Name {
			w.Prog = e.Program
		}
	case KindSyscall:
		w.SC = e.Syscall
		if e.Count != 1 {
			w.N = e.Count
		}
	case KindCPU, KindMemory:
		v := e.Value
		w.V = &v
	case KindConn:
		port := int(e.RemotePort)
		w.IP, w.Port, w.LPort = e.RemoteIP.String(), &port, int(e.LocalPort)
		if e.Proto == "udp" {
			w.Proto = "udp"
		}
		if e.Inbound {
			w.Dir = "in"
		}
		w.Tx, w.Rx, w.Cont = e.BytesOut, e.BytesIn, e.Continued
	case KindDNS:
		w.Q = e.Query
	case KindOpen:
		w.Path = e.Path
		if e.FileType != FileRegular {
			w.FT = e.FileType.String()
		}
	case KindExit:
		w.Code = e.ExitCode
	}
	return w
}

// fromWire converts and checks a decoded line; the error message names
// what is wrong, without the line.
func fromWire(w *wireEvent) (Event, error) {
	var e Event
	if w.T == nil || w.PID == nil || w.K == "" {
		return e, errors.New(`missing "t", "pid" or "k"`)
	}
	e.Time, e.PID, e.Kind = *w.T, *w.PID, parseKind(w.K)
	if e.Kind == 0 {
		return e, fmt.Errorf("unknown event kind %q", w.K)
	}
	switch e.Kind {
	case KindStart:
		e.Name, e.Binary, e.PPID, e.Container, e.Program, e.Miner = w.Name, w.Exe, w.PPID, w.CID, w.Prog, w.Miner
		if e.Program == "" {
			e.Program = e.Name
		}
	case KindSyscall:
		e.Syscall, e.Count = w.SC, w.N
		if w.N == 0 {
			e.Count = 1
		}
	case KindCPU, KindMemory:
		if w.V == nil {
			return e, fmt.Errorf(`%s event without "v"`, e.Kind)
		}
		e.Value = *w.V
	case KindConn:
		if w.IP != "" {
			a, err := netip.ParseAddr(w.IP)
			if err != nil {
				return e, fmt.Errorf("conn event: bad remote ip %q", w.IP)
			}
			e.RemoteIP = a
		}
		if w.Port == nil || *w.Port < 0 || *w.Port > 65535 || w.LPort < 0 || w.LPort > 65535 {
			return e, errors.New(`conn event without a "port" in 0..65535 or with a bad "lport"`)
		}
		e.RemotePort, e.LocalPort = uint16(*w.Port), uint16(w.LPort)
		e.Proto = w.Proto
		if e.Proto == "" {
			e.Proto = "tcp"
		}
		switch w.Dir {
		case "", "out":
		case "in":
			e.Inbound = true
		default:
			return e, fmt.Errorf(`conn event with dir %q, want "in" or "out"`, w.Dir)
		}
		e.BytesOut, e.BytesIn, e.Continued = w.Tx, w.Rx, w.Cont
	case KindDNS:
		e.Query = w.Q
	case KindOpen:
		e.Path = w.Path
		switch w.FT {
		case "", "file":
		case "dir":
			e.FileType = FileDir
		case "lib":
			e.FileType = FileSharedLib
		default:
			return e, fmt.Errorf(`open event with ft %q, want "file", "dir" or "lib"`, w.FT)
		}
	case KindExit:
		e.ExitCode = w.Code
	}
	return e, e.validate()
}

// EventWriter writes events as JSON lines, one event a line; see the
// package documentation for the format. Call Flush when done.
type EventWriter struct {
	bw  *bufio.Writer
	n   int
	buf bytes.Buffer
	enc *json.Encoder
}

// NewEventWriter returns an EventWriter on w.
func NewEventWriter(w io.Writer) *EventWriter {
	ew := &EventWriter{bw: bufio.NewWriterSize(w, 64<<10)}
	ew.enc = json.NewEncoder(&ew.buf)
	ew.enc.SetEscapeHTML(false)
	return ew
}

// Write writes one event; it rejects an event missing what its kind
// requires (a start without a name, a conn without a remote address...).
func (w *EventWriter) Write(e Event) error {
	if err := e.validate(); err != nil {
		return fmt.Errorf("miner: event %d (pid %d at %d): %w", w.n+1, e.PID, e.Time, err)
	}
	w.buf.Reset()
	if err := w.enc.Encode(toWire(&e)); err != nil { // Encode appends the newline
		return fmt.Errorf("miner: event %d: %w", w.n+1, err)
	}
	if _, err := w.bw.Write(w.buf.Bytes()); err != nil {
		return fmt.Errorf("miner: writing event %d: %w", w.n+1, err)
	}
	w.n++
	return nil
}

// Count returns the number of events written.
func (w *EventWriter) Count() int { return w.n }

// Flush writes buffered data and reports any write error.
func (w *EventWriter) Flush() error {
	if err := w.bw.Flush(); err != nil {
		return fmt.Errorf("miner: flushing events: %w", err)
	}
	return nil
}

// ReadEvents reads JSON-lines events from r and calls fn for each in input
// order, without loading the input whole. Blank lines are skipped. A
// malformed line (bad JSON, an unknown field or kind, a field missing for
// its kind) ends reading with a *ParseError naming source "input" and the
// 1-based line; an error from fn ends reading and is returned wrapped with
// the line. Events are not required to be in time order.
func ReadEvents(r io.Reader, fn func(Event) error) error {
	return readEvents(r, "input", fn)
}

// ReadEventsFile is ReadEvents on the file at path; errors name the path.
func ReadEventsFile(path string, fn func(Event) error) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("miner: %w", err)
	}
	defer f.Close()
	return readEvents(f, path, fn)
}

func readEvents(r io.Reader, name string, fn func(Event) error) error {
	lr := newLineReader(r, name)
	for {
		line, err := lr.next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		var w wireEvent
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&w); err != nil {
			return parseErr(name, lr.line, "%v", err)
		}
		if len(bytes.TrimSpace(line[dec.InputOffset():])) > 0 {
			return parseErr(name, lr.line, "data after the JSON object")
		}
		ev, err := fromWire(&w)
		if err != nil {
			return parseErr(name, lr.line, "%v", err)
		}
		if err := fn(ev); err != nil {
			return fmt.Errorf("miner: %s:%d: %w", name, lr.line, err)
		}
	}
}
