package model

// Revision is one modelled source revision: its name, what it models and
// abstracts, and its kernel.
type Revision struct {
	Name    string
	About   string
	Sources []string // the source files modelled, with revisions
	Notes   []string // what is abstracted, and why
	Kernel  *Kernel
}
