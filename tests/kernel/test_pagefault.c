/* PAGEFAULT: user-level pagers map on demand and resume the faulting thread,
 * in the same and in another address space. */
#include "framework.h"

#define TEST_VA 0x50000000ul

static seL4_Word mr(int i) { return seL4_GetMR(i); }

static seL4_Word read_word(seL4_Word addr, seL4_Word b, seL4_Word c, seL4_Word d)
{
    (void)b, (void)c, (void)d;
    return *(volatile seL4_Word *)addr;
}

static seL4_Word write_word(seL4_Word addr, seL4_Word value, seL4_Word c, seL4_Word d)
{
    (void)c, (void)d;
    *(volatile seL4_Word *)addr = value;
    return *(volatile seL4_Word *)addr;
}

static seL4_Word call_code(seL4_Word addr, seL4_Word b, seL4_Word c, seL4_Word d)
{
    (void)b, (void)c, (void)d;
    test_sync_instructions();
    return ((seL4_Word(*)(void))addr)();
}

static seL4_Word touch_pages(seL4_Word base, seL4_Word n, seL4_Word c, seL4_Word d)
{
    (void)c, (void)d;
    seL4_Word sum = 0;
    for (seL4_Word i = 0; i < n; i++)
        sum += *(volatile seL4_Word *)(base + i * 4096 + 8 * (i % 8));
    return sum;
}

TEST(PAGEFAULT0001, "a read fault is served by a pager that maps a page and replies")
{
    helper_t h;
    seL4_CPtr fep = make_object(env, seL4_EndpointObject, 0);
    create_helper_with_fault_ep(env, &h, 100, fep);
    start_helper(env, &h, read_word, TEST_VA + 0x18, 0, 0, 0);
    seL4_MessageInfo_t info = api_recv(fep, NULL, test_reply);
    CHECK_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_VMFault);
    CHECK_EQ(mr(seL4_VMFault_Addr), TEST_VA + 0x18);
    map_new_frame(env, seL4_CapInitThreadVSpace, TEST_VA, seL4_ReadWrite);
    ((volatile seL4_Word *)TEST_VA)[3] = 0x1234;
    api_reply(test_reply, seL4_MessageInfo_new(0, 0, 0, 0));
    CHECK_EQ(wait_for_helper(env, &h), 0x1234);
}

TEST(PAGEFAULT0002, "a write fault is served and the retried store lands in the new page")
{
    helper_t h;
    seL4_CPtr fep = make_object(env, seL4_EndpointObject, 0);
    create_helper_with_fault_ep(env, &h, 100, fep);
    start_helper(env, &h, write_word, TEST_VA + 0x100, 0xabcd, 0, 0);
    api_recv(fep, NULL, test_reply);
    CHECK_EQ(mr(seL4_VMFault_FSR), TEST_FSR_STORE);
    map_new_frame(env, seL4_CapInitThreadVSpace, TEST_VA, seL4_ReadWrite);
    api_reply(test_reply, seL4_MessageInfo_new(0, 0, 0, 0));
    CHECK_EQ(wait_for_helper(env, &h), 0xabcd);
    CHECK_EQ(*(volatile seL4_Word *)(TEST_VA + 0x100), 0xabcd);
}

TEST(PAGEFAULT0003, "an instruction fault is served by mapping a page of code")
{
    helper_t h;
    seL4_CPtr fep = make_object(env, seL4_EndpointObject, 0);
    create_helper_with_fault_ep(env, &h, 100, fep);
    start_helper(env, &h, call_code, TEST_VA + 0x40, 0, 0, 0);
    api_recv(fep, NULL, test_reply);
    CHECK_EQ(mr(seL4_VMFault_PrefetchFault), 1);
    CHECK_EQ(mr(seL4_VMFault_Addr), TEST_VA + 0x40);
    map_new_frame(env, seL4_CapInitThreadVSpace, TEST_VA, seL4_ReadWrite);
    test_write_return_77((void *)(TEST_VA + 0x40));
    test_sync_instructions();
    api_reply(test_reply, seL4_MessageInfo_new(0, 0, 0, 0));
    CHECK_EQ(wait_for_helper(env, &h), 77);
}

TEST(PAGEFAULT0004, "writing to a read-only page faults; remapping it writable resumes the thread")
{
    helper_t h;
    seL4_CPtr fep = make_object(env, seL4_EndpointObject, 0);
    seL4_CPtr f = map_new_frame(env, seL4_CapInitThreadVSpace, TEST_VA, seL4_CanRead);
    create_helper_with_fault_ep(env, &h, 100, fep);
    start_helper(env, &h, write_word, TEST_VA + 8, 5, 0, 0);
    api_recv(fep, NULL, test_reply);
    CHECK_EQ(mr(seL4_VMFault_Addr), TEST_VA + 8);
    CHECK_EQ(mr(seL4_VMFault_FSR), TEST_FSR_STORE_PROTECTION);
    CHECK_EQ(test_page_map(f, seL4_CapInitThreadVSpace, TEST_VA, seL4_ReadWrite), 0);
    api_reply(test_reply, seL4_MessageInfo_new(0, 0, 0, 0));
    CHECK_EQ(wait_for_helper(env, &h), 5);
}

TEST(PAGEFAULT0005, "a pager maps 32 pages on demand, one fault each")
{
    helper_t h;
    seL4_CPtr fep = make_object(env, seL4_EndpointObject, 0);
    create_helper_with_fault_ep(env, &h, 100, fep);
    start_helper(env, &h, touch_pages, TEST_VA, 32, 0, 0);
    seL4_Word expect = 0;
    for (int i = 0; i < 32 && env->failures == 0; i++) {
        seL4_MessageInfo_t info = api_recv(fep, NULL, test_reply);
        CHECK_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_VMFault);
        seL4_Word addr = mr(seL4_VMFault_Addr), va = addr & ~0xffful;
        CHECK_EQ(va, TEST_VA + i * 4096ul);
        map_new_frame(env, seL4_CapInitThreadVSpace, va, seL4_ReadWrite);
        *(volatile seL4_Word *)addr = i + 1;
        expect += i + 1;
        api_reply(test_reply, seL4_MessageInfo_new(0, 0, 0, 0));
    }
    CHECK_EQ(wait_for_helper(env, &h), expect);
}

TEST(PAGEFAULT0006, "a thread in another address space runs and its faults reach the pager")
{
    helper_t h;
    seL4_CPtr vs = make_image_vspace(env, seL4_CapInitThreadASIDPool), fep = make_object(env, seL4_EndpointObject, 0);
    create_helper_with_fault_ep(env, &h, 100, fep);
    CHECK_EQ(api_tcb_set_space(h.tcb, fep, ROOT, 0, vs, 0), 0);
    /* TEST_VA is mapped in the root task only: the other space faults */
    seL4_CPtr f = map_new_frame(env, seL4_CapInitThreadVSpace, TEST_VA, seL4_ReadWrite);
    *(volatile seL4_Word *)TEST_VA = 99;
    start_helper(env, &h, read_word, TEST_VA, 0, 0, 0);
    seL4_MessageInfo_t info = api_recv(fep, NULL, test_reply);
    CHECK_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_VMFault);
    CHECK_EQ(mr(seL4_VMFault_Addr), TEST_VA);
    /* share the frame into that space and let it retry */
    map_copy(env, f, vs, TEST_VA, seL4_CanRead);
    api_reply(test_reply, seL4_MessageInfo_new(0, 0, 0, 0));
    CHECK_EQ(wait_for_helper(env, &h), 99);
}
