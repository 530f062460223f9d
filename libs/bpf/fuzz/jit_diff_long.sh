#!/bin/sh
# Long differential runs (fuzz/jit_diff_main.c) in the background, at the
# lowest priority, one process (or pipeline) per seed.
#
#   jit_diff_long.sh start DIR FIRST_SEED PROCS SECONDS NATIVE [RV64 [RUNNER]]
#       PROCS runs with seeds FIRST_SEED, FIRST_SEED+1, ..., each ending
#       after SECONDS (0: never); logs in DIR/<seed>/.
#       Without RV64: NATIVE (the host build, jit_diff) compares natively.
#       With RV64 (jit_diff_rv64): NATIVE --accepted SEED verifies inputs
#       natively and RUNNER RV64 --stdin (RUNNER: qemu-riscv64) compiles
#       and compares them on riscv64.
#   jit_diff_long.sh stop DIR      SIGTERM: each run ends with its exact count
#   jit_diff_long.sh sum DIR       programs compiled and compared, per seed
#                                  and in total (from each run's last line)
#
# nice -n 19 alone does not make a process yield to other users' work
# when the kernel groups processes by session (autogroup, on by default
# on Debian): the niceness then only ranks processes inside one session.
# Each run is its own session, and the session's group gets niceness 19.
set -eu
cmd=$1
dir=$2
abs() { echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"; }
case $cmd in
start)
	first=$3 procs=$4 secs=$5 native=$(abs "$6")
	rv=${7:+$(abs "$7")} runner=${8:-qemu-riscv64}
	k=0
	while [ "$k" -lt "$procs" ]; do
		seed=$((first + k))
		mkdir -p "$dir/$seed"
		if [ -n "$rv" ]; then
			run="'$native' --accepted 100000000000 $seed 2>accepted.log | $runner '$rv' --stdin $secs"
		else
			run="'$native' 100000000000 $seed 0 $secs"
		fi
		(cd "$dir/$seed" && exec setsid nice -n 19 sh -c "$run" > log 2>&1) &
		echo $! > "$dir/$seed/pid"
		sleep 0.2
		ag=/proc/$(cat "$dir/$seed/pid")/autogroup
		if [ -w "$ag" ]; then echo 19 > "$ag" 2>/dev/null || true; fi
		echo "seed $seed: session $(cat "$dir/$seed/pid")"
		k=$((k + 1))
	done
	;;
stop)
	# each run is a session (and process group) of its own
	for p in "$dir"/*/pid; do kill -TERM "-$(cat "$p")" 2>/dev/null || true; done
	;;
sum)
	total=0
	for log in "$dir"/*/log; do
		seed=$(basename "$(dirname "$log")")
		m=$(grep -o '[0-9]* compiled and compared' "$log" | tail -n 1 | cut -d' ' -f1)
		if grep -q 'jit_diff: done' "$log"; then state=final; else state="last progress line"; fi
		bugs=$(grep -c 'JIT BUG\|MISMATCH\|does not load\|did not compile' "$log" || true)
		echo "seed $seed: ${m:-0} programs compiled and compared ($state), failures: $bugs"
		total=$((total + ${m:-0}))
	done
	echo "total: $total programs compiled and compared"
	;;
*)
	echo "usage: $0 start|stop|sum DIR ..." >&2
	exit 2
	;;
esac
