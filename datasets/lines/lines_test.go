package lines

import (
	"errors"
	"io"
	"strings"
	"testing"
)

// Lines come back without their endings and numbered from 1; a last line
// without a newline counts; an over-long line is an error naming it.
func TestReader(t *testing.T) {
	r := NewReader(strings.NewReader("a\r\n\nbc\nlast"), 8)
	for i, want := range []string{"a", "", "bc", "last"} {
		got, err := r.Next()
		if err != nil || string(got) != want || r.Line() != i+1 {
			t.Fatalf("line %d: %q, %v (line %d)", i+1, got, err, r.Line())
		}
	}
	if _, err := r.Next(); err != io.EOF {
		t.Fatalf("after the last line: %v", err)
	}
	r = NewReader(strings.NewReader("ok\n"+strings.Repeat("x", 100)+"\n"), 10)
	if _, err := r.Next(); err != nil {
		t.Fatal(err)
	}
	_, err := r.Next()
	var le *Error
	if !errors.As(err, &le) || le.Line != 2 || !strings.Contains(err.Error(), "longer than 10") {
		t.Fatalf("long line: %v", err)
	}
}
