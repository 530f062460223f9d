/* Scenario (debug build): seL4_DebugDumpScheduler prints a table of every
 * thread, then abort() stops the program visibly: the runtime names the
 * signal and halts the machine, so the QEMU run ends by itself. */
#include <sel4/sel4.h>
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    seL4_BootInfo *bi = seL4_GetBootInfo();
    seL4_DebugNameThread(seL4_CapInitThreadTCB, "aborter");
    /* a second thread, never started, so the table has two rows */
    seL4_CPtr ut = seL4_CapNull, tcb = bi->empty.start;
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start && !ut; i++)
        if (!bi->untypedList[i].isDevice && bi->untypedList[i].sizeBits >= seL4_TCBBits)
            ut = bi->untyped.start + i;
    int err = seL4_Untyped_Retype(ut, seL4_TCBObject, 0, seL4_CapInitThreadCNode, 0, 0, tcb, 1);
    if (err == seL4_NoError) {
        seL4_TCB_SetPriority(tcb, seL4_CapInitThreadTCB, 42);
        seL4_DebugNameThread(tcb, "sleeper");
    }
    printf("abort: made a second thread: %s\n", err ? "FAILED" : "ok");
    seL4_DebugDumpScheduler();
    abort();
}
