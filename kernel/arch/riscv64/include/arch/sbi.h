#pragma once
#include <types.h>

/* Supervisor Binary Interface calls (RISC-V SBI specification v1.0). */
typedef struct sbi_ret {
    sword_t error;
    word_t value;
} sbi_ret_t;

sbi_ret_t sbi_call(word_t ext, word_t fid, word_t a0, word_t a1, word_t a2);
