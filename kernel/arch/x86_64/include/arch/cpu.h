/* CPU setup at boot: GDT with user segments and the TSS, IDT, SYSCALL. */
#pragma once
#include <types.h>

void cpu_init(void);
/* COM1 (16550 UART at 0x3f8), polled, 115200 8N1. */
void serial_init(void);
