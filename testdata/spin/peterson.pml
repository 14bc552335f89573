/*
 * BEEM peterson (mutual exclusion for N processes after Peterson, the
 * filter lock), the model of the Go port in explore/models/peterson. Source:
 * plug-obp/beem-benchmark, compiled/peterson.1.dve.cpp. The DVE process P_i,
 * with locals j and k:
 *
 *   NCS  -> wait { effect j = 1; }
 *   wait -> q2   { guard j < N; effect pos[i] = j; }
 *   q2   -> q3   { effect step[j-1] = i, k = 0; }
 *   q3   -> q3   { guard k < N && (k == i || pos[k] < j); effect k = k+1; }
 *   q3   -> wait { guard step[j-1] != i || k == N; effect j = j+1; }
 *   wait -> CS   { guard j == N; }
 *   CS   -> NCS  { effect pos[i] = 0; }
 *
 * Each DVE transition is one Promela step (a d_step whose first statement
 * is the guard, or a single statement); jumps between labels are not steps.
 * There is no init process (the N processes are active from the start, i is
 * _pid).
 *
 * State count: with spin -o1 (no dataflow optimisation) the same as the DVE
 * model: 12,498 for N=3, 1,119,560 for N=4. The default dataflow
 * optimisation of SPIN resets a local once it is dead (k after q3, j in
 * CS), which DVE does not do, and so merges states: 11,760 for N=3 and
 * 1,067,376 for N=4. -o3 (no statement merging) changes nothing here but
 * keeps every DVE transition a step of its own. The "transitions" of SPIN
 * are one more than those of the engine: SPIN counts the initial state
 * (stored + matched).
 */
#ifndef N
#define N 4
#endif

byte pos[N];
byte step[N];

active [N] proctype P()
{
	byte j, k;
NCS:
	j = 1;	/* NCS -> wait */
wait:
	if
	:: d_step { j < N -> pos[_pid] = j };	/* wait -> q2 */
	   d_step { step[j - 1] = _pid; k = 0 };	/* q2 -> q3 */
	   goto q3
	:: j == N -> goto CS	/* wait -> CS */
	fi;
q3:
	if
	:: d_step { k < N && (k == _pid || pos[k] < j) -> k++ };	/* q3 -> q3 */
	   goto q3
	:: d_step { step[j - 1] != _pid || k == N -> j++ };	/* q3 -> wait */
	   goto wait
	fi;
CS:
	pos[_pid] = 0;	/* CS -> NCS */
	goto NCS
}
