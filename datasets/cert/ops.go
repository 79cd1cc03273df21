package cert

import (
	"fmt"
	"strings"
)

// Op is an operation whose daily counts and times make features.
type Op int

// The operations of the features, in their default column order.
const (
	OpLogon            Op = iota // logon.csv rows with activity Logon
	OpLogoff                     // logon.csv rows with activity Logoff
	OpDeviceConnect              // device.csv rows with activity Connect
	OpDeviceDisconnect           // device.csv rows with activity Disconnect
	OpFileCopy                   // file.csv rows (r4.2 logs copies to removable media)
	OpEmailSend                  // email.csv rows (r4.2 logs sent e-mails)
	OpHTTPVisit                  // http.csv rows
	numOps
)

var opNames = [numOps]string{"logon", "logoff", "device_connect", "device_disconnect", "file_copy", "email_send", "http_visit"}

// String returns the op's name in feature names: "logon", "logoff",
// "device_connect", "device_disconnect", "file_copy", "email_send" or
// "http_visit".
func (o Op) String() string {
	if o < 0 || o >= numOps {
		return fmt.Sprintf("Op(%d)", int(o))
	}
	return opNames[o]
}

// Kind returns the file the op is read from.
func (o Op) Kind() Kind {
	switch o {
	case OpLogon, OpLogoff:
		return KindLogon
	case OpDeviceConnect, OpDeviceDisconnect:
		return KindDevice
	case OpFileCopy:
		return KindFile
	case OpEmailSend:
		return KindEmail
	}
	return KindHTTP
}

// AllOps returns the seven operations in default column order.
func AllOps() []Op {
	return []Op{OpLogon, OpLogoff, OpDeviceConnect, OpDeviceDisconnect, OpFileCopy, OpEmailSend, OpHTTPVisit}
}

// SeedOps returns the four operations of SeedFeatureNames: logon, device
// connect, file copy and e-mail send, which give 4 × 2 × 12 = 96 columns,
// the count the insider-threat seed reports. The seed does not list its
// features; this subset is an inference (the one that reaches 96 with
// this package's 12 statistics per op and day type, leaving out the
// 14.5 GB http.csv and the logoff and disconnect halves of the paired
// activities), not a documented reproduction.
func SeedOps() []Op { return []Op{OpLogon, OpDeviceConnect, OpFileCopy, OpEmailSend} }

// opOf returns the op of an event; ok is false for rows that are none of
// the ops (an unknown activity; in later releases, e-mails viewed and
// file actions other than copies).
func opOf(ev Event) (Op, bool) {
	switch ev.Kind {
	case KindLogon:
		switch {
		case strings.EqualFold(ev.Activity, "Logon"):
			return OpLogon, true
		case strings.EqualFold(ev.Activity, "Logoff"):
			return OpLogoff, true
		}
	case KindDevice:
		switch {
		case strings.EqualFold(ev.Activity, "Connect"):
			return OpDeviceConnect, true
		case strings.EqualFold(ev.Activity, "Disconnect"):
			return OpDeviceDisconnect, true
		}
	case KindFile:
		return OpFileCopy, ev.Activity == "" || strings.Contains(strings.ToLower(ev.Activity), "copy")
	case KindEmail:
		return OpEmailSend, ev.Activity == "" || strings.EqualFold(ev.Activity, "Send")
	case KindHTTP:
		return OpHTTPVisit, true
	}
	return 0, false
}

// Day types, statistic groups and statistics, in column order.
var (
	dayTypes   = []string{"weekday", "weekend"}
	statGroups = []string{"count", "start", "end", "duration"}
	statNames  = []string{"mean", "max", "min"}
)

// FeaturesPerOp is the number of columns of one op: 2 day types × 4
// groups (count, start, end, duration) × 3 statistics (mean, max, min).
const FeaturesPerOp = 24

// FeatureNames returns the column names of the features of ops (AllOps
// when nil), in Features' order: day type (weekday, weekend), then op in
// the order given, then group (count, start, end, duration), then
// statistic (mean, max, min), as in "weekday.logon.count.mean" or
// "weekend.http_visit.duration.min".
func FeatureNames(ops []Op) []string {
	if ops == nil {
		ops = AllOps()
	}
	names := make([]string, 0, len(ops)*FeaturesPerOp)
	for _, dt := range dayTypes {
		for _, op := range ops {
			for _, g := range statGroups {
				for _, s := range statNames {
					names = append(names, dt+"."+op.String()+"."+g+"."+s)
				}
			}
		}
	}
	return names
}

// SeedFeatureNames returns FeatureNames(SeedOps()), 96 columns.
func SeedFeatureNames() []string { return FeatureNames(SeedOps()) }
