package report

import (
	"fmt"
	"regexp"
	"strings"
)

var tagRE = regexp.MustCompile(`<(/?)([a-zA-Z][a-zA-Z0-9]*)[^<>]*>`)

// voidElements never take a closing tag.
var voidElements = map[string]bool{"meta": true, "img": true, "br": true, "hr": true, "link": true, "input": true}

// checkBalanced reports the first misnested or unclosed element of page, and
// any raw '<' or '>' left outside a tag or the style block.
func checkBalanced(page string) error {
	if !strings.HasPrefix(page, "<!DOCTYPE html>") {
		return fmt.Errorf("missing doctype")
	}
	body := page[len("<!DOCTYPE html>"):]
	var stack []string
	last := 0
	for _, m := range tagRE.FindAllStringSubmatchIndex(body, -1) {
		text := body[last:m[0]]
		inStyle := len(stack) > 0 && stack[len(stack)-1] == "style"
		if !inStyle && strings.ContainsAny(text, "<>") {
			return fmt.Errorf("raw angle bracket in text %q", text)
		}
		last = m[1]
		closing := body[m[2]:m[3]] == "/"
		name := strings.ToLower(body[m[4]:m[5]])
		switch {
		case voidElements[name]:
		case closing:
			if len(stack) == 0 || stack[len(stack)-1] != name {
				return fmt.Errorf("</%s> closes %v", name, stack)
			}
			stack = stack[:len(stack)-1]
		default:
			stack = append(stack, name)
		}
	}
	if len(stack) != 0 {
		return fmt.Errorf("unclosed elements %v", stack)
	}
	return nil
}
