#!/bin/sh
# Long differential runs (fuzz/jit_diff_main.c) in the background, at the
# lowest priority, one process per seed.
#
#   jit_diff_long.sh start DIR BINARY FIRST_SEED PROCS SECONDS [RUNNER]
#       PROCS processes of BINARY with seeds FIRST_SEED, FIRST_SEED+1, ...,
#       each stopping after SECONDS (0: never); logs and pids in DIR/<seed>/.
#       RUNNER prefixes the command (qemu-riscv64 for the riscv64 build).
#   jit_diff_long.sh stop DIR      SIGTERM: each ends with its exact count
#   jit_diff_long.sh sum DIR       programs compiled and compared, per seed
#                                  and in total (from each run's last line)
#
# nice -n 19 alone does not make a process yield to other users' work
# when the kernel groups processes by session (autogroup, on by default
# on Debian): the niceness then only ranks processes inside one session.
# Each run therefore also gets its session group's niceness set to 19.
set -eu
cmd=$1; dir=$2
case $cmd in
start)
	bin=$3 first=$4 procs=$5 secs=$6 runner=${7:-}
	bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
	k=0
	while [ "$k" -lt "$procs" ]; do
		seed=$((first + k))
		mkdir -p "$dir/$seed"
		(cd "$dir/$seed" && exec setsid nice -n 19 $runner "$bin" 100000000000 "$seed" 0 "$secs" \
			> log 2>&1) &
		echo $! > "$dir/$seed/pid"
		sleep 0.2
		ag=/proc/$(cat "$dir/$seed/pid")/autogroup
		[ -w "$ag" ] && echo 19 > "$ag" 2>/dev/null || true
		echo "seed $seed: pid $(cat "$dir/$seed/pid")"
		k=$((k + 1))
	done
	;;
stop)
	for p in "$dir"/*/pid; do kill -TERM "$(cat "$p")" 2>/dev/null || true; done
	;;
sum)
	total=0
	for log in "$dir"/*/log; do
		seed=$(basename "$(dirname "$log")")
		# the last progress or final line: "N inputs, M compiled and compared"
		m=$(grep -o '[0-9]* compiled and compared' "$log" | tail -n 1 | cut -d' ' -f1)
		n=$(grep -o '[0-9]* inputs, [0-9]* compiled' "$log" | tail -n 1 | cut -d' ' -f1)
		final=$(grep -q 'jit_diff: done' "$log" && echo final || echo "progress line, still running or killed")
		bug=$(grep -c 'JIT BUG' "$log" || true)
		echo "seed $seed: ${m:-0} programs from ${n:-0} inputs ($final), JIT BUG lines: $bug"
		total=$((total + ${m:-0}))
	done
	echo "total: $total programs compiled and compared"
	;;
*)
	echo "usage: $0 start|stop|sum DIR ..." >&2
	exit 2
	;;
esac
