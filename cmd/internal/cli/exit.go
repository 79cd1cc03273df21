package cli

import "fmt"

// exitStatus is an outcome that ends vigil with a given status, not 1: a
// retraining that kept the champion, for a scheduler to tell apart.
type exitStatus struct {
	code int
	msg  string // printed after "vigil: " when not empty
}

func (e exitStatus) Error() string { return fmt.Sprintf("exit status %d: %s", e.code, e.msg) }
