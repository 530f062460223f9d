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
# Every process runs at nice 19 in the caller's session.  Debian's
# kernel groups processes by session for scheduling (autogroup): sessions
# share the CPUs equally, and niceness ranks processes within a session.
# So the runs only take what the caller's own session would get, after
# everything else the caller runs; other users' sessions are not touched.
# (A run in a session of its own, as setsid would make, competes with
# every user's session at full weight whatever its niceness.)
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
		d="$dir/$seed"
		mkdir -p "$d"
		if [ -n "$rv" ]; then
			rm -f "$d/inputs"
			mkfifo "$d/inputs"
			nohup nice -n 19 "$native" --accepted 100000000000 "$seed" > "$d/inputs" \
				2> "$d/accepted.log" &
			echo $! > "$d/host.pid"
			nohup nice -n 19 $runner "$rv" --stdin "$secs" < "$d/inputs" > "$d/log" 2>&1 &
		else
			nohup nice -n 19 "$native" 100000000000 "$seed" 0 "$secs" > "$d/log" 2>&1 &
		fi
		echo $! > "$d/pid"
		echo "seed $seed: pid $(cat "$d/pid")"
		k=$((k + 1))
	done
	;;
stop)
	# the comparing process ends with its exact count; the native
	# producer then fails to write and ends too
	for p in "$dir"/*/pid; do kill -TERM "$(cat "$p")" 2>/dev/null || true; done
	;;
sum)
	total=0
	for log in "$dir"/*/log; do
		seed=$(basename "$(dirname "$log")")
		m=$(grep -o '[0-9][0-9]* compiled and compared' "$log" | tail -n 1 | cut -d' ' -f1)
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
