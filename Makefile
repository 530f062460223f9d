# hypOS build. Out of tree in build/<config>/; BUILD=debug (default) or release.
#   make run     build and boot the demo system in QEMU
#   make test    host unit tests + in-QEMU conformance suite (+ eBPF library tests)
#   make bench   benchmarks (guest instructions under -icount shift=0)
#   make debug   boot the demo waiting for GDB on :1234
#   make fuzz-kernel SEEDS=N   the suite with every storm test run over N seeds
BUILD ?= debug
O := build/$(BUILD)
HOSTO := build/host

CROSS ?= riscv64-unknown-elf-
CC := $(CROSS)gcc
OBJCOPY := $(CROSS)objcopy
SIZE := $(CROSS)size
QEMU ?= qemu-system-riscv64
PICOLIBC := /usr/lib/picolibc/riscv64-unknown-elf

# The kernel uses CSRs and fence.i, part of the base ISA in spec 2.2; the
# plain ISA string keeps GCC on the rv64imac/lp64 multilib of libgcc.
ARCH_FLAGS := -march=rv64imac -misa-spec=2.2 -mabi=lp64 -mcmodel=medany
# user code names the plain ISA string so GCC picks picolibc's rv64imac/lp64 multilib
USER_ARCH := -march=rv64imac -misa-spec=2.2 -mabi=lp64 -mcmodel=medany
WARN := -Wall -Wextra -Werror -std=gnu11
# debug: all debug syscalls and checks; bench: release code plus the console
# (DebugPutChar, DebugHalt) so benchmarks can report; release: neither.
# Debug and bench builds also let user mode read the cycle, time and
# instret counters (tests and benchmarks measure with them).
ifeq ($(BUILD),release)
  OPT := -O2 -DNDEBUG
else ifeq ($(BUILD),bench)
  OPT := -O2 -DNDEBUG -DHYPOS_PRINTING -DHYPOS_USER_COUNTERS
else ifeq ($(BUILD),fuzz)
  # the debug kernel with the suite's storm tests running SEEDS seeds each
  OPT := -O2 -g -DHYPOS_DEBUG -DHYPOS_PRINTING -DHYPOS_USER_COUNTERS -DSTORM_SEEDS=$(SEEDS)
else
  OPT := -O2 -g -DHYPOS_DEBUG -DHYPOS_PRINTING -DHYPOS_USER_COUNTERS
endif

KERNEL_CFLAGS := $(ARCH_FLAGS) $(WARN) $(OPT) -ffreestanding -fno-builtin -nostdlib -fno-stack-protector \
  -fno-pic -mno-relax -fno-common $(if $(filter debug,$(BUILD)),-fno-omit-frame-pointer) \
  -Ikernel/include -Ikernel/arch/riscv64/include -Ilibsel4/include
KERNEL_SRCS := $(wildcard kernel/src/*/*.c) $(wildcard kernel/arch/riscv64/src/*.c)
KERNEL_ASM := kernel/arch/riscv64/src/head.S kernel/arch/riscv64/src/trap.S
KERNEL_OBJS := $(patsubst %,$(O)/%.o,$(KERNEL_SRCS) $(KERNEL_ASM))

USER_CFLAGS := $(USER_ARCH) $(WARN) $(OPT) --specs=$(PICOLIBC)/picolibc.specs -Ilibsel4/include -Ilibs/runtime/include \
  -Isystem/include -Ilibs/microkit/include -fno-pic
USER_LDFLAGS := $(USER_ARCH) --specs=$(PICOLIBC)/picolibc.specs -nostartfiles -T libs/runtime/user.ld -static
RUNTIME_OBJS := $(O)/libs/runtime/crt0.S.o $(O)/libs/runtime/runtime.c.o $(O)/libs/runtime/thread.c.o

QEMU_FLAGS := -machine virt -nographic -bios default -m 256M -smp 1 -monitor none -serial stdio

.PHONY: all setup run test test-host test-kernel bench debug clean size kernel-size fuzz-kernel
SEEDS ?= 100
FUZZ_SECONDS ?= 3600
# The conformance suite and badsys use debug system calls (invariant
# checks, CapIdentify, NameThread), which exist only in debug kernels.
DEBUG_ONLY_IMAGES := $(O)/tests.img $(O)/badsys.img $(O)/abort.img
all: $(O)/hello.img $(O)/badptr.img $(O)/badelf.img $(O)/badtime.img $(O)/printing.img \
  $(if $(filter release bench,$(BUILD)),,$(DEBUG_ONLY_IMAGES))

setup:
	@scripts/setup.sh

$(O)/%.c.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(if $(filter kernel/%,$<),$(KERNEL_CFLAGS),$(USER_CFLAGS)) -MMD -MP -c $< -o $@
$(O)/%.S.o: %.S
	@mkdir -p $(dir $@)
	$(CC) $(if $(filter kernel/%,$<),$(KERNEL_CFLAGS),$(USER_CFLAGS)) -MMD -MP -c $< -o $@

$(O)/kernel.a: $(KERNEL_OBJS)
	@rm -f $@
	$(CROSS)ar rcs $@ $^

# A bootable image is the kernel with one root task ELF embedded in it
# (without its debug sections, which would take RAM from the untypeds;
# a root image that is not an ELF file is embedded as it is).
$(O)/%.img: $(O)/%.elf $(O)/kernel.a kernel/arch/riscv64/linker.ld kernel/arch/riscv64/src/rootimage.S
	$(OBJCOPY) --strip-debug $< $(O)/$*.embedded 2>/dev/null || cp $< $(O)/$*.embedded
	$(CC) $(KERNEL_CFLAGS) -DROOTIMAGE='"$(O)/$*.embedded"' -c kernel/arch/riscv64/src/rootimage.S -o $(O)/$*.rootimage.o
	$(CC) $(KERNEL_CFLAGS) -T kernel/arch/riscv64/linker.ld -Wl,--gc-sections -Wl,--no-warn-rwx-segments -o $@ \
	  $(O)/kernel/arch/riscv64/src/head.S.o $(O)/$*.rootimage.o $(O)/kernel.a -lgcc

$(O)/hello.elf: $(RUNTIME_OBJS) $(O)/examples/hello/main.c.o libs/runtime/user.ld
	$(CC) $(USER_LDFLAGS) -o $@ $(filter %.o,$^)

TEST_SRCS := $(wildcard tests/kernel/*.c)
$(O)/tests.elf: $(RUNTIME_OBJS) $(patsubst %,$(O)/%.o,$(TEST_SRCS)) libs/runtime/user.ld
	$(CC) $(USER_LDFLAGS) -o $@ $(filter %.o,$^)

$(O)/bad%.elf: $(RUNTIME_OBJS) $(O)/tests/scenarios/bad%.c.o libs/runtime/user.ld
	$(CC) $(USER_LDFLAGS) -o $@ $(filter %.o,$^)
$(O)/abort.elf $(O)/printing.elf: $(O)/%.elf: $(RUNTIME_OBJS) $(O)/tests/scenarios/%.c.o libs/runtime/user.ld
	$(CC) $(USER_LDFLAGS) -o $@ $(filter %.o,$^)

# an image whose "root task" is not an ELF file at all
$(O)/badelf.elf:
	@mkdir -p $(dir $@)
	for i in 1 2 3 4 5 6; do echo 'this is not an ELF file, only text'; done > $@

$(O)/ipcbench.elf: $(RUNTIME_OBJS) $(O)/bench/ipc/main.c.o $(O)/bench/common/bench.c.o libs/runtime/user.ld
	$(CC) $(USER_LDFLAGS) -o $@ $(filter %.o,$^)

$(O)/bootbench.elf: $(RUNTIME_OBJS) $(O)/bench/boot/main.c.o libs/runtime/user.ld
	$(CC) $(USER_LDFLAGS) -o $@ $(filter %.o,$^)
$(O)/vspacebench.elf: $(RUNTIME_OBJS) $(O)/bench/vspace/main.c.o libs/runtime/user.ld
	$(CC) $(USER_LDFLAGS) -o $@ $(filter %.o,$^)
$(O)/irqbench.elf: $(RUNTIME_OBJS) $(O)/bench/irq/main.c.o $(O)/bench/common/bench.c.o libs/runtime/user.ld
	$(CC) $(USER_LDFLAGS) -o $@ $(filter %.o,$^)
$(O)/preemptbench.elf: $(RUNTIME_OBJS) $(O)/bench/preempt/main.c.o $(O)/bench/common/bench.c.o libs/runtime/user.ld
	$(CC) $(USER_LDFLAGS) -o $@ $(filter %.o,$^)

# A release kernel has no console and no DebugHalt: the demo runs silently,
# its exit suspends it, and the run ends when the kernel reports it is idle.
run: setup
	$(MAKE) $(O)/hello.img
ifeq ($(BUILD),release)
	@echo "release build: the root task has no console; QEMU stops when the kernel goes idle"
	QEMU_STOP_AT='no runnable threads; idle' scripts/qemu.sh 60 $(O)/hello.img
else
	scripts/qemu.sh 60 $(O)/hello.img
endif

debug: setup
	$(MAKE) $(O)/hello.img
	@echo "QEMU waits for GDB: gdb-multiarch $(O)/hello.img -ex 'target remote :1234'"
	$(QEMU) $(QEMU_FLAGS) -kernel $(O)/hello.img -s -S

test: setup
	@scripts/run-tests.sh

test-host:
	$(MAKE) -f tests/host/host.mk O=$(HOSTO)

size: $(O)/hello.img
	$(SIZE) $<

# The kernel alone (an empty root image), to measure its own text and data.
$(O)/empty.elf:
	@mkdir -p $(dir $@)
	: > $@
kernel-size: $(O)/empty.img
	@$(SIZE) -A $< | awk '/^\.(text|rodata|data|sdata)/ {td += $$2} /^\.bss/ {b += $$2} \
	  END {printf "BENCH kernel_image_text_data bytes median=%d min=%d max=%d n=1\nBENCH kernel_image_bss bytes median=%d min=%d max=%d n=1\n", td, td, td, b, b, b}'

bench: setup
	@scripts/bench.sh

# The storm tests' objects are rebuilt so that a new SEEDS takes effect.
fuzz-kernel: setup
	@rm -rf build/fuzz/tests
	@$(MAKE) -s BUILD=fuzz SEEDS=$(SEEDS) build/fuzz/tests.img
	@scripts/qemu.sh $(FUZZ_SECONDS) build/fuzz/tests.img -append quiet > build/fuzz/fuzz.log 2>&1; \
	  tr -d '\r' < build/fuzz/fuzz.log | grep -E '^(not ok|# storm failed|#   tests/|[0-9]+ passed)'; \
	  grep -qE '^[0-9]+ passed, 0 failed' build/fuzz/fuzz.log

clean:
	rm -rf build

include system/system.mk

-include $(shell find build -name '*.d' 2>/dev/null)
