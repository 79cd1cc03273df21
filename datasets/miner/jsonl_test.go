package miner

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestEventRoundTripGenerated(t *testing.T) {
	d := mustGenerate(t, smallConfig(), seeded(3, 4))
	var want []Event
	for e := range d.Events() {
		want = append(want, e)
	}
	var buf bytes.Buffer
	n, err := d.WriteEvents(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if n != len(want) || n != bytes.Count(buf.Bytes(), []byte("\n")) {
		t.Fatalf("wrote %d events, %d lines, want %d", n, bytes.Count(buf.Bytes(), []byte("\n")), len(want))
	}
	i := 0
	err = ReadEvents(&buf, func(e Event) error {
		if e != want[i] {
			t.Fatalf("event %d: read %+v, wrote %+v", i+1, e, want[i])
		}
		i++
		return nil
	})
	if err != nil || i != len(want) {
		t.Fatalf("read %d events, err %v; want %d", i, err, len(want))
	}
}

func TestEventRoundTripEveryKind(t *testing.T) {
	evs := []Event{
		{Time: 1, PID: 7, Kind: KindStart, Name: "kworker", Binary: "/tmp/.k", PPID: 1, Container: "abc123", Program: "p001-xmrig", Miner: true},
		{Time: 2, PID: 7, Kind: KindSyscall, Syscall: "futex", Count: 40},
		{Time: 2, PID: 7, Kind: KindSyscall, Syscall: "read", Count: 1},
		{Time: 3, PID: 7, Kind: KindCPU, Value: 0},
		{Time: 3, PID: 7, Kind: KindMemory, Value: 2345.5},
		{Time: 4, PID: 7, Kind: KindConn, RemoteIP: ip("203.0.113.9"), RemotePort: 3333, LocalPort: 40000, Proto: "tcp", BytesOut: 10, BytesIn: 20, Continued: true},
		{Time: 4, PID: 7, Kind: KindConn, RemoteIP: ip("2001:db8::1"), RemotePort: 51000, LocalPort: 443, Proto: "udp", Inbound: true},
		{Time: 5, PID: 7, Kind: KindDNS, Query: "pool.minexmr.com"},
		{Time: 6, PID: 7, Kind: KindOpen, Path: "/usr/lib/libuv.so.1", FileType: FileSharedLib},
		{Time: 6, PID: 7, Kind: KindOpen, Path: "/proc", FileType: FileDir},
		{Time: 6, PID: 7, Kind: KindOpen, Path: "/proc/cpuinfo"},
		{Time: 9, PID: 7, Kind: KindExit, ExitCode: 137},
	}
	var buf bytes.Buffer
	w := NewEventWriter(&buf)
	for _, e := range evs {
		if err := w.Write(e); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if got := strings.SplitN(buf.String(), "\n", 2)[0]; got != `{"t":1,"pid":7,"k":"start","name":"kworker","exe":"/tmp/.k","ppid":1,"cid":"abc123","prog":"p001-xmrig","miner":true}` {
		t.Errorf("start line %s", got)
	}
	var got []Event
	if err := ReadEvents(&buf, func(e Event) error { got = append(got, e); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(evs) {
		t.Fatalf("read %d events, want %d", len(got), len(evs))
	}
	for i := range evs {
		if got[i] != evs[i] {
			t.Errorf("event %d: read %+v, want %+v", i, got[i], evs[i])
		}
	}
}

func TestReadEventsDefaults(t *testing.T) {
	in := `{"t":5,"pid":1,"k":"start","name":"sh"}
{"t":6,"pid":1,"k":"sys","sc":"read"}
{"t":7,"pid":1,"k":"conn","ip":"10.0.0.1","port":22}
`
	var got []Event
	if err := ReadEvents(strings.NewReader(in), func(e Event) error { got = append(got, e); return nil }); err != nil {
		t.Fatal(err)
	}
	if got[0].Program != "sh" || got[1].Count != 1 || got[2].Proto != "tcp" || got[2].Inbound {
		t.Fatalf("defaults not applied: %+v", got)
	}
}

func TestReadEventsMalformed(t *testing.T) {
	good := `{"t":1,"pid":1,"k":"cpu","v":5}` + "\n"
	for _, tc := range []struct {
		name, line, msg string
	}{
		{"bad json", `{"t":1,"pid":1,"k":"cpu","v":5`, "unexpected EOF"},
		{"unknown field", `{"t":1,"pid":1,"k":"cpu","v":5,"x":1}`, `unknown field "x"`},
		{"unknown kind", `{"t":1,"pid":1,"k":"gpu","v":5}`, `unknown event kind "gpu"`},
		{"missing time", `{"pid":1,"k":"cpu","v":5}`, `missing "t"`},
		{"missing value", `{"t":1,"pid":1,"k":"mem"}`, `without "v"`},
		{"negative cpu", `{"t":1,"pid":1,"k":"cpu","v":-1}`, "value -1"},
		{"bad ip", `{"t":1,"pid":1,"k":"conn","ip":"300.1.1.1","port":1}`, "bad remote ip"},
		{"no ip", `{"t":1,"pid":1,"k":"conn","port":1}`, "without a remote ip"},
		{"bad port", `{"t":1,"pid":1,"k":"conn","ip":"10.0.0.1","port":70000}`, "0..65535"},
		{"bad dir", `{"t":1,"pid":1,"k":"conn","ip":"10.0.0.1","port":1,"dir":"up"}`, `dir "up"`},
		{"bad proto", `{"t":1,"pid":1,"k":"conn","ip":"10.0.0.1","port":1,"proto":"sctp"}`, `protocol "sctp"`},
		{"bad ft", `{"t":1,"pid":1,"k":"open","path":"/x","ft":"sock"}`, `ft "sock"`},
		{"no name", `{"t":1,"pid":1,"k":"start"}`, "without a name"},
		{"trailing", `{"t":1,"pid":1,"k":"cpu","v":5} x`, "data after"},
		{"not an object", `[1,2]`, "cannot unmarshal"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// Line 3: a good line, a blank line, then the bad one.
			in := good + "\n" + tc.line + "\n" + good
			n := 0
			err := ReadEvents(strings.NewReader(in), func(Event) error { n++; return nil })
			wantParseErr(t, err, "input", 3, tc.msg)
			if n != 1 {
				t.Errorf("%d events before the error, want 1", n)
			}
		})
	}
}

func TestReadEventsCallbackError(t *testing.T) {
	stop := errors.New("stop")
	in := `{"t":1,"pid":1,"k":"cpu","v":5}` + "\n" + `{"t":2,"pid":1,"k":"cpu","v":5}`
	n := 0
	err := ReadEvents(strings.NewReader(in), func(Event) error {
		n++
		if n == 2 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || !strings.Contains(err.Error(), "input:2") {
		t.Fatalf("err %v, want stop at input:2", err)
	}
}

func TestReadEventsFileNamesPath(t *testing.T) {
	path := t.TempDir() + "/events.jsonl"
	if err := writeFile(path, `{"t":1,"pid":1,"k":"cpu","v":5}`+"\nnot json\n"); err != nil {
		t.Fatal(err)
	}
	err := ReadEventsFile(path, func(Event) error { return nil })
	wantParseErr(t, err, path, 2, "invalid character")
}

func TestEventWriterRejects(t *testing.T) {
	for _, e := range []Event{
		{Kind: KindStart},
		{Kind: KindConn, RemotePort: 80},
		{Kind: KindOpen},
		{Kind: 0},
		{Kind: KindSyscall, Syscall: "read", Count: -1},
	} {
		w := NewEventWriter(&bytes.Buffer{})
		if err := w.Write(e); err == nil {
			t.Errorf("Write(%+v) succeeded", e)
		}
	}
}
