package cert

import "time"

// Event is one row of an event file. The content column is never kept.
// String fields are copies: an Event holds no reference to the reader's
// buffers and may be kept.
type Event struct {
	Kind Kind
	Line int    // 1-based line of the row in its file
	ID   string // the id column, e.g. "{X1D9-S0ES98JV-5357PWMI}"; "" when absent
	// Time is the date column: a wall-clock time without a zone (CERT
	// records none), returned in time.UTC.
	Time time.Time
	User string
	PC   string
	// Activity is the activity column where the file has one: "Logon" or
	// "Logoff" (logon.csv), "Connect" or "Disconnect" (device.csv), as
	// written; later releases add it to other files. "" when absent.
	Activity string

	Filename string // file.csv: the file copied

	From string // email.csv: the sender
	// Recipients is the number of addresses in to, cc and bcc (separated
	// by ';'); External those whose domain differs from the sender's.
	Recipients, External int
	Size                 int64 // email.csv: bytes, 0 when absent
	Attachments          int   // email.csv: count (or the number of ';'-separated names in later releases), 0 when absent

	// Domain is the host of the url column of http.csv, lower-cased,
	// without scheme, port, path or query ("www." is kept).
	Domain string
}
