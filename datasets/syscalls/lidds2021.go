package syscalls

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"iter"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// Folders of a LID-DS 2021 scenario.
const (
	LIDDSTrainDir      = "training"
	LIDDSValidationDir = "validation"
	LIDDSTestDir       = "test" // holds normal/ and normal_and_attack/
)

// ListLIDDS2021 lists the recordings of a LID-DS 2021 scenario directory
// (training/, validation/, test/normal/, test/normal_and_attack/; other
// folders under test/ are read too, in sorted order) or, when dir has none
// of these folders, of a flat folder of recordings (split SplitNone). A
// recording is name.zip holding name.sc and name.json, or loose name.sc
// with name.json beside it; other files are ignored. Labels come from the
// "exploit" flag of the .json, the exploit start from
// time.exploit[0].absolute; the family of an attack recording is the
// scenario folder's name. Errors name the file: a .sc without .json, a zip
// without its .sc or .json, malformed JSON (with its line), or a missing
// "exploit" flag.
func ListLIDDS2021(dir string) ([]Recording, error) {
	family := folderName(dir)
	type part struct {
		rel   string
		split Split
	}
	var parts []part
	for _, d := range []struct {
		rel   string
		split Split
	}{{LIDDSTrainDir, SplitTrain}, {LIDDSValidationDir, SplitValidation}} {
		if isDir(filepath.Join(dir, d.rel)) {
			parts = append(parts, part(d))
		}
	}
	if isDir(filepath.Join(dir, LIDDSTestDir)) {
		ents, err := os.ReadDir(filepath.Join(dir, LIDDSTestDir))
		if err != nil {
			return nil, parseErr(LIDDSTestDir, 0, "%v", err)
		}
		for _, e := range ents {
			if e.IsDir() && !strings.HasPrefix(e.Name(), ".") {
				parts = append(parts, part{path.Join(LIDDSTestDir, e.Name()), SplitTest})
			}
		}
	}
	if len(parts) == 0 {
		parts = []part{{"", SplitNone}}
	}
	var recs []Recording
	for _, p := range parts {
		rs, err := listRecordings(dir, p.rel)
		if err != nil {
			return nil, err
		}
		for i := range rs {
			rs[i].Split = p.split
			if rs[i].Label == Attack {
				rs[i].Family = family
			}
		}
		recs = append(recs, rs...)
	}
	return recs, nil
}

// ReadLIDDS2021 streams the recordings of ListLIDDS2021(dir) as traces,
// one recording in memory at a time, keeping the events f selects.
func ReadLIDDS2021(dir string, f Filter) iter.Seq2[Trace, error] {
	return func(yield func(Trace, error) bool) {
		recs, err := ListLIDDS2021(dir)
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

// folderName is the base name of dir, resolved to an absolute path so
// that "." names the folder.
func folderName(dir string) string {
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	return filepath.Base(dir)
}

func isDir(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}

// listRecordings lists the recordings of dir/rel in name order.
func listRecordings(dir, rel string) ([]Recording, error) {
	full := filepath.Join(dir, filepath.FromSlash(rel))
	ents, err := os.ReadDir(full)
	if err != nil {
		return nil, parseErr(relOrDot(rel), 0, "%v", err)
	}
	have := map[string]bool{}
	for _, e := range ents {
		have[e.Name()] = !e.IsDir()
	}
	var names []string
	for _, e := range ents {
		n := e.Name()
		if e.IsDir() || strings.HasPrefix(n, ".") {
			continue
		}
		if base, ok := strings.CutSuffix(n, ".zip"); ok {
			if have[base+".sc"] {
				return nil, parseErr(path.Join(rel, n), 0, "recording %s is both zipped and loose", base)
			}
			names = append(names, n)
		} else if strings.HasSuffix(n, ".sc") {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	recs := make([]Recording, 0, len(names))
	for _, n := range names {
		var r Recording
		var err error
		if base, ok := strings.CutSuffix(n, ".zip"); ok {
			r, err = zippedRecording(full, rel, base)
		} else {
			r, err = looseRecording(full, rel, strings.TrimSuffix(n, ".sc"))
		}
		if err != nil {
			return nil, err
		}
		recs = append(recs, r)
	}
	return recs, nil
}

func relOrDot(rel string) string {
	if rel == "" {
		return "."
	}
	return rel
}

// looseRecording describes full/name.sc with its name.json.
func looseRecording(full, rel, name string) (Recording, error) {
	jsonRel := path.Join(rel, name+".json")
	data, err := os.ReadFile(filepath.Join(full, name+".json"))
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return Recording{}, parseErr(path.Join(rel, name+".sc"), 0, "no %s.json beside it", name)
		}
		return Recording{}, parseErr(jsonRel, 0, "%v", err)
	}
	r := Recording{ID: path.Join(rel, name), Name: name, file: filepath.Join(full, name+".sc"), shown: path.Join(rel, name+".sc"), year: 2021}
	return r, parseMeta(&r, data, jsonRel)
}

// zippedRecording describes full/name.zip.
func zippedRecording(full, rel, name string) (Recording, error) {
	zipRel := path.Join(rel, name+".zip")
	zr, err := zip.OpenReader(filepath.Join(full, name+".zip"))
	if err != nil {
		return Recording{}, parseErr(zipRel, 0, "%v", err)
	}
	defer zr.Close()
	if findZipEntry(&zr.Reader, name+".sc") == nil {
		return Recording{}, parseErr(zipRel, 0, "zip holds no %s.sc", name)
	}
	jf := findZipEntry(&zr.Reader, name+".json")
	if jf == nil {
		return Recording{}, parseErr(zipRel, 0, "zip holds no %s.json", name)
	}
	jsonRel := zipRel + "/" + name + ".json"
	rc, err := jf.Open()
	if err != nil {
		return Recording{}, parseErr(jsonRel, 0, "%v", err)
	}
	data, err := io.ReadAll(io.LimitReader(rc, maxLine))
	rc.Close()
	if err != nil {
		return Recording{}, parseErr(jsonRel, 0, "%v", err)
	}
	r := Recording{ID: path.Join(rel, name), Name: name, file: filepath.Join(full, name+".zip"), entry: name + ".sc", shown: zipRel + "/" + name + ".sc", year: 2021}
	return r, parseMeta(&r, data, jsonRel)
}

// lidMeta is the part of a LID-DS 2021 .json that labels a recording.
type lidMeta struct {
	Exploit *bool  `json:"exploit"`
	Image   string `json:"image"`
	Time    struct {
		Exploit []struct {
			Absolute json.Number `json:"absolute"`
		} `json:"exploit"`
	} `json:"time"`
}

// parseMeta sets the label, image and exploit start of r from data.
func parseMeta(r *Recording, data []byte, name string) error {
	var m lidMeta
	if err := json.Unmarshal(data, &m); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			return parseErr(name, lineAt(data, se.Offset), "bad JSON: %v", err)
		case errors.As(err, &te):
			return parseErr(name, lineAt(data, te.Offset), "bad JSON: %v", err)
		}
		return parseErr(name, 0, "bad JSON: %v", err)
	}
	if m.Exploit == nil {
		return parseErr(name, 0, `no boolean "exploit" field`)
	}
	r.Image = m.Image
	if !*m.Exploit {
		return nil
	}
	r.Label = Attack
	if len(m.Time.Exploit) > 0 && m.Time.Exploit[0].Absolute != "" {
		ns, ok := secondsToNs(string(m.Time.Exploit[0].Absolute))
		if !ok {
			return parseErr(name, 0, "time.exploit[0].absolute %q is not a time in seconds", m.Time.Exploit[0].Absolute)
		}
		r.ExploitStart = ns
	}
	return nil
}

// lineAt is the 1-based line of byte offset off in data.
func lineAt(data []byte, off int64) int {
	off = min(max(off, 0), int64(len(data)))
	return bytes.Count(data[:off], []byte{'\n'}) + 1
}

// secondsToNs converts a decimal number of seconds such as
// "1631078877.513988" to nanoseconds exactly (digits beyond the ninth
// decimal are dropped).
func secondsToNs(s string) (int64, bool) {
	whole, frac, _ := strings.Cut(s, ".")
	if strings.ContainsAny(whole, "eE+-") || strings.ContainsAny(frac, "eE+-") {
		return 0, false
	}
	w, ok := parseInt64([]byte(whole))
	if !ok || w < 0 || w > 9_000_000_000 {
		return 0, false
	}
	var f int64
	for i := range 9 {
		f *= 10
		if i < len(frac) {
			c := frac[i]
			if c < '0' || c > '9' {
				return 0, false
			}
			f += int64(c - '0')
		}
	}
	for i := 9; i < len(frac); i++ {
		if frac[i] < '0' || frac[i] > '9' {
			return 0, false
		}
	}
	return w*1_000_000_000 + f, true
}
