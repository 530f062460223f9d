/* Reads the time CSR from user mode. A release kernel keeps the counters
 * to itself (scounteren = 0), so this is an illegal instruction there;
 * debug and bench kernels allow it for tests and benchmarks. */
int main(void)
{
    unsigned long t;
    asm volatile("rdtime %0" : "=r"(t));
    return (int)(t & 1);
}
