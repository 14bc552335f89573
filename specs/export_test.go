package specs

// The copied tables, for the tests of package specs_test that tie them to
// the originals: those packages import specs, so only an external test
// can import them.
var (
	Results = results
	Signals = signals
)
