package cert

import (
	"path/filepath"
	"testing"
	"time"
)

func TestReadInsidersKeeps42(t *testing.T) {
	dir := t.TempDir()
	path := writeFile(t, dir, "insiders.csv", "dataset,scenario,details,user,start,end\n"+
		"4.1,1,r4.1-1-AAA0001.csv,AAA0001,01/04/2010 08:00:00,01/05/2010 08:00:00\n"+
		"4.2,1,r4.2-1-BBB0002.csv,BBB0002,10/23/2010 01:50:35,10/29/2010 05:41:50\n"+
		"4.20,2,r4.2-2-CCC0003.csv,CCC0003,2010-11-01 09:00:00,2011-01-02\n"+
		"r4.2,3,r4.2-3-DDD0004.csv,DDD0004,1/2/2011 9:03:00,1/3/2011\n"+
		"5.2,1,r5.2-1-EEE0005.csv,EEE0005,not a date,never\n"+
		"6.2,4,r6.2-4-FFF0006.csv,FFF0006,01/04/2010 08:00:00,01/05/2010 08:00:00\n")
	ins, err := ReadInsiders(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []Insider{
		{"4.2", 1, "r4.2-1-BBB0002.csv", "BBB0002", time.Date(2010, 10, 23, 1, 50, 35, 0, time.UTC), time.Date(2010, 10, 29, 5, 41, 50, 0, time.UTC)},
		{"4.20", 2, "r4.2-2-CCC0003.csv", "CCC0003", time.Date(2010, 11, 1, 9, 0, 0, 0, time.UTC), time.Date(2011, 1, 2, 0, 0, 0, 0, time.UTC)},
		{"r4.2", 3, "r4.2-3-DDD0004.csv", "DDD0004", time.Date(2011, 1, 2, 9, 3, 0, 0, time.UTC), time.Date(2011, 1, 3, 0, 0, 0, 0, time.UTC)},
	}
	if len(ins) != len(want) {
		t.Fatalf("insiders %+v", ins)
	}
	for i := range want {
		if ins[i] != want[i] {
			t.Errorf("insider %d = %+v, want %+v", i, ins[i], want[i])
		}
	}
	if ins, err := ReadInsiders(path, &Options{Release: 6.2}); err != nil || len(ins) != 1 || ins[0].Scenario != 4 {
		t.Errorf("release 6.2: %+v, %v", ins, err)
	}
	if _, err := ReadInsiders(path, &Options{Release: 5.2}); err == nil {
		t.Error("release 5.2: bad dates accepted")
	} else {
		wantParseError(t, err, path, 6, ReasonDate)
	}
	if ins, err := ReadInsiders(path, &Options{Release: 5.2, Lenient: true}); err != nil || len(ins) != 0 {
		t.Errorf("release 5.2, lenient: %+v, %v", ins, err)
	}
}

func TestReadLDAP(t *testing.T) {
	dir := t.TempDir()
	header := "employee_name,user_id,email,role,projects,business_unit,functional_unit,department,team,supervisor\n"
	a := "Ann Bee Cole,ABC0001,Ann.Bee.Cole@dtaa.com,Manager,,1,1 - Administration,2 - IT,1 - IT,\n"
	b := "\"Dan, Jr. Eve\",DJE0002,Dan.Eve@dtaa.com,ITAdmin,p1,1,1 - Administration,2 - IT,1 - IT,Ann Bee Cole\n"
	c := "Fay Gus Hay,FGH0003,Fay.Hay@dtaa.com,Salesman,,1,5 - Sales,3 - Sales,2 - S,Ann Bee Cole\n"
	writeFile(t, dir, "LDAP/2010-03.csv", header+a+c)
	writeFile(t, dir, "LDAP/2010-01.csv", header+a+b+c)
	writeFile(t, dir, "LDAP/2010-02.csv", header+a+c)
	writeFile(t, dir, "LDAP/notes.txt", "not a snapshot")
	snaps, err := ReadLDAP(filepath.Join(dir, "LDAP"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(snaps) != 3 || snaps[0].Month != time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC) || len(snaps[0].Employees) != 3 {
		t.Fatalf("snapshots %+v", snaps)
	}
	e := snaps[0].Employees[1]
	if e != (Employee{"Dan, Jr. Eve", "DJE0002", "Dan.Eve@dtaa.com", "ITAdmin", "p1", "1", "1 - Administration", "2 - IT", "1 - IT", "Ann Bee Cole"}) {
		t.Errorf("employee %+v", e)
	}
	left := Departures(snaps)
	if len(left) != 1 || left["DJE0002"] != snaps[1].Month {
		t.Errorf("departures %v", left)
	}

	path := writeFile(t, dir, "bad/2010-01.csv", header+a+"X,,x@dtaa.com,Role,,1,u,d,t,s\n"+b)
	emps, st, err := ReadLDAPFile(path, &Options{Lenient: true})
	if err != nil || len(emps) != 2 || st.Skipped[ReasonEmpty] != 1 {
		t.Errorf("lenient: %d employees, %+v, %v", len(emps), st, err)
	}
	_, _, err = ReadLDAPFile(path, nil)
	wantParseError(t, err, path, 3, ReasonEmpty)
}
