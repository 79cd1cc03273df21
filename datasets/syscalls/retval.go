package syscalls

// Return-value categories of the ReturnValue feature of the LID-DS
// library; other syscalls have none.
const (
	RetNone = iota
	RetRead
	RetWrite
	RetRecvSocket
	RetSendSocket
	RetGetDents
	numRetCategories
)

// retCategory maps syscall names to return-value categories.
var retCategory = map[string]int{
	"read": RetRead, "readv": RetRead,
	"write": RetWrite, "writev": RetWrite,
	"recvfrom": RetRecvSocket, "recv": RetRecvSocket, "recvmsg": RetRecvSocket,
	"sendfile": RetSendSocket, "sendmsg": RetSendSocket,
	"getdents": RetGetDents,
}

// ReturnCategory returns the return-value category of a syscall name.
func ReturnCategory(name string) int { return retCategory[name] }

// ReturnValues scales the byte counts returned by reads, writes, socket
// receives and sends and getdents by the largest of each category seen in
// training, as the ReturnValue feature of the LID-DS library. The zero
// value has no maxima and gives 0 for every non-error call.
type ReturnValues struct {
	Max [numRetCategories]int64 // largest return value per category
}

// Fit raises the maxima to the return values of calls.
func (r *ReturnValues) Fit(calls []Call) {
	for _, c := range calls {
		if k := retCategory[c.Name]; k != RetNone && c.HasRet && c.Ret > r.Max[k] {
			r.Max[k] = c.Ret
		}
	}
}

// Value is the feature of one call: 0 for calls outside the categories or
// without a return value, -1 for an error (a negative return value), else
// the return value divided by the category's maximum (0 when that is 0).
// LID-DS counts only EAGAIN, EINVAL, ECONNRESET and EPIPE as errors and
// gives 0 for other error codes.
func (r *ReturnValues) Value(c Call) float32 {
	k := retCategory[c.Name]
	if k == RetNone || !c.HasRet {
		return 0
	}
	if c.Ret < 0 {
		return -1
	}
	if r.Max[k] <= 0 {
		return 0
	}
	return float32(float64(c.Ret) / float64(r.Max[k]))
}

// Values returns Value for every call.
func (r *ReturnValues) Values(calls []Call) []float32 {
	out := make([]float32, len(calls))
	for i, c := range calls {
		out[i] = r.Value(c)
	}
	return out
}
