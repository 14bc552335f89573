package netbsd

import "github.com/lwpcheck/lwpcheck/model"

// The model's glue between user space and the kernel: the syscall path,
// traps, and where a new LWP starts. mi_userret (sys/userret.h) is not in
// the stored sources; the model keeps its LW_USERRET test.

// sysFns maps each op to the routine of its system call.
var sysFns = [...]uint8{
	model.OpCreate: FnSysCreate, model.OpExit: FnSysExit, model.OpSelf: FnSysSelf,
	model.OpWait: FnSysWait, model.OpSuspend: FnSysSuspend, model.OpContinue: FnSysContinue,
	model.OpWakeup: FnSysWakeup, model.OpDetach: FnSysDetach, model.OpKill: FnSysKill,
	model.OpPark: FnSysPark, model.OpUnpark: FnSysUnpark, model.OpUnparkAll: FnSysUnparkAll,
	model.OpSetname: FnSysSetname, model.OpGetname: FnSysGetname, model.OpCtl: FnSysCtl,
}

// syscallEntry is a system call from its trap to its return to user space:
// the call, userret, and the delivery of the result (a restarted call runs
// again). Its two ktrace points (sy_invoke, sys/syscallvar.h: the CALL
// record before sy_call, the RET record after it, before userret) are
// steps of their own when the machine records them (model.Machine.Ktrace).
func syscallEntry(k *model.K, f *model.Frame) {
	switch f.PC {
	case 0:
		k.At(0, k.Op().Kind.Syscall())
		k.KtrCall(0)
		f.PC = 1
	case 1:
		if k.M.Ktrace && !k.Cut(0, "sy_call") {
			return
		}
		k.Call(f, 2, sysFns[k.Op().Kind], 0, 0, 0)
	case 2:
		if k.M.Ktrace && !k.Cut(0, "ktrsysret") {
			return
		}
		k.Self().Result = f.Ret
		k.KtrRet(0)
		k.Call(f, 3, FnUserret, 0, 0, 0)
	case 3:
		k.Deliver(0)
		k.Return(0)
	}
}

// trap is an AST or clock interrupt taken in user space: userret.
func trap(k *model.K, f *model.Frame) {
	switch f.PC {
	case 0:
		k.At(0, "userret")
		k.Call(f, 1, FnUserret, 0, 0, 0)
	case 1:
		k.Return(0)
	}
}

// yieldTick is a clock tick in user space that preempts the LWP for one
// waiting on its CPU (preempt() from mi_userret), then userret.
func yieldTick(k *model.K, f *model.Frame) {
	switch f.PC {
	case 0:
		k.At(0, "clock tick: preempt")
		k.Call(f, 1, FnPreempt, 0, 0, 0)
	case 1:
		k.Call(f, 2, FnUserret, 0, 0, 0)
	case 2:
		k.Return(0)
	}
}

// userret is mi_userret's test: an unlocked read of l_flag; if a
// LW_USERRET flag is set, lwp_userret.
func userret(k *model.K, f *model.Frame) {
	switch f.PC {
	case 0:
		if !k.Cut(0, "l->l_flag & LW_USERRET (unlocked)") {
			return
		}
		if k.Self().Flag&k.M.Kernel.Userret != 0 {
			k.Call(f, 1, FnLwpUserret, 0, 0, 0)
			return
		}
		k.Return(0)
	case 1:
		k.Return(0)
	}
}

// startLWP is where a new LWP begins once lwp_startup has run: mi_startlwp
// (sys_lwp.c@1.84:70) returns to user space through userret. Traced
// processes are not modelled.
func startLWP(k *model.K, f *model.Frame) {
	switch f.PC {
	case 0:
		k.At(70, "mi_startlwp(arg)")
		k.Call(f, 1, FnUserret, 0, 0, 0)
	case 1:
		k.Return(0)
	}
}

// LidOf is the lid the program passes for the LWP it names n: its own lid,
// the lid a create returned for n, or a lid no LWP ever had if n has not
// been created (yet). Name 0 is lid 0 (wait for any).
func LidOf(k *model.K, n uint8) uint8 {
	switch {
	case n == 0:
		return 0
	case n == k.Self().Name:
		return k.Self().Lid
	case k.S.NameLid[n] != 0:
		return k.S.NameLid[n]
	}
	return UnknownLid
}

// UnknownLid is a lid never allocated.
const UnknownLid = 0xfe
