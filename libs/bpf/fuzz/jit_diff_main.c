/*
 * Standalone driver for fuzz_jit.c: feeds it random inputs (no libFuzzer,
 * no sanitizers, built -O2) so that millions of programs can be compared
 * in one run, natively or under qemu-riscv64.
 *
 *   jit_diff COUNT [SEED [COMPILED [SECONDS]]]
 *        COUNT inputs, or fewer once COMPILED programs were compiled and
 *        compared or SECONDS have passed (0: no limit); progress on stderr
 *        every 2^16 inputs; SIGTERM or SIGINT end the run after the
 *        current input with the same final report, so a long run stopped
 *        at any time still says exactly how many programs it compared
 *   jit_diff --selftest                 the comparison catches a corrupted
 *                                      JIT result (R0, stack)
 *   jit_diff --accepted COUNT SEED      writes to stdout, as raw records,
 *        the inputs among the first COUNT of SEED whose program the
 *        verifier accepts (the same inputs jit_diff COUNT SEED compares)
 *   jit_diff --stdin [SECONDS]          compares the programs of records
 *        read from stdin, trusting that they were verified (one in 64 is
 *        verified again and must be accepted); with --accepted running
 *        natively this keeps the verifier out of QEMU for a riscv64 run:
 *          jit_diff --accepted N S | qemu-riscv64 jit_diff_rv64 --stdin
 *
 * Inputs always use the generators (never raw instructions): byte 0 is
 * random hook flags with bit 0 clear, 64 random context bytes, then a
 * generator selector and 8 seed bytes that jit_gen.h stretches into a
 * whole program.  A difference aborts inside fuzz_jit.c ("JIT BUG"); the
 * failing input is then written to jit-diff-crash.bin.
 */
#include "fuzz_jit.c"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static uint8_t in[65 + 1 + 8];

/* "JIT BUG" aborts: keep the input for a replay with the libFuzzer
 * target (./fuzz_jit jit-diff-crash.bin). */
static void on_abort(int sig)
{
	(void)sig;
	int fd = open("jit-diff-crash.bin", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd >= 0) {
		ssize_t w = write(fd, in, sizeof(in));
		(void)w;
		close(fd);
	}
	static const char msg[] = "jit_diff: input written to jit-diff-crash.bin\n";
	ssize_t w = write(2, msg, sizeof(msg) - 1);
	(void)w;
	signal(SIGABRT, SIG_DFL);
	raise(SIGABRT);
}

static volatile sig_atomic_t stop_requested;
static void on_stop(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static uint64_t seed_x;
static uint64_t next_rand(void)
{
	seed_x ^= seed_x << 13;
	seed_x ^= seed_x >> 7;
	seed_x ^= seed_x << 17;
	return seed_x;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* --selftest: the comparison must abort with "JIT BUG" when the JIT's
 * R0 or stack is corrupted after the run.  Each case runs in a child. */
#include <sys/wait.h>
static int selftest(void)
{
	for (int mode = 1; mode <= 2; mode++) {
		fflush(stderr);
		pid_t pid = fork();
		if (pid < 0)
			return 1;
		if (pid == 0) {
			oracle_selftest = mode;
			seed_x = 7;
			for (int i = 0; i < 1000; i++) {
				for (size_t k = 0; k < sizeof(in); k += 8) {
					uint64_t r = next_rand();
					memcpy(in + k, &r, sizeof(in) - k < 8 ? sizeof(in) - k : 8);
				}
				in[0] &= (uint8_t)~1u;
				in[65] %= 192;
				LLVMFuzzerTestOneInput(in, sizeof(in));
			}
			_exit(0); /* nothing caught: the oracle is broken */
		}
		int status;
		if (waitpid(pid, &status, 0) != pid || !WIFSIGNALED(status) ||
		    WTERMSIG(status) != SIGABRT) {
			fprintf(stderr, "jit_diff: self-test %d: corruption not detected\n", mode);
			return 1;
		}
	}
	fprintf(stderr, "jit_diff: self-test: corrupted R0 and stack both caught\n");
	return 0;
}

/* One random input, as every mode draws them. */
static void next_input(void)
{
	for (size_t k = 0; k < sizeof(in); k += 8) {
		uint64_t r = next_rand();
		memcpy(in + k, &r, sizeof(in) - k < 8 ? sizeof(in) - k : 8);
	}
	in[0] &= (uint8_t)~1u;
	/* mostly the all-classes generator, a quarter fuzz_verify's */
	in[65] = (uint8_t)(in[65] % 4 ? in[65] % 192 : 192 + in[65] % 64);
}

static int accepted_mode(unsigned long long count)
{
	unsigned long long i, n = 0;
	for (i = 0; i < count; i++) {
		next_input();
		if (fuzz_jit_accepts(in, sizeof(in))) {
			if (fwrite(in, sizeof(in), 1, stdout) != 1)
				break; /* the reader is gone */
			n++;
		}
	}
	fflush(stdout);
	fprintf(stderr, "jit_diff: %llu of %llu inputs accepted and written\n", n, i);
	return 0;
}

static int stdin_mode(double limit)
{
	fuzz_jit_trusted = 1;
	signal(SIGABRT, on_abort);
	signal(SIGTERM, on_stop);
	signal(SIGINT, on_stop);
	double t0 = now_s();
	unsigned long long i = 0;
	while (!stop_requested && fread(in, sizeof(in), 1, stdin) == 1) {
		if ((i & 0x3ff) == 0 && limit > 0 && now_s() - t0 >= limit)
			break;
		if ((i & 0xffff) == 0 && i)
			fprintf(stderr,
			        "jit_diff: %llu inputs, %lu compiled and compared, %.0f s\n", i,
			        n_compiled, now_s() - t0);
		LLVMFuzzerTestOneInput(in, sizeof(in));
		i++;
	}
	double t = now_s() - t0;
	fprintf(stderr,
	        "jit_diff: done%s, %llu inputs, %lu compiled and compared in %.1f s (%.1f us "
	        "each)\n",
	        stop_requested ? " (stopped)" : "", i, n_compiled, t,
	        n_compiled ? t * 1e6 / (double)n_compiled : 0.0);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "--selftest"))
		return selftest();
	if (argc == 4 && !strcmp(argv[1], "--accepted")) {
		seed_x = strtoull(argv[3], NULL, 0);
		if (!seed_x)
			seed_x = 1;
		return accepted_mode(strtoull(argv[2], NULL, 0));
	}
	if (argc >= 2 && !strcmp(argv[1], "--stdin"))
		return stdin_mode(argc > 2 ? strtod(argv[2], NULL) : 0);
	if (argc < 2) {
		fprintf(stderr, "usage: %s COUNT [SEED]\n", argv[0]);
		return 2;
	}
	unsigned long long count = strtoull(argv[1], NULL, 0);
	seed_x = argc > 2 ? strtoull(argv[2], NULL, 0) : 1;
	if (!seed_x)
		seed_x = 1;
	unsigned long target = argc > 3 ? strtoul(argv[3], NULL, 0) : 0;
	double limit = argc > 4 ? strtod(argv[4], NULL) : 0;
	fprintf(stderr, "jit_diff: %llu inputs from seed %llu\n", count,
	        (unsigned long long)seed_x);
	signal(SIGABRT, on_abort);
	signal(SIGTERM, on_stop);
	signal(SIGINT, on_stop);
	double t0 = now_s();
	unsigned long long i;
	for (i = 0; i < count && (!target || n_compiled < target) && !stop_requested; i++) {
		next_input();
		if ((i & 0x3ff) == 0 && limit > 0 && now_s() - t0 >= limit)
			break;
		if ((i & 0xffff) == 0 && i) {
			double t = now_s() - t0;
			fprintf(stderr,
			        "jit_diff: %llu inputs, %lu compiled and compared, %.0f s\n", i,
			        n_compiled, t);
		}
		LLVMFuzzerTestOneInput(in, sizeof(in));
	}
	double t = now_s() - t0;
	fprintf(stderr,
	        "jit_diff: done%s, %llu inputs, %lu compiled and compared in %.1f s (%.1f us "
	        "each)\n",
	        stop_requested ? " (stopped)" : "", i, n_compiled, t,
	        n_compiled ? t * 1e6 / (double)n_compiled : 0.0);
	return 0;
}
