package cert

import (
	"bytes"
	"testing"
)

// FuzzReadEvents feeds arbitrary bytes to the e-mail reader (the kind with
// the most columns) in both modes: it must not panic, and every event it
// hands over must have a user and a date.
func FuzzReadEvents(f *testing.F) {
	header := "id,date,user,pc,to,cc,bcc,from,size,attachments,content\n"
	f.Add([]byte(header + "{1},01/04/2010 08:00:00,A,PC-1,b@x.com;c@y.org,,,a@x.com,100,2,\"a, b\"\n"))
	f.Add([]byte(header + "{1},1/4/2010 8:00:00,A,PC-1,,,,,,,\n{2},bad,A,PC,,,,,,,\n"))
	f.Add([]byte(header + "{1},01/04/2010 08:00:00,A,PC-1,b,,,a,1,0,\"open\n"))
	f.Add([]byte("\ufeffDATE,User,PC\n01/04/2010 08:00:00,A,P\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, lenient := range []bool{false, true} {
			_, _ = ReadEventsFrom(bytes.NewReader(data), "fuzz.csv", KindEmail, &Options{Lenient: lenient, MaxRowBytes: 1 << 12}, func(ev Event) error {
				if ev.User == "" || ev.Time.IsZero() || ev.Recipients < ev.External || ev.Size < 0 || ev.Attachments < 0 {
					t.Fatalf("event %+v", ev)
				}
				return nil
			})
		}
	})
}
