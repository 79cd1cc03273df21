package serve

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/netip"
	"strings"
)

// errUnsupportedType marks a Content-Type no decoder handles.
var errUnsupportedType = errors.New("unsupported content type")

// A decodeFunc turns a request body into records.
type decodeFunc func(body []byte) ([]Record, error)

// decoderFor picks the body decoder for a Content-Type header.
func decoderFor(contentType string) (decodeFunc, error) {
	if contentType == "" {
		return nil, fmt.Errorf("%w: Content-Type is required (text/csv, application/json or application/jsonlines)", errUnsupportedType)
	}
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return nil, fmt.Errorf("%w: %q: %v", errUnsupportedType, contentType, err)
	}
	switch mt {
	case "text/csv":
		return decodeCSV, nil
	case "application/json":
		return decodeJSON, nil
	case "application/jsonlines", "application/jsonl", "application/x-jsonlines":
		return decodeJSONLines, nil
	}
	return nil, fmt.Errorf("%w: %q (want text/csv, application/json or application/jsonlines)", errUnsupportedType, mt)
}

// decodeCSV reads "entity,IPv4" lines without a header.
func decodeCSV(body []byte) ([]Record, error) {
	r := csv.NewReader(bytes.NewReader(body))
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	var recs []Record
	for {
		fields, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("record %d: %v", len(recs), err)
		}
		if len(fields) != 2 {
			return nil, fmt.Errorf("record %d: want 2 fields (entity, IPv4 address), got %d", len(recs), len(fields))
		}
		rec, err := parseRecord(len(recs), fields[0], fields[1])
		if err != nil {
			return nil, err
		}
		recs = append(recs, rec)
	}
	return nonEmpty(recs)
}

// instance is one JSON record in either of SageMaker's two shapes:
// {"features": [...]} or {"data": {"features": {"values": [...]}}}.
type instance struct {
	Features []json.RawMessage `json:"features"`
	Data     *struct {
		Features struct {
			Values []json.RawMessage `json:"values"`
		} `json:"features"`
	} `json:"data"`
}

// record converts the instance at index i.
func (in instance) record(i int) (Record, error) {
	vals := in.Features
	if in.Data != nil {
		vals = in.Data.Features.Values
	}
	if vals == nil {
		return Record{}, fmt.Errorf("record %d: no \"features\" or \"data.features.values\"", i)
	}
	if len(vals) != 2 {
		return Record{}, fmt.Errorf("record %d: want 2 features (entity, IPv4 address), got %d", i, len(vals))
	}
	entity, ok := featureText(vals[0])
	if !ok {
		return Record{}, fmt.Errorf("record %d: entity %s is not a string or number", i, vals[0])
	}
	var ip string
	if err := json.Unmarshal(vals[1], &ip); err != nil {
		return Record{}, fmt.Errorf("record %d: address %s is not a string", i, vals[1])
	}
	return parseRecord(i, entity, ip)
}

// featureText reads a JSON string, or a number as its literal text.
func featureText(raw json.RawMessage) (string, bool) {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s, true
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String(), true
	}
	return "", false
}

// decodeJSON reads {"instances": [...]} or a single top-level instance.
func decodeJSON(body []byte) ([]Record, error) {
	var top struct {
		Instances []instance `json:"instances"`
		instance
	}
	if err := strictUnmarshal(body, &top); err != nil {
		return nil, fmt.Errorf("malformed JSON body: %v", err)
	}
	if top.Instances == nil {
		if top.Features == nil && top.Data == nil {
			return nil, errors.New("JSON body has no \"instances\", \"data\" or \"features\"")
		}
		top.Instances = []instance{top.instance}
	}
	recs := make([]Record, 0, len(top.Instances))
	for i, in := range top.Instances {
		rec, err := in.record(i)
		if err != nil {
			return nil, err
		}
		recs = append(recs, rec)
	}
	return nonEmpty(recs)
}

// decodeJSONLines reads one instance per non-blank line.
func decodeJSONLines(body []byte) ([]Record, error) {
	var recs []Record
	for line := range bytes.Lines(body) {
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		i := len(recs)
		var in instance
		if err := strictUnmarshal(line, &in); err != nil {
			return nil, fmt.Errorf("record %d: malformed JSON line: %v", i, err)
		}
		rec, err := in.record(i)
		if err != nil {
			return nil, err
		}
		recs = append(recs, rec)
	}
	return nonEmpty(recs)
}

// strictUnmarshal decodes exactly one JSON value, rejecting trailing data.
func strictUnmarshal(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("trailing data after JSON value")
	}
	return nil
}

// parseRecord validates one (entity, address) pair at index i.
func parseRecord(i int, entity, ip string) (Record, error) {
	entity, ip = strings.TrimSpace(entity), strings.TrimSpace(ip)
	if entity == "" {
		return Record{}, fmt.Errorf("record %d: empty entity", i)
	}
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return Record{}, fmt.Errorf("record %d: %q is not an IPv4 address", i, ip)
	}
	a = a.Unmap()
	if !a.Is4() {
		return Record{}, fmt.Errorf("record %d: %q is an IPv6 address; only IPv4 is supported", i, ip)
	}
	return Record{Entity: entity, IP: a}, nil
}

// nonEmpty rejects a body without records.
func nonEmpty(recs []Record) ([]Record, error) {
	if len(recs) == 0 {
		return nil, errors.New("no records in body")
	}
	return recs, nil
}
