package traces

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/google/go-cmp/cmp"
)

// Change is one field of a View that differs between two states.
type Change struct {
	What string `json:"what"` // e.g. "LWP 2 l_stat", "p_nrlwps", "lock p_lock"
	From string `json:"from"` // "-" when the thing did not exist
	To   string `json:"to"`   // "-" when it no longer exists
}

func (c Change) String() string { return c.What + ": " + c.From + " -> " + c.To }

// Diff lists the fields that differ from a to b, in the order of View's
// fields and, within a map, of its keys.
func Diff(a, b View) []Change {
	var r reporter
	cmp.Equal(a, b, cmp.Reporter(&r))
	return r.changes
}

// reporter collects the differences go-cmp finds, naming each by the c
// tags and map keys on its path. (cmp.Diff's text is unstable by design.)
type reporter struct {
	path    cmp.Path
	changes []Change
}

func (r *reporter) PushStep(ps cmp.PathStep) { r.path = append(r.path, ps) }
func (r *reporter) PopStep()                 { r.path = r.path[:len(r.path)-1] }

func (r *reporter) Report(res cmp.Result) {
	if res.Equal() {
		return
	}
	x, y := r.path.Last().Values()
	r.changes = append(r.changes, Change{What: r.name(), From: render(x), To: render(y)})
}

// name names the current path: the c tag of each struct field and each
// map key, joined by spaces.
func (r *reporter) name() string {
	var parts []string
	for i, ps := range r.path {
		switch ps := ps.(type) {
		case cmp.StructField:
			f, _ := r.path[i-1].Type().FieldByName(ps.Name())
			if tag := f.Tag.Get("c"); tag != "" {
				parts = append(parts, tag)
			}
		case cmp.MapIndex:
			parts = append(parts, fmt.Sprint(ps.Key()))
		}
	}
	return strings.Join(parts, " ")
}

// render shows a value of a View: a leaf as it is, a struct (an LWP or a
// CPU that appears or disappears) as its fields, an absent value as "-".
func render(v reflect.Value) string {
	if !v.IsValid() {
		return none
	}
	if v.Kind() != reflect.Struct {
		return fmt.Sprint(v.Interface())
	}
	return fields(v)
}

// fields renders a struct as tag=value pairs, leaving out empty values.
func fields(v reflect.Value) string {
	var parts []string
	for i := 0; i < v.NumField(); i++ {
		s := fmt.Sprint(v.Field(i).Interface())
		if s == none || s == "0" || s == "" {
			continue
		}
		parts = append(parts, v.Type().Field(i).Tag.Get("c")+"="+s)
	}
	return strings.Join(parts, " ")
}
