package traces

// Switches counts the context switches of a trace: the places where a
// step's actor differs from the previous step's. A reader follows a trace
// with few switches more easily.
func Switches(steps []Step) int {
	n := 0
	for i := 1; i < len(steps); i++ {
		if steps[i].Actor != steps[i-1].Actor {
			n++
		}
	}
	return n
}
