/* C runtime for hypOS programs: boot info, IPC buffer, exit through
 * seL4_DebugHalt. The C library's output goes to seL4_DebugPutChar (see
 * the architecture's libc glue). */
#include <sel4/sel4.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__thread seL4_IPCBuffer *__sel4_ipc_buffer;
static seL4_BootInfo *boot_info;
seL4_Word __hypos_boot_instret;  /* instret at kernel entry (the kernel passes it in a1) */
seL4_Word __hypos_start_instret; /* instret at this program's first instruction */

void seL4_InitBootInfo(seL4_BootInfo *bi) { boot_info = bi; }
seL4_BootInfo *seL4_GetBootInfo(void) { return boot_info; }

void _exit(int status)
{
    printf("hypOS: program exited with status %d\n", status);
    seL4_DebugHalt();
    for (;;)
        ;
}

extern char __bss_start[], __bss_end[];
extern void (*__init_array_start[])(void), (*__init_array_end[])(void);
int main(void);

void __hypos_start_c(seL4_BootInfo *bi, seL4_Word boot_instret, seL4_Word start_instret)
{
    __hypos_start_instret = start_instret;
    /* .bss is zero: the kernel hands out zeroed frames */
    __hypos_boot_instret = boot_instret;
    seL4_InitBootInfo(bi);
    seL4_SetIPCBuffer(bi->ipcBuffer);
    for (void (**f)(void) = __init_array_start; f < __init_array_end; f++)
        (*f)();
    exit(main());
}
