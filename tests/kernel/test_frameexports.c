/* FRAMEEXPORTS: frames shared at several addresses and between address
 * spaces, through copies of their caps: the boot-time frames of the root
 * task's image, boot info and IPC buffer, and new frames of every size. */
#include "vspace_helpers.h"


TEST(FRAMEEXPORTS0001, "every user image frame, copied and mapped elsewhere, shows the image's bytes")
{
    seL4_BootInfo *bi = env->bi;
    map_pt(env, VS, VA4K);
    seL4_CPtr s = alloc_slot(env);
    seL4_Word n = bi->userImageFrames.end - bi->userImageFrames.start, bad = 0, failed = 0;
    CHECK(n > 16);
    for (seL4_Word i = 0; i < n; i++) {
        seL4_CPtr frame = bi->userImageFrames.start + i;
        if (seL4_CNode_Copy(ROOT, s, WB, ROOT, frame, WB, seL4_AllRights) ||
            test_page_map_attr(s, VS, VA4K, seL4_CanRead, XN)) {
            failed++;
            seL4_CNode_Delete(ROOT, s, WB);
            continue;
        }
        volatile seL4_Word *image = word_at(0x10000 + i * 0x1000), *alias = word_at(VA4K);
        for (int w = 0; w < 512; w++) {
            seL4_Word x = image[w], y = alias[w];
            bad += x != y;
        }
        test_page_unmap(s);
        seL4_CNode_Delete(ROOT, s, WB);
    }
    CHECK_EQ(failed, 0);
    CHECK_EQ(bad, 0);
}

TEST(FRAMEEXPORTS0002, "the boot info and IPC buffer frames can be shared at a second address")
{
    seL4_BootInfo *bi = env->bi;
    map_pt(env, VS, VA4K);
    seL4_CPtr b = copy_cap(env, seL4_CapBootInfoFrame);
    CHECK_EQ(test_page_map_attr(b, VS, VA4K, seL4_CanRead, XN), 0);
    seL4_BootInfo *alias = (seL4_BootInfo *)VA4K;
    CHECK_EQ(alias->untyped.start, bi->untyped.start);
    CHECK_EQ(alias->untyped.end, bi->untyped.end);
    CHECK_EQ(alias->userImageFrames.start, bi->userImageFrames.start);
    CHECK_EQ(alias->untypedList[0].paddr, bi->untypedList[0].paddr);
    seL4_CPtr ipc = copy_cap(env, seL4_CapInitThreadIPCBuffer);
    CHECK_EQ(test_page_map_attr(ipc, VS, VA4K + 0x1000, RW, XN), 0);
    seL4_IPCBuffer *buf = (seL4_IPCBuffer *)(VA4K + 0x1000 + ((seL4_Word)seL4_GetIPCBuffer() & 0xfff));
    ((volatile seL4_IPCBuffer *)buf)->msg[100] = 0xc0ffee;
    CHECK_EQ(seL4_GetMR(100), 0xc0ffee);
    seL4_SetMR(101, 0xbeef);
    CHECK_EQ(((volatile seL4_IPCBuffer *)buf)->msg[101], 0xbeef);
}

TEST(FRAMEEXPORTS0003, "one frame at two addresses through two caps: writes are seen both ways")
{
    map_pt(env, VS, VA4K);
    seL4_CPtr a = mapped_frame(env, VA4K);
    seL4_CPtr b = copy_cap(env, a);
    CHECK_EQ(test_page_map_attr(b, VS, VA4K + 0x7000, RW, ATTR), 0);
    volatile seL4_Word *pa = word_at(VA4K), *pb = word_at(VA4K + 0x7000);
    seL4_Word bad = 0;
    for (int i = 0; i < 512; i++) {
        pa[i] = 0x1000ul + (seL4_Word)i;
        bad += pb[i] != 0x1000ul + (seL4_Word)i;
        pb[i] = 0x2000ul + (seL4_Word)i;
        bad += pa[i] != 0x2000ul + (seL4_Word)i;
    }
    CHECK_EQ(bad, 0);
}

TEST(FRAMEEXPORTS0004, "a 2 MiB frame shared at two addresses; a 4 KiB alias of another frame stays apart")
{
    seL4_CPtr big = make_object(env, TEST_FRAME_LARGE, 0);
    CHECK_EQ(test_page_map_attr(big, VS, VA2M, RW, ATTR), 0);
    seL4_CPtr alias = copy_cap(env, big);
    CHECK_EQ(test_page_map_attr(alias, VS, VA2M + 2 * MiB, RW, ATTR), 0);
    *word_at(VA2M + MiB + 8) = 0x77;
    *word_at(VA2M + 4 * MiB - 8) = 0x88;
    CHECK_EQ(*word_at(VA2M + 3 * MiB + 8), 0x77);
    CHECK_EQ(*word_at(VA2M + 2 * MiB - 8), 0x88);
    map_pt(env, VS, VA4K);
    mapped_frame(env, VA4K);
    *word_at(VA4K) = 0x99;
    CHECK_EQ(*word_at(VA2M), 0);
}

TEST(FRAMEEXPORTS0005, "unmapping an alias is seen at once; the memory and the other mapping stay")
{
    map_pt(env, VS, VA4K);
    seL4_CPtr a = mapped_frame(env, VA4K);
    seL4_CPtr b = copy_cap(env, a);
    CHECK_EQ(test_page_map_attr(b, VS, VA4K + 0x1000, RW, ATTR), 0);
    *word_at(VA4K + 0x1000 + 64) = 0x4242;
    CHECK_EQ(test_page_unmap(b), 0);
    /* the very next access at the alias address goes to a new frame */
    seL4_CPtr c = mapped_frame(env, VA4K + 0x1000);
    CHECK_EQ(*word_at(VA4K + 0x1000 + 64), 0);
    *word_at(VA4K + 0x1000 + 64) = 1;
    CHECK_EQ(*word_at(VA4K + 64), 0x4242);
    /* the unmapped cap maps again elsewhere, onto the same memory */
    CHECK_EQ(test_page_map_attr(b, VS, VA4K + 0x2000, seL4_CanRead, ATTR), 0);
    CHECK_EQ(*word_at(VA4K + 0x2000 + 64), 0x4242);
    (void)c;
}

TEST(FRAMEEXPORTS0006, "deleting the original frame cap while a copy is mapped keeps the copy's mapping")
{
    map_pt(env, VS, VA4K);
    seL4_CPtr a = mapped_frame(env, VA4K);
    seL4_CPtr b = copy_cap(env, a);
    CHECK_EQ(test_page_map_attr(b, VS, VA4K + 0x1000, RW, ATTR), 0);
    *word_at(VA4K) = 0x31337;
    /* Delete (not revoke) the original: its mapping goes, the copy's stays */
    CHECK_EQ(seL4_CNode_Delete(ROOT, a, WB), 0);
    CHECK_EQ(*word_at(VA4K + 0x1000), 0x31337);
    CHECK_EQ(test_page_map_attr(frame4k(env), VS, VA4K, RW, ATTR), 0);
    CHECK_EQ(*word_at(VA4K), 0);
}

TEST(FRAMEEXPORTS0007, "a frame shared between two address spaces keeps one physical address")
{
    seL4_CPtr v = make_vspace(env, POOL);
    map_tables(env, v, VA4K);
    map_pt(env, VS, VA4K);
    seL4_CPtr a = mapped_frame(env, VA4K);
    seL4_CPtr b = copy_cap(env, a);
    CHECK_EQ(test_page_map_attr(b, v, VA4K + 0x9000, seL4_CanRead, ATTR), 0);
    CHECK_EQ(paddr_of(a), paddr_of(b));
    /* the other space's mapping is independent: unmapping it leaves ours */
    *word_at(VA4K) = 3;
    CHECK_EQ(test_page_unmap(b), 0);
    CHECK_EQ(*word_at(VA4K), 3);
    CHECK_EQ(test_page_map_attr(b, v, VA4K, seL4_CanRead, ATTR), 0);
}
