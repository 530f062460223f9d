/* SBI: console output and shutdown through the firmware. */
#include <arch/sbi.h>
#include <arch/machine.h>

#define SBI_EXT_LEGACY_PUTCHAR 0x01
#define SBI_EXT_LEGACY_SHUTDOWN 0x08
#define SBI_EXT_SRST 0x53525354 /* "SRST", system reset extension (SBI §10) */

sbi_ret_t sbi_call(word_t ext, word_t fid, word_t a0, word_t a1, word_t a2)
{
    register word_t r0 asm("a0") = a0;
    register word_t r1 asm("a1") = a1;
    register word_t r2 asm("a2") = a2;
    register word_t r6 asm("a6") = fid;
    register word_t r7 asm("a7") = ext;
    asm volatile("ecall" : "+r"(r0), "+r"(r1) : "r"(r2), "r"(r6), "r"(r7) : "memory");
    return (sbi_ret_t){(sword_t)r0, r1};
}

void arch_putchar(char c)
{
    if (c == '\n')
        sbi_call(SBI_EXT_LEGACY_PUTCHAR, 0, '\r', 0, 0);
    sbi_call(SBI_EXT_LEGACY_PUTCHAR, 0, (unsigned char)c, 0, 0);
}

void arch_halt(void)
{
    sbi_call(SBI_EXT_SRST, 0, 0 /* shutdown */, 0 /* no reason */, 0);
    sbi_call(SBI_EXT_LEGACY_SHUTDOWN, 0, 0, 0, 0);
    for (;;)
        asm volatile("wfi");
}

word_t arch_read_instret(void) { return csr_read(instret); }
