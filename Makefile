# hypOS build. Out of tree in build/<config>/; BUILD=debug (default) or release.
#   make run     build and boot the demo system in QEMU (a Microkit system: PDs,
#                channels, protected procedure calls, a fault and a restart)
#   make run-roottask   boot the single root-task demo (examples/hello) instead
#   make test    host unit tests + in-QEMU conformance suite (+ eBPF library tests)
#   make bench   benchmarks (guest instructions under -icount shift=0)
#   make debug   boot the root-task demo waiting for GDB on :1234
#   make fuzz-kernel SEEDS=N   the suite with every storm test run over N seeds
BUILD ?= debug
# ARCH=riscv64 (default, QEMU virt) or x86_64 (QEMU pc); x86_64 builds go
# to build/x86_64/<config>.
ARCH ?= riscv64
# MCS=1: the MCS configuration (scheduling contexts, reply objects; docs/mcs.md),
# built to build/<config>-mcs. Kernel and user code both see HYPOS_MCS.
MCS ?= 0
MCS_SUFFIX := $(if $(filter 1,$(MCS)),-mcs)
# The domain scheduler's schedule at boot (docs/domains.md):
# DOMAIN_SCHEDULE="0:5,1:10" gives domain 0 five timer ticks, then domain 1
# ten, round and round; NUM_DOMAINS (default: the highest domain named
# plus one) and DOMAIN_SCHEDULE_ENTRIES (room for runtime schedules)
# refine it. Without it the kernel has one domain. A build with a schedule
# goes to its own directory (<config>-domains).
DOMAIN_SCHEDULE ?=
CONFIG_SUFFIX := $(if $(strip $(DOMAIN_SCHEDULE)),-domains)
ifeq ($(ARCH),riscv64)
O := build/$(BUILD)$(MCS_SUFFIX)$(CONFIG_SUFFIX)
else
O := build/$(ARCH)/$(BUILD)$(MCS_SUFFIX)$(CONFIG_SUFFIX)
endif
# kernel/gen_config.h includes the generated header when it is on the
# include path, so kernel and user code see the same configuration.
GEN_INCLUDE := $(O)/gen/include
DOMAIN_CONFIG_ERROR := $(shell scripts/domain-config.sh $(GEN_INCLUDE)/hypos/domain_config.h '$(DOMAIN_SCHEDULE)' \
  '$(NUM_DOMAINS)' '$(DOMAIN_SCHEDULE_ENTRIES)')
ifneq ($(.SHELLSTATUS)$(DOMAIN_CONFIG_ERROR),0)
$(error $(or $(DOMAIN_CONFIG_ERROR),scripts/domain-config.sh failed))
endif
HOSTO := build/host
AD := kernel/arch/$(ARCH)

ifeq ($(ARCH),riscv64)
CROSS ?= riscv64-unknown-elf-
QEMU ?= qemu-system-riscv64
PICOLIBC := /usr/lib/picolibc/riscv64-unknown-elf
# The kernel uses CSRs and fence.i, part of the base ISA in spec 2.2; the
# plain ISA string keeps GCC on the rv64imac/lp64 multilib of libgcc.
ARCH_FLAGS := -march=rv64imac -misa-spec=2.2 -mabi=lp64 -mcmodel=medany -mno-relax
# user code names the plain ISA string so GCC picks picolibc's rv64imac/lp64 multilib
USER_ARCH := -march=rv64imac -misa-spec=2.2 -mabi=lp64 -mcmodel=medany
USER_LIBC_CFLAGS := --specs=$(PICOLIBC)/picolibc.specs
USER_LIBC_LDFLAGS := --specs=$(PICOLIBC)/picolibc.specs
USER_LIBC_OBJS := $(O)/libs/runtime/riscv64/libc_glue.c.o
KERNEL_ENTRY := head.S
KERNEL_ASM := $(AD)/src/head.S $(AD)/src/trap.S
KERNEL_LDFLAGS :=
QEMU_FLAGS := -machine virt -nographic -bios default -m 256M -smp 1 -monitor none -serial stdio
else ifeq ($(ARCH),x86_64)
# The host's gcc builds both: a freestanding kernel in the top 2 GiB
# (no red zone: interrupts push onto the kernel stack; no SSE: the
# kernel does not save the FPU state of its own code), and user programs
# on the runtime's own small C library (Debian has no x86_64 picolibc).
CROSS ?=
QEMU ?= qemu-system-x86_64
ARCH_FLAGS := -m64 -march=x86-64 -mcmodel=kernel -mno-red-zone -mno-mmx -mno-sse -mno-sse2 -mgeneral-regs-only
USER_ARCH := -m64 -march=x86-64 -mno-red-zone -mgeneral-regs-only -static -fno-pie -fno-stack-protector
USER_LIBC_CFLAGS := -ffreestanding -fno-tree-loop-distribute-patterns -nostdinc -isystem $(shell gcc -print-file-name=include) -Ilibs/runtime/x86_64/include
USER_LIBC_LDFLAGS := -nostdlib -no-pie -Wl,--build-id=none -Wl,-z,noexecstack
USER_LIBC_OBJS := $(O)/libs/runtime/x86_64/libc.c.o $(O)/libs/runtime/x86_64/tls.c.o \
  $(O)/libs/runtime/x86_64/setjmp.S.o
KERNEL_ENTRY := head.S
KERNEL_ASM := $(AD)/src/head.S $(AD)/src/trap.S
KERNEL_LDFLAGS := -no-pie -Wl,-z,noexecstack -Wl,--build-id=none
QEMU_FLAGS := $(shell scripts/qemu.sh --arch x86_64 --print-flags)
else
$(error ARCH must be riscv64 or x86_64)
endif
CC := $(CROSS)gcc
OBJCOPY := $(CROSS)objcopy
SIZE := $(CROSS)size

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
ifeq ($(MCS),1)
  OPT += -DHYPOS_MCS
endif

KERNEL_CFLAGS := $(ARCH_FLAGS) $(WARN) $(OPT) -ffreestanding -fno-builtin -nostdlib -fno-stack-protector \
  -fno-pic -fno-common $(if $(filter debug,$(BUILD)),-fno-omit-frame-pointer) \
  -Ikernel/include -I$(AD)/include -I$(GEN_INCLUDE) -Ilibsel4/include -Ilibsel4/arch_include/$(ARCH)
# Configuration variants live in their own folders: kernel/src/mcs (only in
# MCS builds) and kernel/src/nonmcs (only without MCS).
KERNEL_SRCS := $(filter-out kernel/src/$(if $(filter 1,$(MCS)),nonmcs,mcs)/%,$(wildcard kernel/src/*/*.c)) \
  $(wildcard $(AD)/src/*.c)
KERNEL_OBJS := $(patsubst %,$(O)/%.o,$(KERNEL_SRCS) $(KERNEL_ASM))

USER_CFLAGS := $(USER_ARCH) $(WARN) $(OPT) $(USER_LIBC_CFLAGS) -I$(GEN_INCLUDE) -Ilibsel4/include -Ilibsel4/arch_include/$(ARCH) \
  -Ilibs/runtime/include -Ilibs/runtime/$(ARCH) -Itests/kernel/arch/$(ARCH) -Ibench/common/arch/$(ARCH) \
  -Isystem/include -Ilibs/microkit/include -fno-pic
USER_LD := libs/runtime/$(ARCH)/user.ld
USER_LDFLAGS := $(USER_ARCH) $(USER_LIBC_LDFLAGS) -nostartfiles -T $(USER_LD) -static
RUNTIME_OBJS := $(O)/libs/runtime/$(ARCH)/crt0.S.o $(O)/libs/runtime/runtime.c.o $(O)/libs/runtime/thread.c.o \
  $(USER_LIBC_OBJS)

.PHONY: all setup run run-roottask run-mcs test test-host test-kernel bench debug clean size kernel-size fuzz-kernel format check-format
SEEDS ?= 100
FUZZ_SECONDS ?= 3600
# The conformance suite and badsys use debug system calls (invariant
# checks, CapIdentify, NameThread), which exist only in debug kernels.
DEBUG_ONLY_IMAGES := $(O)/tests.img $(O)/badsys.img $(O)/abort.img
all: $(O)/hello.img $(O)/badptr.img $(O)/badelf.img $(O)/badtime.img $(O)/printing.img \
  $(if $(filter release bench,$(BUILD)),,$(DEBUG_ONLY_IMAGES))

# The Debian packages (scripts/setup.sh) are checked once: after the script
# has succeeded, a stamp named after the hash of the script and of the eBPF
# library's package list keeps later targets from running it again, and a
# changed script or list runs it again. `make clean` (or removing the
# stamp) re-checks; a fresh machine has no stamp and installs everything.
SETUP_STAMP := build/setup-$(shell cat scripts/setup.sh libs/bpf/DEPENDENCIES 2>/dev/null | sha256sum | cut -c1-16).stamp
setup: $(SETUP_STAMP)
	@:
$(SETUP_STAMP):
	@scripts/setup.sh
	@mkdir -p $(dir $@) && rm -f build/setup-*.stamp && touch $@

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
# On x86_64 QEMU's multiboot loader wants a 32-bit ELF: the 64-bit kernel
# (kept as .img64 for GDB) is converted; its entry is 32-bit code.
$(O)/%.img: $(O)/%.elf $(O)/kernel.a $(AD)/linker.ld $(AD)/src/rootimage.S
	$(OBJCOPY) --strip-debug $< $(O)/$*.embedded 2>/dev/null || cp $< $(O)/$*.embedded
	$(CC) $(KERNEL_CFLAGS) -DROOTIMAGE='"$(O)/$*.embedded"' -c $(AD)/src/rootimage.S -o $(O)/$*.rootimage.o
	$(CC) $(KERNEL_CFLAGS) -T $(AD)/linker.ld -Wl,--gc-sections -Wl,--no-warn-rwx-segments $(KERNEL_LDFLAGS) -o $@$(if $(filter x86_64,$(ARCH)),64) \
	  $(O)/$(AD)/src/$(KERNEL_ENTRY).o $(O)/$*.rootimage.o $(O)/kernel.a -lgcc
ifeq ($(ARCH),x86_64)
	$(OBJCOPY) -O elf32-i386 $@64 $@
endif

$(O)/hello.elf: $(RUNTIME_OBJS) $(O)/examples/hello/main.c.o $(USER_LD)
	$(CC) $(USER_LDFLAGS) -o $@ $(filter %.o,$^)

# the MCS demo (make MCS=1 run-mcs)
$(O)/mcs.elf: $(RUNTIME_OBJS) $(O)/examples/mcs/main.c.o $(USER_LD)
	$(CC) $(USER_LDFLAGS) -o $@ $(filter %.o,$^)

# One file of the x86_64 suite is built as ordinary compilers build user
# code, with SSE registers: the kernel keeps them per thread.
$(O)/tests/kernel/arch/x86_64/test_fpu_sse.c.o: USER_CFLAGS := $(filter-out -mgeneral-regs-only,$(USER_CFLAGS)) -msse2

# tests/kernel/mcs/: the groups only the MCS configuration has.
TEST_SRCS := $(wildcard tests/kernel/*.c) \
  $(wildcard tests/kernel/arch/$(ARCH)/*.c) $(if $(filter 1,$(MCS)),$(wildcard tests/kernel/mcs/*.c))
$(O)/tests.elf: $(RUNTIME_OBJS) $(patsubst %,$(O)/%.o,$(TEST_SRCS)) $(USER_LD)
	$(CC) $(USER_LDFLAGS) -o $@ $(filter %.o,$^)

# The eBPF JIT in the x86_64 port (tests/bpfjit): the conformance suite's
# framework (only its BPFJIT tests: the framework built with TEST_ONLY)
# with the eBPF library built as x86_64 user code; a test and benchmark
# image (make test's BPFJIT_X86_64 stage, make bench).
BPFJIT_LIB_OBJS := $(patsubst %,$(O)/bpfjit/%.o,$(filter-out libs/bpf/src/jit_host.c,$(wildcard libs/bpf/src/*.c)))
BPFJIT_CFLAGS = $(USER_CFLAGS) -Ilibs/bpf/include -Ilibs/bpf/src -Ibench/bpf -Itests/kernel -fno-builtin
$(O)/bpfjit/%.c.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(BPFJIT_CFLAGS) -MMD -MP -c $< -o $@
$(O)/bpfjit/tests/kernel/framework.c.o: BPFJIT_CFLAGS += -DTEST_ONLY='"BPFJIT"'
$(O)/bpfjit.elf: $(RUNTIME_OBJS) $(patsubst %,$(O)/%.o,$(filter-out tests/kernel/framework.c,$(TEST_SRCS))) \
  $(O)/bpfjit/tests/kernel/framework.c.o $(O)/bpfjit/tests/bpfjit/test_bpfjit.c.o $(BPFJIT_LIB_OBJS) $(USER_LD)
	$(CC) $(USER_LDFLAGS) -o $@ $(filter %.o,$^)

$(O)/bad%.elf: $(RUNTIME_OBJS) $(O)/tests/scenarios/bad%.c.o $(USER_LD)
	$(CC) $(USER_LDFLAGS) -o $@ $(filter %.o,$^)
$(O)/abort.elf $(O)/printing.elf: $(O)/%.elf: $(RUNTIME_OBJS) $(O)/tests/scenarios/%.c.o $(USER_LD)
	$(CC) $(USER_LDFLAGS) -o $@ $(filter %.o,$^)

# an image whose "root task" is not an ELF file at all
$(O)/badelf.elf:
	@mkdir -p $(dir $@)
	for i in 1 2 3 4 5 6; do echo 'this is not an ELF file, only text'; done > $@

# A benchmark root task: bench/<name>/main.c is $(O)/<name>bench.elf (and
# .img). The shared measuring code (bench/common) is linked as an archive,
# so a benchmark that does not call it gets none of it: its image, and with
# it what the boot benchmark measures, stays the size of its own code.
$(O)/bench/common/libbench.a: $(O)/bench/common/bench.c.o
	@rm -f $@
	$(CROSS)ar rcs $@ $^
$(O)/%bench.elf: $(RUNTIME_OBJS) $(O)/bench/%/main.c.o $(O)/bench/common/libbench.a $(USER_LD)
	$(CC) $(USER_LDFLAGS) -o $@ $(filter %.o %.a,$^)

# make run boots the demo system (examples/demo, a Microkit system built
# by tools/microkit) with Microkit's QEMU command for this board (2 GiB of
# RAM); its last PD powers the machine off (with MCS=1 on the MCS kernel,
# from build/sdk-mcs). The Microkit tool builds for riscv64 only, so on
# x86_64 make run boots the root-task demo, which make run-roottask boots
# anywhere. A release kernel has no
# console and no DebugHalt: the programs run silently and the run ends when
# the kernel reports it is idle.
IDLE_LINE := no runnable threads; idle
ifeq ($(ARCH),riscv64)
run: setup
	$(MAKE) sdk $(O)/demo.img
ifeq ($(BUILD),release)
	@echo "release build: PDs have no console; QEMU stops when the kernel goes idle"
	QEMU_STOP_AT='$(IDLE_LINE)' scripts/qemu.sh 60 $(O)/demo.img -m size=2G
else
	scripts/qemu.sh 60 $(O)/demo.img -m size=2G
endif
else
run: run-roottask
endif

run-roottask: setup
	$(MAKE) $(O)/hello.img
ifeq ($(BUILD),release)
	@echo "release build: the root task has no console; QEMU stops when the kernel goes idle"
	QEMU_STOP_AT='$(IDLE_LINE)' scripts/qemu.sh --arch $(ARCH) 60 $(O)/hello.img
else
	scripts/qemu.sh --arch $(ARCH) 60 $(O)/hello.img
endif

# The MCS demo: scheduling contexts, a passive server, a budget, a timeout fault.
run-mcs: setup
	$(MAKE) MCS=1 build/$(BUILD)-mcs/mcs.img
	@echo "(-icount: QEMU's clock follows the guest, so the budget share it measures does not depend on the host's load)"
	scripts/qemu.sh 60 build/$(BUILD)-mcs/mcs.img -icount shift=0,sleep=off

debug: setup
	$(MAKE) $(O)/hello.img
	@echo "QEMU waits for GDB: gdb-multiarch $(O)/hello.img$(if $(filter x86_64,$(ARCH)),64) -ex 'target remote :1234'"
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

# C style: the root .clang-format (libs/bpf and bench/bpf have their own).
format:
	@scripts/check-format.sh --fix
check-format:
	@scripts/check-format.sh

clean:
	rm -rf build

include system/system.mk

-include $(shell find build -name '*.d' 2>/dev/null)
