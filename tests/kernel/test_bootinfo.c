/* BOOTINFO: what the kernel hands the root task at boot. */
#include "framework.h"
#include <hypos/trace.h>
#include <string.h>

extern char _end[];

TEST(BOOTINFO0001, "well-known capabilities are in seL4's slots")
{
    (void)env;
    CHECK_EQ(seL4_DebugCapIdentify(seL4_CapNull), seL4_CapTag_Null);
    CHECK_EQ(seL4_DebugCapIdentify(seL4_CapInitThreadTCB), seL4_CapTag_Thread);
    CHECK_EQ(seL4_DebugCapIdentify(seL4_CapInitThreadCNode), seL4_CapTag_CNode);
    CHECK_EQ(seL4_DebugCapIdentify(seL4_CapInitThreadVSpace), TEST_VSPACE_CAP_TAG);
    CHECK_EQ(seL4_DebugCapIdentify(seL4_CapIRQControl), seL4_CapTag_IRQControl);
    CHECK_EQ(seL4_DebugCapIdentify(seL4_CapASIDControl), seL4_CapTag_ASIDControl);
    CHECK_EQ(seL4_DebugCapIdentify(seL4_CapInitThreadASIDPool), seL4_CapTag_ASIDPool);
    CHECK_EQ(seL4_DebugCapIdentify(seL4_CapBootInfoFrame), seL4_CapTag_Frame);
    CHECK_EQ(seL4_DebugCapIdentify(seL4_CapInitThreadIPCBuffer), seL4_CapTag_Frame);
    CHECK_EQ(seL4_DebugCapIdentify(seL4_CapDomain), seL4_CapTag_Domain);
#ifdef CONFIG_KERNEL_MCS
    CHECK_EQ(seL4_DebugCapIdentify(seL4_CapInitThreadSC), seL4_CapTag_SchedContext);
#endif
    /* hypOS's own, right after seL4's */
    CHECK_EQ(hypOS_CapTraceControl, seL4_NumInitialCaps);
    CHECK_EQ(seL4_DebugCapIdentify(hypOS_CapTraceControl), hypOS_CapTag_TraceControl);
}

TEST(BOOTINFO0002, "capabilities of features hypOS does not have are null")
{
    (void)env;
    /* (the root thread's scheduling context exists in the MCS configuration) */
    seL4_CPtr null_slots[] = {
#if !TEST_HAS_IO_PORTS
        seL4_CapIOPortControl,
#endif
        seL4_CapIOSpace,
        seL4_CapSMMUSIDControl,
        seL4_CapSMMUCBControl,
        TEST_MCS ? seL4_CapNull : seL4_CapInitThreadSC,
        seL4_CapSMC
    };
    for (unsigned i = 0; i < sizeof(null_slots) / sizeof(null_slots[0]); i++)
        CHECK_EQ(seL4_DebugCapIdentify(null_slots[i]), seL4_CapTag_Null);
}

TEST(BOOTINFO0003, "boot info header fields")
{
    seL4_BootInfo *bi = env->bi;
    CHECK_EQ(bi->nodeID, 0);
    CHECK_EQ(bi->numNodes, 1);
    CHECK_EQ(bi->initThreadCNodeSizeBits, seL4_RootCNodeSizeBits);
    CHECK_EQ(bi->initThreadDomain, 0);
    CHECK(bi->extraLen > sizeof(seL4_BootInfoHeader)); /* the platform description, see BOOTINFO0011 */
    CHECK(bi->ipcBuffer == seL4_GetIPCBuffer());
    CHECK_EQ((seL4_Word)bi->ipcBuffer % 4096, 0);
    CHECK_EQ((seL4_Word)bi % 4096, 0);
}

TEST(BOOTINFO0004, "slot regions are ordered, disjoint and end at the CNode size")
{
    seL4_BootInfo *bi = env->bi;
#ifdef CONFIG_KERNEL_MCS
    /* one SchedControl cap (one core), in a region of its own among the
     * boot-time regions (seL4 places it differently per architecture) */
    CHECK_EQ(bi->schedcontrol.end - bi->schedcontrol.start, 1);
    CHECK(bi->schedcontrol.start > hypOS_CapTraceControl);
    CHECK(bi->schedcontrol.end <= bi->untyped.start);
    CHECK(bi->schedcontrol.start >= bi->userImagePaging.end || bi->schedcontrol.end <= bi->userImagePaging.start);
    CHECK(bi->schedcontrol.start >= bi->userImageFrames.end || bi->schedcontrol.end <= bi->userImageFrames.start);
    CHECK(bi->schedcontrol.start >= bi->extraBIPages.end || bi->schedcontrol.end <= bi->extraBIPages.start);
    CHECK_EQ(bi->userImagePaging.start,
             bi->schedcontrol.start == hypOS_CapTraceControl + 1 ? bi->schedcontrol.end : hypOS_CapTraceControl + 1);
#else
    CHECK_EQ(bi->userImagePaging.start, hypOS_CapTraceControl + 1);
#endif
    CHECK_EQ(bi->userImageFrames.start, bi->userImagePaging.end);
    CHECK_EQ(bi->extraBIPages.start, bi->userImageFrames.end);
    CHECK_EQ(bi->extraBIPages.end - bi->extraBIPages.start, (bi->extraLen + 4095) / 4096);
    CHECK_EQ(bi->untyped.start, bi->extraBIPages.end);
    CHECK_EQ(bi->empty.start, bi->untyped.end);
    CHECK_EQ(bi->empty.end, 1ul << bi->initThreadCNodeSizeBits);
    CHECK_EQ(bi->sharedFrames.start, bi->sharedFrames.end);
    CHECK_EQ(bi->ioSpaceCaps.start, bi->ioSpaceCaps.end);
}

TEST(BOOTINFO0005, "every region slot holds a cap of its kind, empty slots are null")
{
    seL4_BootInfo *bi = env->bi;
    for (seL4_CPtr s = bi->userImagePaging.start; s < bi->userImagePaging.end; s++)
        CHECK(test_is_paging_tag(seL4_DebugCapIdentify(s)));
    for (seL4_CPtr s = bi->userImageFrames.start; s < bi->userImageFrames.end; s++)
        CHECK_EQ(seL4_DebugCapIdentify(s), seL4_CapTag_Frame);
    for (seL4_CPtr s = bi->extraBIPages.start; s < bi->extraBIPages.end; s++)
        CHECK_EQ(seL4_DebugCapIdentify(s), seL4_CapTag_Frame);
    for (seL4_CPtr s = bi->untyped.start; s < bi->untyped.end; s++)
        CHECK_EQ(seL4_DebugCapIdentify(s), seL4_CapTag_Untyped);
#ifdef CONFIG_KERNEL_MCS
    for (seL4_CPtr s = bi->schedcontrol.start; s < bi->schedcontrol.end; s++)
        CHECK_EQ(seL4_DebugCapIdentify(s), seL4_CapTag_SchedControl);
#endif
    /* the test window is in use by this test's environment only (and the
     * slot after it holds the driver's reply object in MCS) */
    for (seL4_CPtr s = bi->empty.start; s < bi->empty.end; s++)
        if (s != test_reply && seL4_DebugCapIdentify(s) != seL4_CapTag_Null) {
            CHECK_EQ(seL4_DebugCapIdentify(s), seL4_CapTag_Null);
            break;
        }
}

TEST(BOOTINFO0006, "untyped list is well formed and does not overlap")
{
    seL4_BootInfo *bi = env->bi;
    seL4_Word n = bi->untyped.end - bi->untyped.start;
    CHECK(n > 0 && n <= seL4_MaxUntypedCaps);
    for (seL4_Word i = 0; i < n; i++) {
        seL4_UntypedDesc *u = &bi->untypedList[i];
        CHECK(u->sizeBits >= seL4_MinUntypedBits && u->sizeBits <= seL4_MaxUntypedBits);
        CHECK_EQ(u->paddr & ((1ul << u->sizeBits) - 1), 0);
        CHECK(u->isDevice == 0 || u->isDevice == 1);
        for (seL4_Word j = i + 1; j < n; j++) {
            seL4_UntypedDesc *v = &bi->untypedList[j];
            seL4_Word ue = u->paddr + (1ul << u->sizeBits), ve = v->paddr + (1ul << v->sizeBits);
            if (u->paddr < ve && v->paddr < ue) {
                CHECK(!"untyped regions overlap");
                return;
            }
        }
    }
}

TEST(BOOTINFO0007, "RAM untypeds cover most of memory and device untypeds cover the machine's device space")
{
    seL4_BootInfo *bi = env->bi;
    seL4_Word ram = 0;
    bool dev = false;
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++) {
        seL4_UntypedDesc *u = &bi->untypedList[i];
        if (!u->isDevice)
            ram += 1ul << u->sizeBits;
        else if (u->paddr <= TEST_DEVICE_PADDR && TEST_DEVICE_PADDR - u->paddr < (1ul << u->sizeBits))
            dev = true;
    }
    /* QEMU runs with 256 MiB; firmware, kernel and root task take < 4 MiB */
    CHECK(ram >= (252ul << 20));
    CHECK(dev);
}

/* Does a RAM or device untyped of the boot info cover paddr? */
static bool in_some_untyped(seL4_BootInfo *bi, seL4_Word paddr)
{
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++) {
        seL4_UntypedDesc *u = &bi->untypedList[i];
        if (paddr >= u->paddr && paddr < u->paddr + (1ul << u->sizeBits))
            return true;
    }
    return false;
}

TEST(BOOTINFO0008, "user image and extra boot info frames are distinct pages outside every untyped")
{
    seL4_BootInfo *bi = env->bi;
    seL4_Word nframes = bi->userImageFrames.end - bi->userImageFrames.start;
    CHECK_EQ(nframes, ((seL4_Word)_end - 0x10000 + 4095) / 4096);
    seL4_Word prev = 0;
    seL4_SlotRegion regions[] = {bi->userImageFrames, bi->extraBIPages};
    for (int k = 0; k < 2; k++)
        for (seL4_CPtr s = regions[k].start; s < regions[k].end; s++) {
            seL4_Word paddr = test_frame_paddr(s);
            CHECK(paddr != ~(seL4_Word)0);
            CHECK_EQ(paddr % 4096, 0);
            CHECK(paddr != prev);
            prev = paddr;
            if (in_some_untyped(bi, paddr)) {
                CHECK(!"boot frame inside an untyped");
                return;
            }
        }
}

TEST(BOOTINFO0009, "IPC buffer and boot info frames have physical addresses")
{
    (void)env;
    seL4_Word a = test_frame_paddr(seL4_CapInitThreadIPCBuffer), b = test_frame_paddr(seL4_CapBootInfoFrame);
    CHECK(a != ~(seL4_Word)0 && b != ~(seL4_Word)0);
    CHECK(a != b && a != 0 && b != 0);
}

TEST(BOOTINFO0010, "DebugCapIdentify of an empty slot is 0")
{
    CHECK_EQ(seL4_DebugCapIdentify(env->bi->empty.end - 1), 0);
}

TEST(BOOTINFO0011, "the platform description follows the boot info page as one chunk of the extra boot info")
{
    seL4_BootInfo *bi = env->bi;
    const unsigned char *extra = (const unsigned char *)bi + 4096, *data = NULL;
    seL4_Word data_len = 0;
    /* walk the chunks: each {id, len} with len counting its header */
    for (seL4_Word off = 0; off < bi->extraLen;) {
        const seL4_BootInfoHeader *h = (const seL4_BootInfoHeader *)(extra + off);
        CHECK(h->len >= sizeof *h && h->len <= bi->extraLen - off);
        if (h->len < sizeof *h || h->len > bi->extraLen - off)
            return;
        if (h->id == TEST_EXTRA_BOOTINFO_ID) {
            CHECK(data == NULL);
            data = (const unsigned char *)(h + 1);
            data_len = h->len - sizeof *h;
        }
        off += h->len;
    }
    CHECK(data != NULL);
    if (data)
        test_arch_check_extra_bootinfo(env, data, data_len);
}

TEST(BOOTINFO0012, "the extra boot info frame caps are the pages the root task sees after the boot info")
{
    seL4_BootInfo *bi = env->bi;
    const unsigned char *extra = (const unsigned char *)bi + 4096;
    const seL4_Word va = 0x50000000ul;
    for (seL4_CPtr f = bi->extraBIPages.start; f < bi->extraBIPages.end; f++) {
        seL4_Word i = f - bi->extraBIPages.start;
        seL4_CPtr c = map_copy(env, f, seL4_CapInitThreadVSpace, va + i * 4096, seL4_CanRead);
        CHECK(memcmp((const void *)(va + i * 4096), extra + i * 4096, 4096) == 0);
        seL4_Word a = test_frame_paddr(f);
        CHECK(a != ~(seL4_Word)0);
        CHECK_EQ(test_frame_paddr(c), a);
    }
}
