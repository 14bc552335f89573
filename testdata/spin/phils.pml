/*
 * BEEM phils (dining philosophers), the model of the Go port in
 * explore/models/phils. Source: plug-obp/beem-benchmark,
 * compiled/phils.1.dve.cpp. N philosophers and byte fork[N]; philosopher i
 * takes fork[i] (left), then fork[(i+1)%N] (right), puts down fork[i], then
 * the right fork, and starts again.
 *
 * Each DVE transition is one Promela step: a guarded take is a d_step whose
 * first statement is the guard (executable only when the fork is free), a
 * put-down is a single assignment, and the jump back to the start of the
 * loop is not a step. There is no init process (the N processes are active
 * from the start, i is _pid) and no local variable, so the state is the
 * forks and the program counters of the philosophers, as in DVE.
 *
 * State count: the same as the DVE model, 3^N - 1: 80 for N=4, 531,440 for
 * N=12 (with or without spin -o1 -o3). The "transitions" of SPIN are one
 * more than those of the engine: SPIN counts the initial state (stored +
 * matched). The deadlock (every philosopher holds its left fork) is an
 * "invalid end state" for pan.
 */
#ifndef N
#define N 12
#endif

byte fork[N];

active [N] proctype phil()
{
	do
	:: d_step { fork[_pid] == 0 -> fork[_pid] = 1 };	/* think -> one */
	   d_step { fork[(_pid + 1) % N] == 0 -> fork[(_pid + 1) % N] = 1 };	/* one -> eat */
	   fork[_pid] = 0;	/* eat -> finish */
	   fork[(_pid + 1) % N] = 0	/* finish -> think */
	od
}
