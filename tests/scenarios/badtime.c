/* Reads the time counter from user mode. A riscv64 release kernel keeps
 * the counters to itself (scounteren = 0), so this is an illegal
 * instruction there; debug and bench kernels allow it for tests and
 * benchmarks. x86_64 lets user mode read the TSC in every build. */
#include <test_arch.h>

int main(void) { return (int)(test_read_time() & 1); }
