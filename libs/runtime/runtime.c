/* C runtime for hypOS programs on picolibc: boot info, IPC buffer, main's
 * arguments, stdio through seL4_DebugPutChar, and how a program ends
 * (exit, abort, signals).
 *
 * Builds differ in what the kernel offers: debug and bench kernels have a
 * console (DebugPutChar) and DebugHalt; a release kernel has neither and
 * treats both as unknown system calls, which would fault the caller. The
 * runtime is compiled with the same configuration as the kernel
 * (CONFIG_PRINTING, <sel4/config.h>), so in release builds output is
 * dropped and ending a program suspends its thread instead of halting. */
#include <sel4/sel4.h>
#include <hypos/runtime.h>
#include <assert.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

__thread seL4_IPCBuffer *__sel4_ipc_buffer;
static seL4_BootInfo *boot_info;
seL4_Word __hypos_boot_instret;  /* instret at kernel entry (the kernel passes it in a1) */
seL4_Word __hypos_start_instret; /* instret at this program's first instruction */

void seL4_InitBootInfo(seL4_BootInfo *bi) { boot_info = bi; }
seL4_BootInfo *seL4_GetBootInfo(void) { return boot_info; }

static int debug_putc(char c, FILE *f)
{
    (void)f;
#ifdef CONFIG_PRINTING
    seL4_DebugPutChar(c);
#endif
    return (unsigned char)c;
}

static FILE debug_stream = FDEV_SETUP_STREAM(debug_putc, NULL, NULL, _FDEV_SETUP_WRITE);
FILE *const stdout = &debug_stream;
FILE *const stderr = &debug_stream;
FILE *const stdin = &debug_stream;

/* ---- how a program ends ---- */

/* Stops the calling thread for good: with a console, DebugHalt powers the
 * machine off (so a QEMU run ends); otherwise the thread suspends itself.
 * If it cannot (it holds no cap to its own TCB), it waits on the null
 * capability, which faults it: a fault handler then hears of it, and a
 * thread without one is suspended by the kernel. */
static _Noreturn void stop_this_thread(void)
{
#ifdef CONFIG_PRINTING
    seL4_DebugHalt();
#endif
    seL4_TCB_Suspend(hypos_self_tcb());
    for (;;)
        seL4_Wait(seL4_CapNull, NULL);
}

void _exit(int status)
{
    printf("hypOS: program exited with status %d\n", status);
    stop_this_thread();
}

/* A hypOS program is one process; it calls itself process 1. */
#define HYPOS_PID 1

pid_t getpid(void) { return HYPOS_PID; }

/* Signals whose default action (POSIX.1-2017, <signal.h>) is to do nothing. */
static int ignored_by_default(int sig) { return sig == SIGCHLD || sig == SIGURG || sig == SIGWINCH || sig == SIGCONT; }

/* The usual names (picolibc's strsignal and sig2str would add 3 KiB of
 * tables to every program for this one message). */
static const char *signal_name(int sig)
{
    switch (sig) {
    case SIGABRT:
        return "SIGABRT";
    case SIGTERM:
        return "SIGTERM";
    case SIGKILL:
        return "SIGKILL";
    case SIGINT:
        return "SIGINT";
    case SIGQUIT:
        return "SIGQUIT";
    case SIGHUP:
        return "SIGHUP";
    case SIGSEGV:
        return "SIGSEGV";
    case SIGBUS:
        return "SIGBUS";
    case SIGILL:
        return "SIGILL";
    case SIGFPE:
        return "SIGFPE";
    case SIGTRAP:
        return "SIGTRAP";
    case SIGALRM:
        return "SIGALRM";
    case SIGPIPE:
        return "SIGPIPE";
    case SIGUSR1:
        return "SIGUSR1";
    case SIGUSR2:
        return "SIGUSR2";
    default:
        return "another signal";
    }
}

/* kill(pid, sig) for the only process there is. picolibc's raise() calls
 * it for a signal without a handler (abort() raises SIGABRT that way), so
 * this is where the default action happens: the program is terminated,
 * visibly. pid 0 and -1 (this process group, every process) name this
 * program too; sig 0 only checks that the process exists. */
int kill(pid_t pid, int sig)
{
    if (sig < 0 || sig >= NSIG) {
        errno = EINVAL;
        return -1;
    }
    if (pid != HYPOS_PID && pid != 0 && pid != -1) {
        errno = ESRCH;
        return -1;
    }
    if (sig == 0 || ignored_by_default(sig))
        return 0;
    printf("hypOS: %s terminated by signal %d (%s)\n", hypos_program_name, sig, signal_name(sig));
    stop_this_thread();
}

/* seL4_Assert and seL4_Fail (<sel4/assert.h>) end here: picolibc's
 * assertion report (the same as assert()'s), then abort(). */
void __assert_fail(const char *str, const char *file, int line, const char *function)
{
    __assert_func(file, line, function, str);
}

/* ---- the program image ---- */

extern char __hypos_image_start[], _end[];

seL4_CPtr hypos_image_frame_cap(const void *addr)
{
    uintptr_t a = (uintptr_t)addr, lo = (uintptr_t)__hypos_image_start, hi = (uintptr_t)_end;
    seL4_BootInfo *bi = seL4_GetBootInfo();
    if (!bi || a < lo || a >= hi)
        return seL4_CapNull;
    seL4_Word slot = bi->userImageFrames.start + ((a - lo) >> seL4_PageBits);
    return slot < bi->userImageFrames.end ? slot : seL4_CapNull;
}

/* ---- start-up ---- */

extern char __bss_start[], __bss_end[];
extern void (*__init_array_start[])(void), (*__init_array_end[])(void);
int main(int argc, char **argv);

/* main(argc, argv) gets one argument, the program's name, and a NULL
 * after it, as a C program started without arguments would. */
static char program_name[] = "rootserver"; /* argv strings are writable (C11 5.1.2.2.1) */
const char *const hypos_program_name = program_name;
static char *main_argv[] = {program_name, NULL};

void __hypos_start_c(seL4_BootInfo *bi, seL4_Word boot_instret, seL4_Word start_instret)
{
    __hypos_start_instret = start_instret;
    /* .bss is zero: the kernel hands out zeroed frames */
    __hypos_boot_instret = boot_instret;
    seL4_InitBootInfo(bi);
    seL4_SetIPCBuffer(bi->ipcBuffer);
    for (void (**f)(void) = __init_array_start; f < __init_array_end; f++)
        (*f)();
    exit(main(1, main_argv));
}
