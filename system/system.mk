# Microkit-compatible systems: the host tool, the SDK's board files for
# this BUILD, libmicrokit, the initialiser, the monitor and the example
# systems. Included by the top-level Makefile.
MKCONFIG := $(if $(filter release,$(BUILD)),release,$(if $(filter bench,$(BUILD)),benchmark,debug))
# MCS=1 builds the SDK for the MCS kernel as build/sdk-mcs, laid out the
# same way (Microkit's config names debug, release, benchmark): the only
# kind of SDK Microkit has, where budgets, periods and passive PDs work.
SDK := build/sdk$(MCS_SUFFIX)
BOARD := $(SDK)/board/qemu_virt_riscv64/$(MKCONFIG)
MICROKIT := $(SDK)/bin/microkit
HOSTCC ?= gcc
XML_FLAGS := $(shell pkg-config --cflags libxml-2.0 2>/dev/null)
XML_LIBS := $(shell pkg-config --libs libxml-2.0 2>/dev/null || echo -lxml2)
# The tool replays the kernel's boot-time untyped list with the kernel's
# own boot-memory code (tools/microkit/replay.c).
TOOL_SRCS := $(wildcard tools/microkit/*.c) kernel/src/kernel/boot_memory.c
# The tool verifies eBPF objects at build time with the runtime and the PD
# hook library the bpf PD uses (tools/microkit/bpfcheck.c).
# Boot measurements hash with libs/bundle's SHA-256, the initialiser's code
# (tools/microkit/measure.c).
HBUNDLE_HOST := $(abspath $(HOSTO))/bundle/hostopt/hbundle.o
TOOL_BPF_SRCS := $(filter-out libs/bpf/src/jit_host.c,$(wildcard libs/bpf/src/*.c)) $(wildcard libs/bpfhook/src/*.c)
TOOL_BPF_OBJS := $(patsubst %.c,$(HOSTO)/microkit/%.o,$(TOOL_BPF_SRCS))
$(HOSTO)/microkit/%.o: %.c $(wildcard libs/bpf/include/bpf/*.h libs/bpf/src/*.h libs/bpf/src/*.inc libs/bpfhook/src/*.h libs/bpfhook/include/hypos/*.h)
	@mkdir -p $(dir $@)
	$(HOSTCC) -O2 -g $(WARN) -Ilibs/bpf/include -Ilibs/bpfhook/include -c $< -o $@

$(MICROKIT): $(TOOL_SRCS) $(wildcard tools/microkit/*.h) system/include/hypos/spec.h system/include/hypos/microkit_abi.h \
  kernel/include/kernel/boot_memory.h kernel/include/kernel/boot.h kernel/arch/riscv64/include/arch/kobj_base.h $(TOOL_BPF_OBJS) \
  $(HBUNDLE_HOST)
	@mkdir -p $(dir $@)
	$(HOSTCC) -O2 -g $(WARN) -D_GNU_SOURCE -Isystem/include -Ilibsel4/include -Ilibsel4/arch_include/riscv64 \
	  -Ikernel/include -Ikernel/arch/riscv64/include -Ilibs/bundle/include \
	  -Ilibs/bpf/include -Ilibs/bpfhook/include $(XML_FLAGS) -o $@ $(TOOL_SRCS) $(TOOL_BPF_OBJS) $(HBUNDLE_HOST) $(XML_LIBS)

# the parser under libFuzzer with AddressSanitizer (tests/tools/run.sh runs it briefly)
FUZZ_SDF := $(HOSTO)/microkit/fuzz_sdf
$(FUZZ_SDF): tests/tools/fuzz_sdf.c $(filter-out tools/microkit/main.c tools/microkit/image.c tools/microkit/measure.c tools/microkit/bpfcheck.c tools/microkit/tracecheck.c tools/microkit/replay.c kernel/%,$(TOOL_SRCS)) \
  libs/bpfhook/src/trace.c libs/bpfhook/src/common.c $(wildcard tools/microkit/*.h)
	@mkdir -p $(dir $@)
	clang -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -Isystem/include -Ilibsel4/include -Ilibsel4/arch_include/riscv64 -Ilibs/bundle/include \
	  -Ilibs/bpf/include -Ilibs/bpfhook/include $(XML_FLAGS) \
	  -o $@ $(filter %.c,$^) $(XML_LIBS)

.PHONY: fuzz-sdf
fuzz-sdf: $(FUZZ_SDF) $(MICROKIT) $(O)/examples/hello-system/hello.elf
	FUZZ_SDF_SECONDS=$(FUZZ_SECONDS) tests/tools/run.sh $(MICROKIT) $(O)/examples/hello-system | tail -2

# Protection domains (libmicrokit, the monitor, example PDs) are built as
# Microkit builds them for riscv64: rv64imafdc with the lp64d ABI and no C
# library (the kernel saves each thread's F/D state). Root tasks (the
# initialiser) keep the rv64imac/lp64 build of the rest of the tree.
PD_ARCH := -march=rv64imafdc_zicsr_zifencei -mabi=lp64d -mcmodel=medany
PD_CFLAGS := $(PD_ARCH) $(WARN) $(OPT) -ffreestanding -nostdlib -I$(GEN_INCLUDE) -Ilibsel4/include -Ilibsel4/arch_include/riscv64 -Isystem/include \
  -Ilibs/microkit/include -Ilibs/bpf/include -Ilibs/bpfhook/include -Ilibs/bundle/include -fno-pic
MK_LIB_OBJS := $(O)/libs/microkit/src/crt0.S.o $(O)/libs/microkit/src/main.c.o $(O)/libs/microkit/src/frames.c.o
$(MK_LIB_OBJS) $(O)/system/monitor/main.c.o: USER_CFLAGS := $(PD_CFLAGS)
# objects built before PDs changed ABI must not linger in old build trees
$(MK_LIB_OBJS) $(O)/system/monitor/main.c.o $(O)/system/monitor/crt0.S.o: system/system.mk
$(BOARD)/lib/libmicrokit.a: $(MK_LIB_OBJS)
	@mkdir -p $(dir $@)
	@rm -f $@
	$(CROSS)ar rcs $@ $^
$(BOARD)/lib/microkit.ld: libs/microkit/src/microkit.ld
	@mkdir -p $(dir $@)
	cp $< $@

# eBPF for PDs: the runtime (libs/bpf) and PD hook points (libs/bpfhook)
# built for the PD ABI, shipped in the SDK as libbpf.a and libbpfhook.a;
# the bpf PD (system/bpf) as a ready-made program in board/.../pd/, a
# search path of every example system.
PD_BPF_SRCS := $(filter-out libs/bpf/src/jit_host.c,$(wildcard libs/bpf/src/*.c))
PD_BPF_OBJS := $(patsubst libs/bpf/src/%.c,$(O)/pd/bpf/%.o,$(PD_BPF_SRCS))
PD_BPFHOOK_OBJS := $(patsubst libs/bpfhook/src/%.c,$(O)/pd/bpfhook/%.o,$(wildcard libs/bpfhook/src/*.c))
$(O)/pd/bpf/%.o: libs/bpf/src/%.c $(wildcard libs/bpf/include/bpf/*.h libs/bpf/src/*.h libs/bpf/src/*.inc) system/system.mk
	@mkdir -p $(dir $@)
	$(CC) $(PD_ARCH) -std=gnu11 -Wall -Wextra -Werror -O2 -ffreestanding -nostdlib -fno-builtin \
	  -fno-tree-loop-distribute-patterns -fno-pic -Ilibs/bpf/include -c $< -o $@
$(O)/pd/bpfhook/%.o: libs/bpfhook/src/%.c $(wildcard libs/bpfhook/src/*.h libs/bpfhook/include/hypos/*.h libs/bpf/include/bpf/*.h) system/system.mk
	@mkdir -p $(dir $@)
	$(CC) $(PD_CFLAGS) -fno-builtin -fno-tree-loop-distribute-patterns -c $< -o $@
$(BOARD)/lib/libbpf.a: $(PD_BPF_OBJS)
	@mkdir -p $(dir $@)
	@rm -f $@
	$(CROSS)ar rcs $@ $^
$(BOARD)/lib/libbpfhook.a: $(PD_BPFHOOK_OBJS)
	@mkdir -p $(dir $@)
	@rm -f $@
	$(CROSS)ar rcs $@ $^
# Signed bundles, keys, measurement log and attestation for the control
# plane's agent (libs/bundle, with libsodium's Ed25519 and SHA-2 from
# Debian's source package): one self-contained archive, -lhbundle.
$(BOARD)/lib/libhbundle.a: $(wildcard libs/bundle/src/*.c libs/bundle/src/*.h libs/bundle/include/hypos/*.h) \
  libs/bundle/Makefile system/system.mk
	@mkdir -p $(dir $@)
	$(MAKE) -s -C libs/bundle cross O=$(abspath $(HOSTO))/bundle >/dev/null
	cp $(abspath $(HOSTO))/bundle/riscv64/libhbundle.a $@
BPF_PD_OBJS := $(patsubst %.c,$(O)/%.c.o,$(wildcard system/bpf/*.c))
$(BPF_PD_OBJS): USER_CFLAGS := $(PD_CFLAGS)
$(BPF_PD_OBJS): system/system.mk
$(BOARD)/pd/bpf.elf: $(BPF_PD_OBJS) $(BOARD)/lib/libbpfhook.a $(BOARD)/lib/libbpf.a $(BOARD)/lib/libmicrokit.a $(BOARD)/lib/microkit.ld
	@mkdir -p $(dir $@)
	$(CC) $(PD_LDFLAGS) -o $@ $(BPF_PD_OBJS) -L$(BOARD)/lib -lbpfhook -lbpf -lmicrokit -lgcc

# The control plane's PDs (docs/control-plane.md), ready-made in the SDK's
# pd/: the virtio console driver and the agent. The agent decodes and
# encodes Protocol Buffers with nanopb: generator from Debian's nanopb
# package, runtime sources from its source package (scripts/setup.sh puts
# them in build/third_party/nanopb), built here for the PD ABI.
NANOPB_SRC := build/third_party/nanopb
PROTO_GEN := build/gen/proto
$(PROTO_GEN)/control.pb.c $(PROTO_GEN)/control.pb.h $(PROTO_GEN)/attest.pb.c: proto/control.proto proto/control.options \
  proto/attest.proto proto/attest.options
	@mkdir -p $(PROTO_GEN)
	cd proto && nanopb_generator.py -q -D $(abspath $(PROTO_GEN)) control.proto attest.proto
$(NANOPB_SRC)/pb_decode.c:
	scripts/setup.sh
NANOPB_PD_OBJS := $(patsubst %,$(O)/pd/nanopb/%.o,pb_common pb_encode pb_decode control.pb attest.pb)
NANOPB_PD_FLAGS := -DPB_FIELD_32BIT -DPB_SYSTEM_HEADER='"pb_syshdr.h"' -Isystem/agent -I$(NANOPB_SRC) -I$(PROTO_GEN)
$(O)/pd/nanopb/control.pb.o $(O)/pd/nanopb/attest.pb.o: $(O)/pd/nanopb/%.pb.o: $(PROTO_GEN)/control.pb.c $(PROTO_GEN)/control.pb.h \
  $(NANOPB_SRC)/pb_decode.c system/system.mk
	@mkdir -p $(dir $@)
	$(CC) $(PD_CFLAGS) -fno-builtin $(NANOPB_PD_FLAGS) -c $(PROTO_GEN)/$*.pb.c -o $@
$(O)/pd/nanopb/%.o: $(NANOPB_SRC)/pb_decode.c $(PROTO_GEN)/control.pb.h system/agent/pb_syshdr.h system/system.mk
	@mkdir -p $(dir $@)
	$(CC) $(PD_CFLAGS) -fno-builtin $(NANOPB_PD_FLAGS) -c $(NANOPB_SRC)/$*.c -o $@
VIRTIO_CONSOLE_OBJS := $(patsubst %.c,$(O)/%.c.o,$(wildcard system/virtio_console/*.c))
AGENT_OBJS := $(patsubst %.c,$(O)/%.c.o,$(wildcard system/agent/*.c))
$(VIRTIO_CONSOLE_OBJS) $(AGENT_OBJS): USER_CFLAGS := $(PD_CFLAGS) $(NANOPB_PD_FLAGS)
$(VIRTIO_CONSOLE_OBJS) $(AGENT_OBJS): system/system.mk $(wildcard system/include/hypos/*.h)
$(AGENT_OBJS): $(PROTO_GEN)/control.pb.h $(NANOPB_SRC)/pb_decode.c $(wildcard system/agent/*.h)
$(BOARD)/pd/virtio_console.elf: $(VIRTIO_CONSOLE_OBJS) $(BOARD)/lib/libmicrokit.a $(BOARD)/lib/microkit.ld
	@mkdir -p $(dir $@)
	$(CC) $(PD_LDFLAGS) -o $@ $(VIRTIO_CONSOLE_OBJS) -L$(BOARD)/lib -lmicrokit -lgcc
$(BOARD)/pd/agent.elf: $(AGENT_OBJS) $(NANOPB_PD_OBJS) $(BOARD)/lib/libbpfhook.a $(BOARD)/lib/libbpf.a $(BOARD)/lib/libmicrokit.a \
  $(BOARD)/lib/libhbundle.a $(BOARD)/lib/microkit.ld
	@mkdir -p $(dir $@)
	$(CC) $(PD_LDFLAGS) -o $@ $(AGENT_OBJS) $(NANOPB_PD_OBJS) -L$(BOARD)/lib -lbpfhook -lbpf -lhbundle -lmicrokit -lgcc

$(O)/system/monitor/crt0.S.o: libs/microkit/src/crt0.S
	@mkdir -p $(dir $@)
	$(CC) $(PD_CFLAGS) -Dmicrokit_internal_main=monitor_main -c $< -o $@
PD_LDFLAGS = $(PD_ARCH) -nostdlib -static -T $(BOARD)/lib/microkit.ld
$(BOARD)/elf/monitor.elf: $(O)/system/monitor/crt0.S.o $(O)/system/monitor/main.c.o $(BOARD)/lib/microkit.ld $(BOARD)/lib/libmicrokit.a
	@mkdir -p $(dir $@)
	$(CC) $(PD_LDFLAGS) -o $@ $(filter %.o,$^) -lgcc

# The initialiser hashes the boot measurements with libs/bundle's SHA-256,
# built for its ABI (rv64imac, lp64).
HBUNDLE_ROOT := $(abspath $(HOSTO))/bundle/rootlp64/hbundle.o
$(HBUNDLE_ROOT): $(wildcard libs/bundle/src/*.c libs/bundle/src/*.h libs/bundle/include/hypos/*.h) libs/bundle/Makefile
	$(MAKE) -s -C libs/bundle O=$(abspath $(HOSTO))/bundle $@ >/dev/null
$(O)/system/initialiser/main.c.o: USER_CFLAGS += -Ilibs/bundle/include
$(O)/system/initialiser/main.c.o: $(wildcard libs/bundle/include/hypos/*.h)
$(BOARD)/elf/initialiser.o: $(RUNTIME_OBJS) $(O)/system/initialiser/main.c.o $(O)/system/initialiser/trace.c.o $(HBUNDLE_ROOT)
	@mkdir -p $(dir $@)
	$(CROSS)ld -r -o $@ $^

$(BOARD)/elf/flags: Makefile system/system.mk
	@mkdir -p $(dir $@)
	printf 'cross=%s\nuser=%s\nkernel=%s\n' '$(CROSS)' '$(USER_ARCH) --specs=$(PICOLIBC)/picolibc.specs' \
	  '$(KERNEL_CFLAGS)' > $@

SDK_BOARD_FILES := $(BOARD)/lib/libmicrokit.a $(BOARD)/lib/microkit.ld $(BOARD)/elf/monitor.elf \
  $(BOARD)/elf/initialiser.o $(BOARD)/elf/flags $(BOARD)/elf/kernel.a $(BOARD)/elf/kernel-domains.a \
  $(BOARD)/elf/head.o $(BOARD)/elf/kernel.ld \
  $(BOARD)/elf/rootimage.S $(BOARD)/elf/user.ld $(BOARD)/include/microkit.h \
  $(BOARD)/lib/libbpf.a $(BOARD)/lib/libbpfhook.a $(BOARD)/lib/libhbundle.a $(BOARD)/pd/bpf.elf \
  $(BOARD)/pd/virtio_console.elf $(BOARD)/pd/agent.elf
$(BOARD)/elf/kernel.a: $(O)/kernel.a
	@mkdir -p $(dir $@)
	cp $< $@
# The kernel of systems with a <domains> schedule: as many domains and
# schedule entries as the tool allows (SDF_NUM_DOMAINS,
# SDF_DOMAIN_SCHEDULE_ENTRIES in tools/microkit/sdf.h); domain 0 has the CPU
# until the initialiser installs the system's schedule. Rebuilt whenever
# the one-domain kernel is.
SDK_DOMAINS_O := $(O)-sdk-domains
$(BOARD)/elf/kernel-domains.a: $(O)/kernel.a
	$(MAKE) -s BUILD=$(BUILD) O=$(SDK_DOMAINS_O) DOMAIN_SCHEDULE=0:10000 NUM_DOMAINS=16 DOMAIN_SCHEDULE_ENTRIES=100 \
	  $(SDK_DOMAINS_O)/kernel.a
	@mkdir -p $(dir $@)
	cp $(SDK_DOMAINS_O)/kernel.a $@
$(BOARD)/elf/head.o: $(O)/kernel/arch/riscv64/src/head.S.o
	@mkdir -p $(dir $@)
	cp $< $@
$(BOARD)/elf/kernel.ld: kernel/arch/riscv64/linker.ld
	@mkdir -p $(dir $@)
	cp $< $@
$(BOARD)/elf/rootimage.S: kernel/arch/riscv64/src/rootimage.S
	@mkdir -p $(dir $@)
	cp $< $@
$(BOARD)/elf/user.ld: libs/runtime/riscv64/user.ld
	@mkdir -p $(dir $@)
	cp $< $@
# The SDK's headers: libsel4's tree, microkit.h, the PD ABI, and a
# kernel/gen_config.h fixed to this configuration (a Microkit Makefile
# compiles without hypOS's build flags and reads CONFIG_SEL4_ARCH from it).
SDK_CONFIG_FLAGS := $(if $(filter debug,$(MKCONFIG)),HYPOS_DEBUG HYPOS_PRINTING HYPOS_USER_COUNTERS,$(if $(filter benchmark,$(MKCONFIG)),HYPOS_PRINTING HYPOS_USER_COUNTERS)) \
  $(if $(filter 1,$(MCS)),HYPOS_MCS)
$(BOARD)/include/microkit.h: system/system.mk libs/microkit/include/microkit.h $(shell find libsel4/include libsel4/arch_include/riscv64 -type f) system/include/hypos/microkit_abi.h \
  $(wildcard libs/bpf/include/bpf/*.h libs/bpfhook/include/hypos/*.h)
	@rm -rf $(BOARD)/include
	@mkdir -p $(BOARD)/include/hypos $(BOARD)/include/bpf
	cp -r libsel4/include/. libsel4/arch_include/riscv64/. $(BOARD)/include/
	cp system/include/hypos/microkit_abi.h libs/bpfhook/include/hypos/*.h $(BOARD)/include/hypos/
	cp libs/bpf/include/bpf/*.h $(BOARD)/include/bpf/
	{ printf '/* generated: the kernel configuration of this SDK ($(MKCONFIG)) */\n'; \
	  for f in $(SDK_CONFIG_FLAGS); do printf '#ifndef %s\n#define %s 1\n#endif\n' $$f $$f; done; \
	  sed 's/^#define CONFIG_SEL4_ARCH riscv64$$/#define CONFIG_SEL4_ARCH  riscv64/' libsel4/arch_include/riscv64/kernel/gen_config.h; \
	} > $(BOARD)/include/kernel/gen_config.h
	cp libs/microkit/include/microkit.h $@

# hyposctl, the host side of the control plane (tools/hyposctl), with the
# host build of the same nanopb runtime and generated code
HYPOSCTL := $(SDK)/bin/hyposctl
NANOPB_HOST_SRCS := $(NANOPB_SRC)/pb_common.c $(NANOPB_SRC)/pb_encode.c $(NANOPB_SRC)/pb_decode.c $(PROTO_GEN)/control.pb.c \
  $(PROTO_GEN)/attest.pb.c
# keys, signing and attestation checks: libs/bundle's host object (HBUNDLE_HOST) and libsodium
$(HBUNDLE_HOST): $(wildcard libs/bundle/src/*.c libs/bundle/src/*.h libs/bundle/include/hypos/*.h) libs/bundle/Makefile
	$(MAKE) -s -C libs/bundle O=$(abspath $(HOSTO))/bundle $@
$(HYPOSCTL): $(wildcard tools/hyposctl/*.c tools/hyposctl/*.h) $(PROTO_GEN)/control.pb.h $(NANOPB_SRC)/pb_decode.c $(HBUNDLE_HOST)
	@mkdir -p $(dir $@)
	$(HOSTCC) -O2 -g $(WARN) -DPB_FIELD_32BIT -I$(NANOPB_SRC) -I$(PROTO_GEN) -Ilibs/bundle/include -o $@ \
	  $(wildcard tools/hyposctl/*.c) $(NANOPB_HOST_SRCS) $(HBUNDLE_HOST) -lsodium

CONTROL_STORM := $(HOSTO)/control/storm
$(CONTROL_STORM): tests/control/storm.c tools/hyposctl/client.c tools/hyposctl/client.h system/include/hypos/control_sync.h $(PROTO_GEN)/control.pb.h $(NANOPB_SRC)/pb_decode.c
	@mkdir -p $(dir $@)
	$(HOSTCC) -O2 -g $(WARN) -DPB_FIELD_32BIT -I$(NANOPB_SRC) -I$(PROTO_GEN) -o $@ tests/control/storm.c tools/hyposctl/client.c $(NANOPB_HOST_SRCS)
# connections that end badly (tests/control/run.sh)
CONTROL_RESYNC := $(HOSTO)/control/resync
$(CONTROL_RESYNC): tests/control/resync.c tools/hyposctl/client.c tools/hyposctl/client.h system/include/hypos/control_sync.h \
  $(PROTO_GEN)/control.pb.h $(NANOPB_SRC)/pb_decode.c
	@mkdir -p $(dir $@)
	$(HOSTCC) -O2 -g $(WARN) -DPB_FIELD_32BIT -I$(NANOPB_SRC) -I$(PROTO_GEN) -o $@ tests/control/resync.c tools/hyposctl/client.c $(NANOPB_HOST_SRCS)

.PHONY: sdk systems
sdk: $(MICROKIT) $(SDK_BOARD_FILES) $(HYPOSCTL)

# Example systems: each examples/<name>/ holds a .system file and PD sources;
# every <pd>.c becomes <pd>.elf, every <prog>.bpf.c an eBPF object
# <prog>.bpf.o (clang -target bpf) next to them for prefill_path, and the
# system image is $(O)/<name>.img. PDs link against the eBPF libraries too
# (only what they use is pulled in); the SDK's ready-made PDs (bpf.elf) are
# found after the example's own.
SYSTEM_EXAMPLES := $(patsubst examples/%/,%,$(dir $(wildcard examples/*/*.system)))
BPF_PROG_CFLAGS := -target bpf -O2 -g -Wall -Werror -Ilibs/bpfhook/include $(if $(shell gcc -print-multiarch 2>/dev/null),-I/usr/include/$(shell gcc -print-multiarch))
# Examples whose directory holds a file MCS_ONLY use budgets, periods or
# passive PDs: they are built only with MCS=1.
MCS_ONLY_EXAMPLES := $(patsubst examples/%/MCS_ONLY,%,$(wildcard examples/*/MCS_ONLY))
ifneq ($(MCS),1)
SYSTEM_EXAMPLES := $(filter-out $(MCS_ONLY_EXAMPLES),$(SYSTEM_EXAMPLES))
endif
define system_image # name, source directory
$(2)_PDS := $(filter-out %.bpf.c,$(wildcard $(2)/*.c))
$$(patsubst $(2)/%.c,$(O)/$(2)/%.c.o,$$($(2)_PDS)): USER_CFLAGS := $(PD_CFLAGS)
$$(patsubst $(2)/%.c,$(O)/$(2)/%.c.o,$$($(2)_PDS)): system/system.mk
$(O)/$(2)/%.elf: $(O)/$(2)/%.c.o $(BOARD)/lib/libmicrokit.a $(BOARD)/lib/microkit.ld $(BOARD)/lib/libbpfhook.a $(BOARD)/lib/libbpf.a \
  $(BOARD)/lib/libhbundle.a
	$$(CC) $$(PD_LDFLAGS) -o $$@ $$< -L$(BOARD)/lib -lbpfhook -lbpf -lhbundle -lmicrokit -lgcc
$(O)/$(2)/%.bpf.o: $(2)/%.bpf.c $(wildcard $(2)/*.h)
	@mkdir -p $$(dir $$@)
	clang $(BPF_PROG_CFLAGS) -I$(2) -c $$< -o $$@
$(O)/$(1).img: $(MICROKIT) $(SDK_BOARD_FILES) $(wildcard $(2)/*.system) \
  $$(patsubst $(2)/%.c,$(O)/$(2)/%.elf,$$($(2)_PDS)) $(patsubst $(2)/%.bpf.c,$(O)/$(2)/%.bpf.o,$(wildcard $(2)/*.bpf.c))
	$(MICROKIT) $(wildcard $(2)/*.system) --board qemu_virt_riscv64 --config $(MKCONFIG) \
	  --search-path $(O)/$(2) --search-path $(BOARD)/pd --sdk $(SDK) -o $$@ -r $(O)/$(1).report
endef
$(foreach e,$(SYSTEM_EXAMPLES),$(eval $(call system_image,$(e),examples/$(e))))
$(eval $(call system_image,microkitbench,bench/microkit))
$(eval $(call system_image,bpfhookbench,bench/bpfhook))
$(eval $(call system_image,bpftracebench,bench/bpftrace))
$(eval $(call system_image,bpftraceipcbench,bench/bpftrace-ipc))
# MCS only (a passive server): make MCS=1 BUILD=bench build/bench-mcs/microkitbench-mcs.img
$(eval $(call system_image,microkitbench-mcs,bench/microkit-mcs))
systems: $(patsubst %,$(O)/%.img,$(SYSTEM_EXAMPLES))

# Boot the control plane's example with its virtio console on a UNIX
# socket (CONTROL_SOCKET) for hyposctl; stopped after RUN_SECONDS:
#   make run-control RUN_SECONDS=600 &   then   build/sdk/bin/hyposctl list
CONTROL_SOCKET ?= build/control.sock
.PHONY: run-control
run-control: setup
	$(MAKE) sdk $(O)/control.img
	rm -f $(CONTROL_SOCKET)
	timeout --foreground -k 5 $(RUN_SECONDS) $(QEMU) -machine virt -nographic -serial mon:stdio \
	  -kernel $(O)/control.img -m size=2G -global virtio-mmio.force-legacy=false -device virtio-serial-device \
	  -chardev socket,id=ctl,path=$(CONTROL_SOCKET),server=on,wait=off -device virtserialport,chardev=ctl || true

# examples/signed-bundle: keys made at build time (never kept in the
# repository) with hyposctl's key commands, a keyring of the release key,
# and bundles of counter.bpf.o: versions 1, 2 and 3, version 2 with one
# byte changed after signing, and one signed by a key not in the keyring.
SIGNED := $(O)/examples/signed-bundle
KEYTOOL := $(abspath $(HOSTO))/bundle/hostopt/keytool
$(KEYTOOL): libs/bundle/tests/keytool.c $(wildcard tools/hyposctl/*.[ch] libs/bundle/src/*.[ch] libs/bundle/include/hypos/*.h)
	$(MAKE) -s -C libs/bundle O=$(abspath $(HOSTO))/bundle $@
$(SIGNED)/bundles.stamp: $(KEYTOOL) $(SIGNED)/counter.bpf.o
	$(KEYTOOL) keygen release -o $(SIGNED)/release --force >/dev/null
	$(KEYTOOL) keygen stranger -o $(SIGNED)/stranger --force >/dev/null
	$(KEYTOOL) keygen device -o $(SIGNED)/device --force >/dev/null
	$(KEYTOOL) keyring $(SIGNED)/keyring $(SIGNED)/release.pub >/dev/null
	for v in 1 2 3; do $(KEYTOOL) sign -k $(SIGNED)/release.key -n counter -V $$v -H serial_rx \
	  -o $(SIGNED)/counter-v$$v.bundle $(SIGNED)/counter.bpf.o >/dev/null || exit 1; done
	$(KEYTOOL) sign -k $(SIGNED)/stranger.key -n counter -V 9 -H serial_rx -o $(SIGNED)/counter-stranger.bundle \
	  $(SIGNED)/counter.bpf.o >/dev/null
	cp $(SIGNED)/counter-v2.bundle $(SIGNED)/counter-tampered.bundle
	b=$$(od -An -tu1 -j300 -N1 $(SIGNED)/counter-tampered.bundle); \
	  printf "\\$$(printf %03o $$(( (b + 1) % 256 )))" | dd of=$(SIGNED)/counter-tampered.bundle bs=1 seek=300 conv=notrunc status=none
	touch $@
$(O)/signed-bundle.img: $(SIGNED)/bundles.stamp

# examples/control: a keyring of one release key and a device key, made at
# build time (never kept in the repository) and prefilled into the agent;
# a second key the keyring does not hold, for the tests' refusals.
CONTROL_KEYS := $(O)/examples/control
$(CONTROL_KEYS)/keys.stamp: $(HYPOSCTL)
	@mkdir -p $(CONTROL_KEYS)
	$(HYPOSCTL) keygen release -o $(CONTROL_KEYS)/release --force >/dev/null
	$(HYPOSCTL) keygen stranger -o $(CONTROL_KEYS)/stranger --force >/dev/null
	$(HYPOSCTL) keygen device -o $(CONTROL_KEYS)/device --force >/dev/null
	$(HYPOSCTL) keyring $(CONTROL_KEYS)/keyring $(CONTROL_KEYS)/release.pub >/dev/null
	touch $@
$(O)/control.img: $(CONTROL_KEYS)/keys.stamp

# The kernel trace events demonstration: a latency histogram and fault
# counters computed by eBPF programs in the bpf PD (examples/bpf-trace)
.PHONY: run-bpf
run-bpf:
	$(MAKE) run-system SYSTEM=bpf-trace

# Boot one example system with the QEMU command Microkit documents for this
# board (2 GiB of RAM), stopped after RUN_SECONDS: make run-system SYSTEM=ring
SYSTEM ?= restart
RUN_SECONDS ?= 30
.PHONY: run-system
run-system: setup
	$(MAKE) sdk $(O)/$(SYSTEM).img
	timeout --foreground -k 5 $(RUN_SECONDS) $(QEMU) -machine virt -nographic -serial mon:stdio \
	  -kernel $(O)/$(SYSTEM).img -m size=2G || true
