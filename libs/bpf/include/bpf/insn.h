/*
 * eBPF instruction encoding, as specified by RFC 9669 ("BPF Instruction Set
 * Architecture").  Section numbers in comments refer to that RFC.
 *
 * Freestanding: only the compiler's <stdint.h> is used.
 */
#ifndef BPF_INSN_H
#define BPF_INSN_H

#include <stdint.h>

/*
 * RFC 9669 §3.1: the basic encoding is 64 bits: opcode (8), dst_reg (4),
 * src_reg (4), offset (16, signed), imm (32, signed).  On a little-endian
 * host dst_reg is the low nibble of the second byte.  hypOS targets
 * (riscv64, x86_64, aarch64) are all little-endian.
 */
struct bpf_insn {
	uint8_t code;
	uint8_t regs; /* low nibble: dst_reg, high nibble: src_reg */
	int16_t off;
	int32_t imm;
};

#define BPF_INSN_DST(i) ((uint8_t)((i)->regs & 0x0f))
#define BPF_INSN_SRC(i) ((uint8_t)((i)->regs >> 4))
#define BPF_REGS(dst, src) ((uint8_t)(((src) << 4) | ((dst)&0x0f)))

/* §3: instruction classes (low 3 bits of the opcode). */
#define BPF_CLASS(code) ((code)&0x07)
#define BPF_LD 0x00
#define BPF_LDX 0x01
#define BPF_ST 0x02
#define BPF_STX 0x03
#define BPF_ALU 0x04
#define BPF_JMP 0x05
#define BPF_JMP32 0x06
#define BPF_ALU64 0x07

/* §4: arithmetic and jump: source bit and operation code. */
#define BPF_SRC_BIT(code) ((code)&0x08)
#define BPF_K 0x00
#define BPF_X 0x08
#define BPF_OP(code) ((code)&0xf0)

#define BPF_ADD 0x00
#define BPF_SUB 0x10
#define BPF_MUL 0x20
#define BPF_DIV 0x30
#define BPF_OR 0x40
#define BPF_AND 0x50
#define BPF_LSH 0x60
#define BPF_RSH 0x70
#define BPF_NEG 0x80
#define BPF_MOD 0x90
#define BPF_XOR 0xa0
#define BPF_MOV 0xb0
#define BPF_ARSH 0xc0
#define BPF_END 0xd0

/* §4.2 byte swap: the source bit selects the target byte order. */
#define BPF_TO_LE 0x00
#define BPF_TO_BE 0x08

#define BPF_JA 0x00
#define BPF_JEQ 0x10
#define BPF_JGT 0x20
#define BPF_JGE 0x30
#define BPF_JSET 0x40
#define BPF_JNE 0x50
#define BPF_JSGT 0x60
#define BPF_JSGE 0x70
#define BPF_CALL 0x80
#define BPF_EXIT 0x90
#define BPF_JLT 0xa0
#define BPF_JLE 0xb0
#define BPF_JSLT 0xc0
#define BPF_JSLE 0xd0

/* §5: load and store: mode and size. */
#define BPF_MODE(code) ((code)&0xe0)
#define BPF_SIZE(code) ((code)&0x18)
#define BPF_IMM 0x00
#define BPF_ABS 0x20
#define BPF_IND 0x40
#define BPF_MEM 0x60
#define BPF_MEMSX 0x80
#define BPF_ATOMIC 0xc0

#define BPF_W 0x00
#define BPF_H 0x08
#define BPF_B 0x10
#define BPF_DW 0x18

/* §5.3 atomic operations, in the imm field. */
#define BPF_FETCH 0x01
#define BPF_XCHG (0xe0 | BPF_FETCH)
#define BPF_CMPXCHG (0xf0 | BPF_FETCH)

/* §5.4 64-bit immediate: src_reg values. */
#define BPF_PSEUDO_IMM64 0
#define BPF_PSEUDO_MAP_FD 1        /* dst = map_by_fd(imm) */
#define BPF_PSEUDO_MAP_VALUE 2     /* dst = map_val(map_by_fd(imm)) + next_imm */
#define BPF_PSEUDO_VAR_ADDR 3      /* dst = var_addr(imm) */
#define BPF_PSEUDO_CODE_ADDR 4     /* dst = code_addr(imm) */
#define BPF_PSEUDO_MAP_IDX 5       /* dst = map_by_idx(imm) */
#define BPF_PSEUDO_MAP_IDX_VALUE 6 /* dst = map_val(map_by_idx(imm)) + next_imm */

/* §4.3.1/§4.3.2 call: src_reg values. */
#define BPF_PSEUDO_CALL_HELPER 0
#define BPF_PSEUDO_CALL_LOCAL 1
#define BPF_PSEUDO_CALL_BTF 2

/* Registers (§2.3 / calling convention). */
#define BPF_REG_0 0
#define BPF_REG_1 1
#define BPF_REG_2 2
#define BPF_REG_3 3
#define BPF_REG_4 4
#define BPF_REG_5 5
#define BPF_REG_6 6
#define BPF_REG_7 7
#define BPF_REG_8 8
#define BPF_REG_9 9
#define BPF_REG_10 10
#define BPF_NREGS 11

#endif
