package specs

import (
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// An Op is an operation a step can name: its name, usage and argument
// grammar. Ops lists them.
type Op struct {
	Name  string // as written at the start of a step
	Usage string // one line: the op with its arguments, e.g. "suspend L"
	Doc   string // one line: what the op does

	noReturn bool                     // the op does not return, so a step cannot assert a result
	args     func(*args, *Step) error // parses the arguments into the step
}

// ops is the table of ops, in the order Ops lists them. Another system's
// ops are added here.
var ops = []Op{
	{Name: "create", Usage: "create L [suspended] [detached] [badptr]", Doc: "_lwp_create: create LWP L; badptr: the copyout of the new lid faults", args: createArgs},
	{Name: "exit", Usage: "exit", Doc: "_lwp_exit: the calling LWP exits", noReturn: true, args: noArgs},
	{Name: "self", Usage: "self", Doc: "_lwp_self: return the calling LWP's lid", args: noArgs},
	{Name: "wait", Usage: "wait L|any", Doc: "_lwp_wait: wait for LWP L, or any LWP, to exit", args: waitArgs},
	{Name: "suspend", Usage: "suspend L", Doc: "_lwp_suspend: suspend LWP L", args: lwpArg},
	{Name: "continue", Usage: "continue L", Doc: "_lwp_continue: resume the suspended LWP L", args: lwpArg},
	{Name: "wakeup", Usage: "wakeup L", Doc: "_lwp_wakeup: interrupt LWP L's sleep", args: lwpArg},
	{Name: "detach", Usage: "detach L", Doc: "_lwp_detach: detach LWP L", args: lwpArg},
	{Name: "kill", Usage: "kill L [SIG]", Doc: "_lwp_kill: send SIG (" + list(signals) + "; default SIGUSR1) to LWP L", args: killArgs},
	{Name: "park", Usage: "park [hint H] [timeout] [unpark L [hint H]]", Doc: "_lwp_park: sleep until unparked, optionally unparking LWP L first", args: parkArgs},
	{Name: "unpark", Usage: "unpark L [hint H]", Doc: "_lwp_unpark: unpark LWP L", args: unparkArgs},
	{Name: "unpark_all", Usage: "unpark_all L,L... [hint H]", Doc: "_lwp_unpark_all: unpark each listed LWP", args: unparkAllArgs},
	{Name: "setname", Usage: "setname L", Doc: "_lwp_setname: set LWP L's name", args: lwpArg},
	{Name: "getname", Usage: "getname L", Doc: "_lwp_getname: get LWP L's name", args: lwpArg},
	{Name: "ctl", Usage: "ctl", Doc: "_lwp_ctl: set up the calling LWP's lwpctl area", args: noArgs},
}

// Ops returns every op a step can name, in a fixed order.
func Ops() []Op { return slices.Clone(ops) }

// lookupOp returns the op named name.
func lookupOp(name string) (*Op, bool) {
	i := slices.IndexFunc(ops, func(op Op) bool { return op.Name == name })
	if i < 0 {
		return nil, false
	}
	return &ops[i], true
}

// results are the results a step may assert, besides "any", in the order
// error messages list them: the model's Errno values that user space can
// see, in the model's order. A test ties the two.
var results = []string{"0", "ESRCH", "EDEADLK", "EINVAL", "EALREADY", "EINTR", "ETIMEDOUT", "EFAULT", "EAGAIN", "ENODEV", "EBUSY", "ENOMEM"}

// step parses the step in the scalar n.
func (p *parser) step(n *yaml.Node) (Step, error) {
	ws := p.words(n)
	if len(ws) == 0 {
		return Step{}, p.errorf(pos(n), "empty step")
	}
	s := Step{Pos: ws[0].pos, Text: strings.TrimSpace(n.Value)}
	arrow := slices.IndexFunc(ws, func(w word) bool { return w.text == "->" })
	if arrow == 0 {
		return Step{}, p.errorf(ws[0].pos, "missing op before \"->\"")
	}
	opw := ws[0]
	op, ok := lookupOp(opw.text)
	if !ok {
		if _, isLWP := decimal(opw.text, 1, MaxLWP); isLWP {
			return Step{}, p.errorf(opw.pos, "unknown op %q (in [...], quote a step that has commas)", opw.text)
		}
		return Step{}, p.errorf(opw.pos, "unknown op %q", opw.text)
	}
	s.Op = op.Name
	rest := ws[1:]
	if arrow > 0 {
		rest = ws[1:arrow]
	}
	if err := op.args(&args{p: p, op: op, opw: opw, rest: rest}, &s); err != nil {
		return Step{}, err
	}
	if arrow < 0 {
		return s, nil
	}
	a := ws[arrow]
	switch {
	case op.noReturn:
		return Step{}, p.errorf(a.pos, "%s does not return, so it has no result", op.Name)
	case arrow == len(ws)-1:
		return Step{}, p.errorf(a.pos, "missing result after \"->\"")
	case arrow+2 < len(ws):
		w := ws[arrow+2]
		return Step{}, p.errorf(w.pos, "unexpected %q after the result", w.text)
	}
	rs, err := p.results(ws[arrow+1])
	if err != nil {
		return Step{}, err
	}
	s.Results = rs
	return s, nil
}

// results parses the results word w: RESULT[|RESULT...].
func (p *parser) results(w word) ([]string, error) {
	var rs []string
	off := 0
	for _, r := range strings.Split(w.text, "|") {
		switch {
		case r == "":
			return nil, p.errorf(w.at(off), "empty result in %q", w.text)
		case r != "any" && !slices.Contains(results, r):
			return nil, p.errorf(w.at(off), "bad result %q (want any or one of %s)", r, strings.Join(results, ", "))
		case slices.Contains(rs, r):
			return nil, p.errorf(w.at(off), "duplicate result %q", r)
		case r == "any" && len(rs) > 0 || slices.Contains(rs, "any"):
			return nil, p.errorf(w.at(off), "any cannot be combined with other results")
		}
		rs = append(rs, r)
		off += len(r) + 1
	}
	return rs, nil
}

// args are the arguments of a step, for an op's argument parser.
type args struct {
	p    *parser
	op   *Op
	opw  word   // the op's word
	rest []word // the arguments not yet parsed
}

// errorf returns an error at pos, naming the op.
func (a *args) errorf(pos Pos, format string, v ...any) error {
	return a.p.errorf(pos, a.op.Name+": "+format, v...)
}

// accept consumes the next argument if it is the keyword kw.
func (a *args) accept(kw string) bool {
	if len(a.rest) == 0 || a.rest[0].text != kw {
		return false
	}
	a.rest = a.rest[1:]
	return true
}

// next consumes the next argument, which must be there: what describes it.
func (a *args) next(what string) (word, error) {
	if len(a.rest) == 0 {
		return word{}, a.errorf(a.opw.pos, "missing %s (usage: %s)", what, a.op.Usage)
	}
	w := a.rest[0]
	a.rest = a.rest[1:]
	return w, nil
}

// end reports an argument left over.
func (a *args) end() error {
	if len(a.rest) > 0 {
		return a.errorf(a.rest[0].pos, "unexpected %q (usage: %s)", a.rest[0].text, a.op.Usage)
	}
	return nil
}

// lwp consumes an LWP name.
func (a *args) lwp() (int, word, error) {
	w, err := a.next("LWP")
	if err != nil {
		return 0, w, err
	}
	l, err := a.lwpName(w, 0)
	return l, w, err
}

// lwpName parses the LWP name at byte off of w, up to a comma.
func (a *args) lwpName(w word, off int) (int, error) {
	text := w.text[off:]
	if i := strings.IndexByte(text, ','); i >= 0 {
		text = text[:i]
	}
	l, ok := decimal(text, 1, MaxLWP)
	if !ok {
		return 0, a.errorf(w.at(off), "want an LWP name from 1 to %d, got %q (usage: %s)", MaxLWP, text, a.op.Usage)
	}
	return l, nil
}

// hint consumes `hint H` if it comes next.
func (a *args) hint() (int, error) {
	if !a.accept("hint") {
		return 0, nil
	}
	w, err := a.next("hint value")
	if err != nil {
		return 0, err
	}
	h, ok := decimal(w.text, 1, 9)
	if !ok {
		return 0, a.errorf(w.pos, "want a hint from 1 to 9, got %q (usage: %s)", w.text, a.op.Usage)
	}
	return h, nil
}

func noArgs(a *args, s *Step) error { return a.end() }

func lwpArg(a *args, s *Step) (err error) {
	if s.Target, _, err = a.lwp(); err != nil {
		return err
	}
	return a.end()
}

func createArgs(a *args, s *Step) error {
	l, w, err := a.lwp()
	if err != nil {
		return err
	}
	if l == 1 {
		return a.errorf(w.pos, "LWP 1 exists at start")
	}
	s.Target = l
	for _, w := range a.rest {
		var flag *bool
		switch w.text {
		case "suspended":
			flag = &s.Suspended
		case "detached":
			flag = &s.Detached
		case "badptr":
			flag = &s.BadPtr
		default:
			return a.errorf(w.pos, "unexpected %q (usage: %s)", w.text, a.op.Usage)
		}
		if *flag {
			return a.errorf(w.pos, "duplicate flag %q", w.text)
		}
		*flag = true
	}
	return nil
}

func waitArgs(a *args, s *Step) (err error) {
	if a.accept("any") {
		s.Target = AnyLWP
	} else if s.Target, _, err = a.lwp(); err != nil {
		return err
	}
	return a.end()
}

func killArgs(a *args, s *Step) (err error) {
	if s.Target, _, err = a.lwp(); err != nil {
		return err
	}
	s.Signal = "SIGUSR1"
	if len(a.rest) > 0 {
		w := a.rest[0]
		a.rest = a.rest[1:]
		if !slices.Contains(signals, w.text) {
			return a.errorf(w.pos, "want %s, got %q (usage: %s)", list(signals), w.text, a.op.Usage)
		}
		s.Signal = w.text
	}
	return a.end()
}

// signals are the signals kill may send: those the model knows
// (model/program.go). A test ties the two.
var signals = []string{"0", "SIGUSR1", "SIGKILL", "SIGSTOP", "SIGCONT", "SIGQUIT"}

// list joins words as a sentence does: "a, b or c".
func list(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}

func parkArgs(a *args, s *Step) (err error) {
	if s.Hint, err = a.hint(); err != nil {
		return err
	}
	s.Timeout = a.accept("timeout")
	if a.accept("unpark") {
		if s.Unpark, _, err = a.lwp(); err != nil {
			return err
		}
		if s.UnparkHint, err = a.hint(); err != nil {
			return err
		}
	}
	return a.end()
}

func unparkArgs(a *args, s *Step) (err error) {
	if s.Target, _, err = a.lwp(); err != nil {
		return err
	}
	if s.Hint, err = a.hint(); err != nil {
		return err
	}
	return a.end()
}

func unparkAllArgs(a *args, s *Step) error {
	w, err := a.next("LWP list")
	if err != nil {
		return err
	}
	for off := 0; ; {
		if off == len(w.text) || w.text[off] == ',' {
			return a.errorf(w.at(off), "missing LWP in list %q (usage: %s, without spaces)", w.text, a.op.Usage)
		}
		l, err := a.lwpName(w, off)
		if err != nil {
			return err
		}
		if slices.Contains(s.Targets, l) {
			return a.errorf(w.at(off), "duplicate LWP %d", l)
		}
		s.Targets = append(s.Targets, l)
		i := strings.IndexByte(w.text[off:], ',')
		if i < 0 {
			break
		}
		off += i + 1
	}
	if s.Hint, err = a.hint(); err != nil {
		return err
	}
	return a.end()
}
