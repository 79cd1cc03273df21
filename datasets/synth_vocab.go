package datasets

import (
	"math/rand/v2"
	"strconv"
)

// unixCommands are real command names. The first ones are the most common
// in interactive sessions and serve as the shared commands of every user.
var unixCommands = []string{
	"ls", "cd", "cat", "sh", "vi", "grep", "more", "rm", "cp", "mv",
	"ps", "make", "less", "echo", "pwd", "mail", "date", "man", "find", "csh",
	"who", "env", "tail", "head", "chmod",
	"gcc", "cc", "ld", "as", "cpp", "gdb", "emacs", "nano", "awk", "sed",
	"perl", "python", "tar", "gzip", "gunzip", "zcat", "diff", "patch", "sort", "uniq",
	"wc", "cut", "tr", "xargs", "kill", "top", "df", "du", "mount", "umount",
	"ssh", "scp", "rsync", "ftp", "telnet", "rlogin", "ping", "netstat", "ifconfig", "nslookup",
	"lpr", "lpq", "lprm", "troff", "nroff", "latex", "dvips", "xdvi", "ghostview", "bibtex",
	"xterm", "xclock", "xrdb", "xset", "twm", "netscape", "xv", "xhost", "xauth", "xlock",
	"mkdir", "rmdir", "ln", "touch", "file", "which", "whereis", "hostname", "uname", "id",
	"finger", "talk", "write", "biff", "from", "elm", "pine", "mutt", "sendmail", "uptime",
	"crontab", "at", "nice", "nohup", "time", "sleep", "clear", "stty", "tset", "script",
	"ar", "ranlib", "nm", "strip", "size", "lex", "yacc", "m4", "indent", "lint",
	"rcs", "ci", "co", "rcsdiff", "sccs", "cvs", "tee", "col", "expand", "fold",
	"od", "strings", "split", "join", "paste", "comm", "cmp", "basename", "dirname", "test",
	"expr", "bc", "dc", "cal", "units", "spell", "look", "compress", "uncompress", "tic",
}

var (
	synthPrefixes = []string{"x", "g", "k", "py", "ml", "db", "net", "sys", "log", "cfg", "q", "sim"}
	synthStems    = []string{"edit", "view", "sync", "stat", "run", "conv", "mon", "scan", "build", "fmt", "plot", "dump"}
)

// synthVocab returns n distinct command names: the real names of
// unixCommands first, then synthetic prefix+stem names in an order shuffled
// by rng, then numbered variants when more are needed.
func synthVocab(n int, rng *rand.Rand) []string {
	out := make([]string, 0, n)
	seen := map[string]bool{}
	add := func(s string) {
		if len(out) < n && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for _, c := range unixCommands {
		add(c)
	}
	var synth []string
	for _, p := range synthPrefixes {
		for _, s := range synthStems {
			synth = append(synth, p+s)
		}
	}
	rng.Shuffle(len(synth), func(i, j int) { synth[i], synth[j] = synth[j], synth[i] })
	for _, s := range synth {
		add(s)
	}
	for k := 2; len(out) < n; k++ {
		for _, s := range synth {
			add(s + strconv.Itoa(k))
		}
	}
	return out
}
