package netbsd2007

import (
	"github.com/lwpcheck/lwpcheck/model"
	nb "github.com/lwpcheck/lwpcheck/model/netbsd"
)

// Routines of kern_sleepq.c 1.7.2.7 (2007-07-01), the stored revision with
// the interface kern_condvar.c 1.11 and kern_synch.c 1.192 call
// (sleepq_enqueue with a priority, sleepq_block(timo, catch)). The others
// are netbsd-5's, placed at their lines here (rev.go).

// sleepqBlock mirrors sleepq_block, kern_sleepq.c@1.7.2.7:238. The LWP is
// locked by its sleep queue's lock and on the queue. Unlike 1.25.2.1's, it
// looks for a pending signal before the exit and cancel flags, and an
// early wakeup goes through the same checks as a late one (catchit,
// :289), issignal included. A: nb.BlockTimo|nb.BlockCatch; B: the error.
// Returns the error.
func sleepqBlock(k *model.K, f *model.Frame) {
	l := k.Self()
	catch := f.A&nb.BlockCatch != 0
	switch f.PC {
	case 0:
		k.At(253, "sleepq_block: check for early wakeup")
		if catch {
			l.Flag |= model.FlagSINTR // :254
			if l.Flag&model.FlagPENDSIG != 0 {
				k.Unlocked() // sigispending reads the pending sets without p_smutex
				if nb.Sigispending(k, k.Cur) != 0 {
					f.B = uint8(model.EINTR)                          // :258
					k.Call(f, 3, nb.FnLwpUnsleep, uint8(k.Cur), 1, 0) // :257
					return
				}
			}
			if l.Flag&(model.FlagCANCELLED|model.FlagWEXIT|model.FlagWCORE) != 0 {
				l.Flag &^= model.FlagCANCELLED                    // :262
				f.B = uint8(model.EINTR)                          // :265
				k.Call(f, 3, nb.FnLwpUnsleep, uint8(k.Cur), 1, 0) // :264
				return
			}
		}
		if f.A&nb.BlockTimo != 0 {
			l.Timo = 1 // callout_reset :271
		}
		k.Call(f, 2, nb.FnMiSwitch, 0, 0, 0) // :273
	case 2:
		// Back on a CPU: the LWP and the sleep queue are unlocked.
		k.At(284, "awoken: callout_stop")
		if f.A&nb.BlockTimo != 0 {
			if l.Timo == 2 {
				f.B = uint8(model.EWOULDBLOCK) // the callout fired :284-285
			}
			l.Timo = 0
		}
		if !catch || f.B != 0 {
			k.Return(f.B) // :307
			return
		}
		f.PC = 3
	case 3: // catchit :289
		if !k.Cut(291, "l->l_flag & (LW_CANCELLED | LW_WEXIT | LW_WCORE) (unlocked)") {
			return
		}
		switch {
		case l.Flag&(model.FlagCANCELLED|model.FlagWEXIT|model.FlagWCORE) != 0:
			f.B = uint8(model.EINTR) // :292
		case l.Flag&model.FlagPENDSIG != 0:
			f.PC = 4
			return
		}
		k.Return(f.B)
	case 4:
		if !k.Enter(k.PLock(), 294, "mutex_enter(&p->p_smutex)") {
			return
		}
		k.Call(f, 5, nb.FnIssignal, 0, 0, 0) // :295
	case 5:
		if f.Ret != 0 {
			f.B = uint8(nb.Sigtoerror(f.Ret)) // :296
		}
		k.Exit(k.PLock(), 297)
		k.Return(f.B)
	}
}
