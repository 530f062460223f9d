/* Scenario: a root task that makes a system call the kernel does not know.
 * The kernel must neither crash nor hang: the thread takes an
 * UnknownSyscall fault and, with no fault handler, is suspended. */
#include <sel4/sel4.h>
#include <stdio.h>
#include <test_arch.h>

int main(void)
{
    seL4_DebugNameThread(seL4_CapInitThreadTCB, "badsys");
    printf("badsys: making syscall 12345\n");
    test_syscall_number(12345);
    printf("badsys: still running after an unknown syscall\n");
    return 0;
}
