/* The runtime's small C library for x86_64: non-local jumps (C11 7.13).
 * A jmp_buf holds what the System V AMD64 ABI (§3.2.1) makes a function
 * keep for its caller: rbx, rbp, r12-r15, and the stack pointer and
 * return address of the setjmp call. */
#pragma once

typedef unsigned long jmp_buf[8];

int setjmp(jmp_buf env) __attribute__((returns_twice));
__attribute__((noreturn)) void longjmp(jmp_buf env, int value);
