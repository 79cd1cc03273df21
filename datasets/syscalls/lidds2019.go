package syscalls

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// LID-DS 2019 splits as the LID-DS loader makes them: the first 200 normal
// runs of runs.csv train, the next 50 validate, the rest and all exploit
// runs test.
const (
	LIDDS2019TrainSize      = 200
	LIDDS2019ValidationSize = 50
)

// LIDDS2019RunsFile is the file listing the runs of a LID-DS 2019 scenario.
const LIDDS2019RunsFile = "runs.csv"

// lidds2019Columns is the header of runs.csv.
var lidds2019Columns = [...]string{"image_name", "scenario_name", "is_executing_exploit", "warmup_time", "recording_time", "exploit_start_time"}

// ListLIDDS2019 lists the recordings of a LID-DS 2019 scenario directory:
// runs.csv (image_name, scenario_name, is_executing_exploit, warmup_time,
// recording_time, exploit_start_time; blanks after commas are ignored) and
// one <scenario_name>.txt per run. Recordings keep the order of runs.csv;
// the first nTrain normal runs get SplitTrain, the next nValidation
// SplitValidation, the other normal runs and all exploit runs SplitTest
// (LIDDS2019TrainSize and LIDDS2019ValidationSize reproduce the LID-DS
// loader). exploit_start_time is taken as seconds after the first event.
// Errors name runs.csv and the line: a wrong header, a missing field, a
// bad flag or number, or a run whose .txt is missing.
func ListLIDDS2019(dir string, nTrain, nValidation int) ([]Recording, error) {
	fh, err := os.Open(filepath.Join(dir, LIDDS2019RunsFile))
	if err != nil {
		return nil, parseErr(LIDDS2019RunsFile, 0, "%v", err)
	}
	defer fh.Close()
	cr := csv.NewReader(fh)
	cr.TrimLeadingSpace = true
	cr.FieldsPerRecord = -1
	family := folderName(dir)
	var recs []Recording
	normals := 0
	for row := 0; ; row++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, parseErr(LIDDS2019RunsFile, pe.Line, "%v", pe.Err)
			}
			return nil, parseErr(LIDDS2019RunsFile, 0, "%v", err)
		}
		for i := range rec {
			rec[i] = strings.TrimSpace(rec[i])
		}
		if row == 0 {
			if len(rec) != len(lidds2019Columns) || [6]string(rec) != lidds2019Columns {
				return nil, parseErr(LIDDS2019RunsFile, line, "header %q, want %q", rec, lidds2019Columns)
			}
			continue
		}
		r, err := parseRun(rec, dir, family)
		if err != nil {
			return nil, parseErr(LIDDS2019RunsFile, line, "%v", err)
		}
		if r.Label == Normal {
			switch {
			case normals < nTrain:
				r.Split = SplitTrain
			case normals < nTrain+nValidation:
				r.Split = SplitValidation
			}
			normals++
		}
		recs = append(recs, r)
	}
	return recs, nil
}

// parseRun turns one row of runs.csv into a Recording.
func parseRun(rec []string, dir, family string) (Recording, error) {
	if len(rec) != len(lidds2019Columns) {
		return Recording{}, fmt.Errorf("%d fields, want %d", len(rec), len(lidds2019Columns))
	}
	name := rec[1]
	if name == "" || strings.ContainsAny(name, `/\`) {
		return Recording{}, fmt.Errorf("scenario_name %q cannot name a file", name)
	}
	exploit, ok := parseFlag(rec[2])
	if !ok {
		return Recording{}, fmt.Errorf("is_executing_exploit %q is not a boolean", rec[2])
	}
	for i := 3; i < 5; i++ {
		if v, err := strconv.ParseFloat(rec[i], 64); err != nil || v < 0 {
			return Recording{}, fmt.Errorf("%s %q is not a non-negative number", lidds2019Columns[i], rec[i])
		}
	}
	r := Recording{ID: name, Name: name, Image: rec[0], Split: SplitTest, year: 2019,
		file: filepath.Join(dir, name+".txt"), shown: name + ".txt"}
	if exploit {
		at, err := strconv.ParseFloat(rec[5], 64)
		if err != nil || at < 0 {
			return Recording{}, fmt.Errorf("exploit_start_time %q is not a non-negative number", rec[5])
		}
		r.Label, r.Family, r.ExploitAfter = Attack, family, at
	}
	if st, err := os.Stat(r.file); err != nil || st.IsDir() {
		return Recording{}, fmt.Errorf("no recording file %s", r.shown)
	}
	return r, nil
}

// parseFlag reads a boolean as Python's strtobool does.
func parseFlag(s string) (bool, bool) {
	switch strings.ToLower(s) {
	case "y", "yes", "t", "true", "on", "1":
		return true, true
	case "n", "no", "f", "false", "off", "0":
		return false, true
	}
	return false, false
}

// ReadLIDDS2019 streams the recordings of ListLIDDS2019(dir, nTrain,
// nValidation) as traces, one recording in memory at a time, keeping the
// events f selects.
func ReadLIDDS2019(dir string, nTrain, nValidation int, f Filter) iter.Seq2[Trace, error] {
	return func(yield func(Trace, error) bool) {
		recs, err := ListLIDDS2019(dir, nTrain, nValidation)
		if err != nil {
			yield(Trace{}, err)
			return
		}
		for _, r := range recs {
			t, err := r.Trace(f)
			if !yield(t, err) || err != nil {
				return
			}
		}
	}
}

// OpenLIDDS2019Trace describes a single LID-DS 2019 trace file without a
// runs.csv (for example an excerpt), labelled normal, so that its events
// can be streamed with Calls.
func OpenLIDDS2019Trace(file string) Recording {
	name := strings.TrimSuffix(filepath.Base(file), ".txt")
	return Recording{ID: name, Name: name, file: file, shown: filepath.Base(file), year: 2019}
}
