/* Scenario: a root task that touches an unmapped address and executes an
 * illegal instruction never harms the kernel; the thread is suspended. */
#include <sel4/sel4.h>
#include <stdio.h>

int main(void)
{
    printf("badptr: reading address 0x40000000\n");
    volatile int *p = (volatile int *)0x40000000;
    printf("badptr: read %d\n", *p);
    return 0;
}
