/* Bare-metal entry for the riscv64 benchmark: OpenSBI (-bios default)
 * enters here in S-mode at 0x80200000 with a0 = hartid, a1 = dtb. */
	.section .text.start, "ax"
	.globl _start
_start:
	la	sp, __stack_top
	la	t0, __bss_start
	la	t1, __bss_end
1:	bgeu	t0, t1, 2f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	1b
2:	call	bench_main
	/* QEMU virt "sifive_test" device: 0x5555 = pass, (code<<16)|0x3333 = fail */
	li	t0, 0x100000
	li	t1, 0x5555
	beqz	a0, 3f
	slli	t1, a0, 16
	li	t2, 0x3333
	or	t1, t1, t2
3:	sw	t1, 0(t0)
4:	wfi
	j	4b

/* Illegal-instruction probe for bench_rv.c: skip the 4-byte instruction
 * that trapped and count the fault. */
	.section .text
	.globl probe_trap
	.balign 4
probe_trap:
	csrr	t0, sepc
	addi	t0, t0, 4
	csrw	sepc, t0
	la	t1, probe_faulted
	li	t0, 1
	sw	t0, 0(t1)
	sret

	.section .bss
	.globl probe_faulted
	.balign 4
probe_faulted:
	.word	0
