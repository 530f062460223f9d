# Host unit tests for the kernel's pure logic, built with ASan and UBSan.
O ?= build/host
CC := gcc
# the kernel's sched_yield would replace libc's, which the sanitizers call
CFLAGS := -DHYPOS_HOST_TEST -Dsched_yield=kernel_sched_yield -std=gnu11 -Wall -Wextra -Werror -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
  -Itests/host/include -Ikernel/include -Ikernel/arch/riscv64/include -Ilibsel4/include -Ilibsel4/arch_include/riscv64
SRCS := kernel/src/kernel/cspace.c kernel/src/object/cte.c kernel/src/object/capops.c \
  kernel/src/kernel/fdt.c kernel/src/kernel/elf.c tests/host/main.c tests/host/test_cspace.c \
  kernel/src/kernel/preemption.c tests/host/test_mdb.c tests/host/test_fdt_elf.c kernel/src/kernel/thread.c \
  kernel/src/nonmcs/timeslice.c tests/host/test_sched.c kernel/src/kernel/domain_schedule.c

.PHONY: run
run: $(O)/kernel-unit $(O)/refill-unit
	./$(O)/kernel-unit
	./$(O)/refill-unit

# the MCS refill arithmetic, built in the MCS configuration
$(O)/refill-unit: kernel/src/mcs/refill.c tests/host/test_refill.c tests/host/host.mk $(wildcard kernel/include/*/*.h)
	@mkdir -p $(O)
	$(CC) $(CFLAGS) -DHYPOS_MCS -o $@ kernel/src/mcs/refill.c tests/host/test_refill.c

$(O)/kernel-unit: $(SRCS) tests/host/host.mk $(wildcard tests/host/*.h kernel/include/*/*.h)
	@mkdir -p $(O)
	$(CC) $(CFLAGS) -o $@ $(SRCS)
