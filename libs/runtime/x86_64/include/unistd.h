/* The runtime's small C library for x86_64: the process calls a hypOS
 * program has (the runtime implements them). */
#pragma once
#include <signal.h> /* pid_t */

pid_t getpid(void);
__attribute__((noreturn)) void _exit(int status);
