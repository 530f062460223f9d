#!/bin/sh
# Run the host test binaries built by the Makefile and merge their TAP
# output into one numbered stream.  The release build runs everything;
# the ASan/UBSan build runs everything again (names suffixed _asan); the
# switch-dispatch build runs the interpreter groups (suffixed _switch).
# Ends with "# bpf: N passed, M failed"; exit status 1 if any failed.
O="$1"
tmp="$O/test-output"
mkdir -p "$tmp"
status=0
run() {
	bin="$1"; shift
	"$bin" "$@" > "$tmp/out.$$" 2>&1
	rc=$?
	cat "$tmp/out.$$"
	# A crash or sanitizer abort must fail the run even if every line
	# printed so far said ok.
	if [ $rc -ne 0 ] && ! grep -q '^not ok' "$tmp/out.$$"; then
		echo "not ok 0 BPF_RUNNER_$(basename "$(dirname "$bin")") $bin $* exited with status $rc"
	fi
}
# One TAP line for a differential run: ok when the driver exits 0 (a
# difference aborts it with "JIT BUG"); the driver's summary as comments.
diff_run() {
	cmd="$1"; name="$2"; count="$3"; seed="$4"
	if (cd "$O/fuzz" && $cmd "$count" "$seed") > "$tmp/diff.$$" 2>&1; then
		sed 's/^/# /' "$tmp/diff.$$" | grep -v ' inputs from seed'
		echo "ok 0 BPF_$name $count random inputs (seed $seed): JIT equals interpreter"
	else
		sed 's/^/# /' "$tmp/diff.$$"
		echo "not ok 0 BPF_$name $count random inputs (seed $seed): difference or crash"
	fi
	rm -f "$tmp/diff.$$"
}
{
	run "$O/release/bpf_tests"
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
		run "$O/asan/bpf_tests" --suffix _asan
	run "$O/switch/bpf_tests" --suffix _switch --groups ISA,CHECKED,CALL,VALIDATE
	# Every verified-mode execution of these groups through the x86_64
	# JIT, plain and with constant blinding; in VERIFIER every accepted
	# program also runs natively against the interpreter.
	run "$O/release/bpf_tests" --suffix _jit --jit on --groups ISA,CALL,HELPERS,LOADER,MAPS,VERIFIER
	run "$O/release/bpf_tests" --suffix _jitblind --jit blind \
		--groups ISA,CALL,HELPERS,LOADER,MAPS,VERIFIER,JIT
	# the same JIT runs under ASan and UBSan (the test code's own
	# comparisons included)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
		run "$O/asan/bpf_tests" --suffix _asanjit --jit blind \
		--groups ISA,CALL,HELPERS,LOADER,MAPS,VERIFIER
	# Differential fuzzing, bounded: the fuzz_jit target driven by random
	# inputs (fuzz/jit_diff_main.c), a fresh seed each run; long runs
	# with make jit-diff.
	seed=$(date +%s)
	if "$O/fuzz/jit_diff" --selftest > "$tmp/selftest.$$" 2>&1; then
		echo "ok 0 BPF_JIT_diff_oracle the differential comparison catches a corrupted JIT R0 and stack"
	else
		sed 's/^/# /' "$tmp/selftest.$$"
		echo "not ok 0 BPF_JIT_diff_oracle the differential comparison missed a corrupted JIT result"
	fi
	rm -f "$tmp/selftest.$$"
	diff_run "$O/fuzz/jit_diff" JIT_diff_x86_64 20000 "$seed"
	# The riscv64 JIT, natively under QEMU user mode: RV64IMA, then with
	# Zba/Zbb and blinding.
	if [ -x "$O/rv64-linux/bpf_tests" ] && command -v "${QEMU_USER_RV:-qemu-riscv64}" >/dev/null 2>&1; then
		rv="${QEMU_USER_RV:-qemu-riscv64}"
		run timeout 600 "$rv" "$O/rv64-linux/bpf_tests" --suffix _rv64jit --jit on \
			--groups ISA,CALL,HELPERS,LOADER,MAPS,VERIFIER,JIT
		run timeout 600 "$rv" "$O/rv64-linux/bpf_tests" --suffix _rv64zb --jit blind,zba,zbb \
			--groups ISA,CALL,HELPERS,LOADER,MAPS,VERIFIER,JIT
		if [ -x "$O/fuzz/jit_diff_rv64" ]; then
			diff_run "timeout 600 $rv $O/fuzz/jit_diff_rv64" JIT_diff_rv64 2000 "$seed"
			# Long riscv64 runs verify natively and compare under QEMU
			# (jit_diff --accepted | --stdin): both builds must draw the
			# same programs from a seed, and the pipeline must work.
			"$O/fuzz/jit_diff" --accepted 1000 "$seed" > "$tmp/acc.host.$$" 2>/dev/null
			timeout 600 "$rv" "$O/fuzz/jit_diff_rv64" --accepted 1000 "$seed" \
				> "$tmp/acc.rv64.$$" 2>/dev/null
			if [ -s "$tmp/acc.host.$$" ] && cmp -s "$tmp/acc.host.$$" "$tmp/acc.rv64.$$"; then
				echo "ok 0 BPF_JIT_diff_generators x86_64 and riscv64 builds accept the same programs from seed $seed"
			else
				echo "not ok 0 BPF_JIT_diff_generators x86_64 and riscv64 builds disagree on seed $seed"
			fi
			if timeout 600 "$rv" "$O/fuzz/jit_diff_rv64" --stdin < "$tmp/acc.host.$$" \
				> "$tmp/pipe.$$" 2>&1 && grep -q 'jit_diff: done' "$tmp/pipe.$$"; then
				sed 's/^/# /' "$tmp/pipe.$$"
				echo "ok 0 BPF_JIT_diff_rv64_stdin programs verified on the host compared on riscv64"
			else
				sed 's/^/# /' "$tmp/pipe.$$"
				echo "not ok 0 BPF_JIT_diff_rv64_stdin host-verified programs: difference or crash"
			fi
			rm -f "$tmp/acc.host.$$" "$tmp/acc.rv64.$$" "$tmp/pipe.$$"
		fi
	else
		echo "# riscv64 JIT tests skipped: riscv64-linux-gnu-gcc or qemu-riscv64 missing (libs/bpf/DEPENDENCIES)"
	fi
} | awk '
	/^ok [0-9]+ / || /^not ok [0-9]+ / {
		n++
		if ($1 == "ok") { pass++; $2 = n } else { fail++; $3 = n }
		print; next
	}
	{ print }
	END {
		printf "# bpf: %d passed, %d failed\n", pass, fail
		exit fail != 0
	}'
status=$?
rm -f "$tmp/out.$$"
exit $status
