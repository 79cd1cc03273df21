package report

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/vigil-ml/vigil/eval"
)

// DefaultTitle is the page title used when Report.Title is empty.
const DefaultTitle = "vigil SEA evaluation"

// ReportFile is the name of the page WriteReport writes into its directory.
const ReportFile = "report.html"

// Report is everything the HTML page shows. Empty fields are left out of the
// page; Title defaults to DefaultTitle.
type Report struct {
	Title   string
	Config  string    // configuration name
	Date    time.Time // run date; zero: not shown
	Machine string
	Commit  string
	Notes   []string // free-text paragraphs under the run information

	Systems []System      // measured detectors, typically model then baseline
	Anchors []eval.Anchor // published results, e.g. eval.PublishedAnchors()
	Images  []Image
	Tables  []Table
}

// System is one measured detector's SEA result.
type System struct {
	Name   string
	Result eval.SEAResult
}

// Image is a chart shown on the page. File is a path relative to the
// report directory, and the file must exist there when WriteReport runs.
type Image struct {
	File    string
	Title   string
	Caption string
}

// Table is an extra table of strings, such as reconstructions against their
// nearest commands. Every row must have len(Header) cells.
type Table struct {
	Title  string
	Header []string
	Rows   [][]string
}

// WriteReport writes dir/report.html (ReportFile), creating dir: a static
// page with inline CSS, no scripts and no external assets, all text escaped.
// Errors: an image path that is not local to dir (absolute or leaving it) or
// whose file is missing, a table row whose width differs from its header, or
// a failed write.
func WriteReport(dir string, r Report) error {
	for _, im := range r.Images {
		if !filepath.IsLocal(im.File) {
			return fmt.Errorf("report: image %q is not a path inside the report directory", im.File)
		}
		if _, err := os.Stat(filepath.Join(dir, im.File)); err != nil {
			return fmt.Errorf("report: image %q: %w", im.File, err)
		}
	}
	for _, t := range r.Tables {
		for i, row := range t.Rows {
			if len(row) != len(t.Header) {
				return fmt.Errorf("report: table %q row %d has %d cells, header has %d", t.Title, i, len(row), len(t.Header))
			}
		}
	}
	var buf bytes.Buffer
	if err := pageTemplate.Execute(&buf, newView(r)); err != nil {
		return fmt.Errorf("report: render page: %w", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("report: report directory: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, ReportFile), buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("report: write page: %w", err)
	}
	return nil
}
