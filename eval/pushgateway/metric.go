package pushgateway

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// ErrInvalid is wrapped by every error about a job, grouping key or metric
// that is rejected before a request is sent.
var ErrInvalid = errors.New("pushgateway: invalid input")

// Metric types accepted in Metric.Type. The zero value "" means TypeGauge.
const (
	TypeGauge   = "gauge"
	TypeCounter = "counter"
	TypeUntyped = "untyped"
)

// Metric is one sample with its metric family's metadata.
//
// Samples with the same Name must agree on Help and Type, and differ in
// their Labels. Labels must not name "job" nor any grouping label: the
// Pushgateway would silently overwrite them with the grouping key's.
type Metric struct {
	// Name is the metric name, matching [a-zA-Z_:][a-zA-Z0-9_:]*.
	Name string
	// Help is the HELP text; empty leaves the HELP line out.
	Help string
	// Type is "gauge" (also for ""), "counter" or "untyped".
	Type string
	// Labels are the sample's labels; nil means none.
	Labels map[string]string
	// Value is the sample value; NaN and ±Inf are allowed.
	Value float64
}

// validMetricName reports whether name matches [a-zA-Z_:][a-zA-Z0-9_:]*.
func validMetricName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		letter := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == ':'
		if !letter && !(i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// validLabelName reports whether name matches [a-zA-Z_][a-zA-Z0-9_]* and
// does not start with the reserved prefix "__".
func validLabelName(name string) bool {
	if name == "" || strings.HasPrefix(name, "__") {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		letter := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
		if !letter && !(i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// family is the samples of one metric name, in the order given.
type family struct {
	name, help, typ string
	samples         []Metric
}

// encodeText writes metrics in the text exposition format 0.0.4. reserved
// holds the label names (job and grouping labels) that samples must not
// carry.
func encodeText(metrics []Metric, reserved map[string]bool) ([]byte, error) {
	var families []*family
	byName := make(map[string]*family)
	seen := make(map[string]bool) // name + label set, to reject duplicates
	for i, m := range metrics {
		if !validMetricName(m.Name) {
			return nil, fmt.Errorf("%w: metrics[%d]: metric name %q does not match [a-zA-Z_:][a-zA-Z0-9_:]*", ErrInvalid, i, m.Name)
		}
		typ := m.Type
		if typ == "" {
			typ = TypeGauge
		}
		if typ != TypeGauge && typ != TypeCounter && typ != TypeUntyped {
			return nil, fmt.Errorf("%w: metric %s: type %q is not gauge, counter or untyped", ErrInvalid, m.Name, m.Type)
		}
		if !utf8.ValidString(m.Help) {
			return nil, fmt.Errorf("%w: metric %s: help text is not valid UTF-8", ErrInvalid, m.Name)
		}
		for name, value := range m.Labels {
			if !validLabelName(name) {
				return nil, fmt.Errorf("%w: metric %s: label name %q does not match [a-zA-Z_][a-zA-Z0-9_]* or starts with __", ErrInvalid, m.Name, name)
			}
			if reserved[name] {
				return nil, fmt.Errorf("%w: metric %s: label %q is part of the grouping key", ErrInvalid, m.Name, name)
			}
			if !utf8.ValidString(value) {
				return nil, fmt.Errorf("%w: metric %s: value of label %s is not valid UTF-8", ErrInvalid, m.Name, name)
			}
		}
		f := byName[m.Name]
		if f == nil {
			f = &family{name: m.Name, help: m.Help, typ: typ}
			byName[m.Name] = f
			families = append(families, f)
		} else if f.help != m.Help || f.typ != typ {
			return nil, fmt.Errorf("%w: metric %s: help or type differs between samples", ErrInvalid, m.Name)
		}
		var key bytes.Buffer
		key.WriteString(m.Name)
		writeLabels(&key, m.Labels)
		if seen[key.String()] {
			return nil, fmt.Errorf("%w: metric %s: duplicate sample %s", ErrInvalid, m.Name, key.String())
		}
		seen[key.String()] = true
		f.samples = append(f.samples, m)
	}

	var b bytes.Buffer
	for _, f := range families {
		if f.help != "" {
			b.WriteString("# HELP ")
			b.WriteString(f.name)
			b.WriteByte(' ')
			b.WriteString(escapeHelp(f.help))
			b.WriteByte('\n')
		}
		b.WriteString("# TYPE ")
		b.WriteString(f.name)
		b.WriteByte(' ')
		b.WriteString(f.typ)
		b.WriteByte('\n')
		for _, s := range f.samples {
			b.WriteString(s.Name)
			writeLabels(&b, s.Labels)
			b.WriteByte(' ')
			b.WriteString(formatValue(s.Value))
			b.WriteByte('\n')
		}
	}
	return b.Bytes(), nil
}

// writeLabels writes {a="x",b="y"} with names sorted, or nothing when
// labels is empty.
func writeLabels(b *bytes.Buffer, labels map[string]string) {
	if len(labels) == 0 {
		return
	}
	names := make([]string, 0, len(labels))
	for name := range labels {
		names = append(names, name)
	}
	slices.Sort(names)
	b.WriteByte('{')
	for i, name := range names {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(name)
		b.WriteString(`="`)
		b.WriteString(escapeLabelValue(labels[name]))
		b.WriteByte('"')
	}
	b.WriteByte('}')
}

var (
	helpEscaper  = strings.NewReplacer(`\`, `\\`, "\n", `\n`)
	valueEscaper = strings.NewReplacer(`\`, `\\`, "\n", `\n`, `"`, `\"`)
)

// escapeHelp escapes backslash and newline, as HELP lines require.
func escapeHelp(s string) string { return helpEscaper.Replace(s) }

// escapeLabelValue escapes backslash, newline and double quote.
func escapeLabelValue(s string) string { return valueEscaper.Replace(s) }

// formatValue writes v as the text format expects: NaN, +Inf, -Inf, or the
// shortest 'g' representation that reads back to v.
func formatValue(v float64) string {
	switch {
	case math.IsNaN(v):
		return "NaN"
	case math.IsInf(v, 1):
		return "+Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}
