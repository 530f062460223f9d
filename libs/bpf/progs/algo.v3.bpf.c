/* The algo program again, compiled with -mcpu=v3 (JMP32 and ALU32
 * instructions from clang). */
#include "algo.bpf.c"
