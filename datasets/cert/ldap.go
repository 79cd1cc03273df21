package cert

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Employee is one row of an LDAP snapshot.
type Employee struct {
	Name           string // employee_name
	UserID         string // user_id, as in the event files
	Email          string
	Role           string
	Projects       string // "" in r4.2, which has no projects column
	BusinessUnit   string
	FunctionalUnit string
	Department     string
	Team           string
	Supervisor     string // the supervisor's employee_name (not user_id); "" at the top
}

// Snapshot is the LDAP file of one month: who was employed.
type Snapshot struct {
	Month     time.Time // the first day of the month, UTC
	File      string    // path of the file read
	Employees []Employee
}

// ldapColumns maps the LDAP header names to Employee fields.
var ldapColumns = []struct {
	name  string
	field func(*Employee) *string
}{
	{"employee_name", func(e *Employee) *string { return &e.Name }},
	{"user_id", func(e *Employee) *string { return &e.UserID }},
	{"email", func(e *Employee) *string { return &e.Email }},
	{"role", func(e *Employee) *string { return &e.Role }},
	{"projects", func(e *Employee) *string { return &e.Projects }},
	{"business_unit", func(e *Employee) *string { return &e.BusinessUnit }},
	{"functional_unit", func(e *Employee) *string { return &e.FunctionalUnit }},
	{"department", func(e *Employee) *string { return &e.Department }},
	{"team", func(e *Employee) *string { return &e.Team }},
	{"supervisor", func(e *Employee) *string { return &e.Supervisor }},
}

// LDAPHeader returns the columns of an r4.2 LDAP file, as Generate writes
// them (r4.2 has no projects column).
func LDAPHeader() []string {
	return []string{"employee_name", "user_id", "email", "role", "business_unit", "functional_unit", "department", "team", "supervisor"}
}

// ReadLDAPFile reads one LDAP snapshot. The header must hold user_id;
// the other columns of Employee are read when present, in any order. An
// empty user_id or a field count other than the header's is a bad row (see Options.Lenient).
func ReadLDAPFile(path string, opt *Options) ([]Employee, Stats, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, Stats{}, fmt.Errorf("cert: %w", err)
	}
	defer f.Close()
	s := newState(path, opt)
	var cols []int
	var out []Employee
	uid, width := -1, 0
	err = s.rows(f, func(rec []string, line int) error {
		idx := headerIndex(rec)
		if uid = columnOf(idx, "user_id"); uid < 0 {
			return s.fail(line, "no column %q in the header of an LDAP file", "user_id")
		}
		width = len(rec)
		cols = make([]int, len(ldapColumns))
		for i, c := range ldapColumns {
			cols[i] = columnOf(idx, c.name)
		}
		return nil
	}, func(rec []string, line int) error {
		if len(rec) != width {
			return s.bad(line, ReasonFields, "%d fields, want %d", len(rec), width)
		}
		if strings.TrimSpace(rec[uid]) == "" {
			return s.bad(line, ReasonEmpty, "empty user_id")
		}
		var e Employee
		for i, c := range ldapColumns {
			if cols[i] >= 0 {
				*c.field(&e) = strings.Clone(strings.TrimSpace(rec[cols[i]]))
			}
		}
		out = append(out, e)
		s.st.Events++
		return nil
	})
	return out, s.st, err
}

// ReadLDAP reads the monthly snapshots of an LDAP directory (r4.2's
// LDAP/), whose files are named YYYY-MM.csv; other files are ignored. The
// snapshots come in month order. Users who leave the organisation are
// those who disappear from later snapshots (see Departures).
func ReadLDAP(dir string, opt *Options) ([]Snapshot, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("cert: %w", err)
	}
	var out []Snapshot
	for _, e := range ents {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".csv") {
			continue
		}
		month, err := time.Parse("2006-01", strings.TrimSuffix(name, ".csv"))
		if err != nil {
			continue
		}
		path := filepath.Join(dir, name)
		emps, _, err := ReadLDAPFile(path, opt)
		if err != nil {
			return nil, err
		}
		out = append(out, Snapshot{Month: month, File: path, Employees: emps})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("cert: %s: no YYYY-MM.csv LDAP files", dir)
	}
	slices.SortFunc(out, func(a, b Snapshot) int { return a.Month.Compare(b.Month) })
	return out, nil
}

// Departures returns, for each user who appears in a snapshot but not in
// the last one, the month of the first snapshot after their last
// appearance: they left during the month before it. Users who come back
// later count from their last appearance.
func Departures(snaps []Snapshot) map[string]time.Time {
	last := map[string]int{}
	for i, s := range snaps {
		for _, e := range s.Employees {
			last[e.UserID] = i
		}
	}
	out := map[string]time.Time{}
	for u, i := range last {
		if i < len(snaps)-1 {
			out[u] = snaps[i+1].Month
		}
	}
	return out
}
