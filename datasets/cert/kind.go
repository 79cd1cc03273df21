package cert

import "fmt"

// Kind names an event file of a CERT release.
type Kind int

// The event files of r4.2, in the order Kinds returns them.
const (
	KindLogon  Kind = iota // logon.csv: Logon and Logoff
	KindDevice             // device.csv: removable media Connect and Disconnect
	KindFile               // file.csv: files copied to removable media
	KindEmail              // email.csv: e-mails sent
	KindHTTP               // http.csv: web pages visited
	numKinds
)

// Kinds returns the event files in a fixed order.
func Kinds() []Kind { return []Kind{KindLogon, KindDevice, KindFile, KindEmail, KindHTTP} }

var kindNames = [numKinds]string{"logon", "device", "file", "email", "http"}

// String returns "logon", "device", "file", "email" or "http".
func (k Kind) String() string {
	if k < 0 || k >= numKinds {
		return fmt.Sprintf("Kind(%d)", int(k))
	}
	return kindNames[k]
}

// FileName returns the file's name in a release directory, "logon.csv" and
// so on.
func (k Kind) FileName() string { return k.String() + ".csv" }

// Header returns the columns of the kind's file in r4.2, as Generate
// writes them.
func (k Kind) Header() []string {
	switch k {
	case KindLogon, KindDevice:
		return []string{"id", "date", "user", "pc", "activity"}
	case KindFile:
		return []string{"id", "date", "user", "pc", "filename", "content"}
	case KindEmail:
		return []string{"id", "date", "user", "pc", "to", "cc", "bcc", "from", "size", "attachments", "content"}
	case KindHTTP:
		return []string{"id", "date", "user", "pc", "url", "content"}
	}
	return nil
}

// required returns the columns a header must have for the kind.
func (k Kind) required() []string {
	switch k {
	case KindLogon, KindDevice:
		return []string{"date", "user", "pc", "activity"}
	case KindFile:
		return []string{"date", "user", "pc", "filename"}
	case KindEmail:
		return []string{"date", "user", "pc"}
	case KindHTTP:
		return []string{"date", "user", "pc", "url"}
	}
	return nil
}

func (k Kind) valid() bool { return k >= 0 && k < numKinds }
