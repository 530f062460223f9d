/* Scenario (release build): a root task that prints and exits. A release
 * kernel has no console, and DebugPutChar would be an unknown system call
 * there, so the runtime must drop the output instead of faulting. The
 * exit handler then executes rdtime, which a release kernel refuses
 * (illegal instruction): the trap, seen with QEMU's -d int, shows the
 * program got past its prints and through exit(). */
#include <stdio.h>
#include <stdlib.h>

static void reached_exit(void)
{
    unsigned long t;
    asm volatile("rdtime %0" : "=r"(t));
}

int main(int argc, char **argv)
{
    atexit(reached_exit);
    for (int i = 0; i < 3; i++)
        printf("printing: line %d from %s (argc %d)\n", i, argv[0], argc);
    puts("printing: done");
    return 0;
}
