/* Scenario (release build): a root task that prints and exits. A release
 * kernel has no console, and DebugPutChar would be an unknown system call
 * there, so the runtime must drop the output instead of faulting. The
 * exit handler then reads the time counter, which a riscv64 release kernel refuses
 * (illegal instruction): the trap, seen with QEMU's -d int, shows the
 * program got past its prints and through exit(). */
#include <stdio.h>
#include <stdlib.h>
#include <test_arch.h>

static void reached_exit(void) { (void)test_read_time(); }

int main(int argc, char **argv)
{
    atexit(reached_exit);
    for (int i = 0; i < 3; i++)
        printf("printing: line %d from %s (argc %d)\n", i, argv[0], argc);
    puts("printing: done");
    return 0;
}
