/* VSPACE01xx: isolation between address spaces, seen by threads running in
 * them: a frame is visible only where it is mapped, a shared frame carries
 * writes both ways and its unmapping is seen at once, and a thread's own
 * CSpace is all it can name. */
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

TEST(VSPACE0100, "a thread cannot read a frame that is not mapped in its own address space")
{
    helper_t h;
    seL4_CPtr vs = make_image_vspace(env, seL4_CapInitThreadASIDPool), fep = make_object(env, seL4_EndpointObject, 0);
    map_new_frame(env, seL4_CapInitThreadVSpace, TEST_VA, seL4_ReadWrite);
    *(volatile seL4_Word *)TEST_VA = 0x5ec12e7;
    create_helper_with_fault_ep(env, &h, 100, fep);
    CHECK_EQ(api_tcb_set_space(h.tcb, fep, ROOT, 0, vs, 0), 0);
    start_helper(env, &h, read_word, TEST_VA, 0, 0, 0);
    seL4_MessageInfo_t info = api_recv(fep, NULL, test_reply);
    CHECK_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_VMFault);
    CHECK(!h.done);
}

static seL4_Word read_twice(seL4_Word addr, seL4_Word ep, seL4_Word c, seL4_Word d)
{
    (void)c, (void)d;
    seL4_Word a = *(volatile seL4_Word *)addr;
    seL4_SetMR(0, a);
    seL4_Call(ep, seL4_MessageInfo_new(0, 0, 0, 1)); /* the root unmaps meanwhile */
    return a + *(volatile seL4_Word *)addr;
}

TEST(VSPACE0101, "unmapping a shared frame is seen at once by the other address space")
{
    helper_t h;
    seL4_CPtr vs = make_image_vspace(env, seL4_CapInitThreadASIDPool), fep = make_object(env, seL4_EndpointObject, 0);
    seL4_CPtr ep = make_object(env, seL4_EndpointObject, 0);
    seL4_CPtr f = map_new_frame(env, seL4_CapInitThreadVSpace, TEST_VA, seL4_ReadWrite);
    *(volatile seL4_Word *)TEST_VA = 21;
    seL4_CPtr shared = map_copy(env, f, vs, TEST_VA, seL4_ReadWrite);
    create_helper_with_fault_ep(env, &h, 100, fep);
    CHECK_EQ(api_tcb_set_space(h.tcb, fep, ROOT, 0, vs, 0), 0);
    start_helper(env, &h, read_twice, TEST_VA, ep, 0, 0);
    api_recv(ep, NULL, test_reply);
    CHECK_EQ(mr(0), 21);
    CHECK_EQ(test_page_unmap(shared), 0);
    api_reply(test_reply, seL4_MessageInfo_new(0, 0, 0, 0));
    seL4_MessageInfo_t info = api_recv(fep, NULL, test_reply);
    CHECK_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_VMFault);
    CHECK_EQ(mr(seL4_VMFault_Addr), TEST_VA);
}

TEST(VSPACE0102, "a frame shared by two address spaces carries writes both ways")
{
    helper_t h;
    seL4_CPtr vs = make_image_vspace(env, seL4_CapInitThreadASIDPool);
    seL4_CPtr f = map_new_frame(env, seL4_CapInitThreadVSpace, TEST_VA, seL4_ReadWrite);
    map_copy(env, f, vs, TEST_VA + 0x10000, seL4_ReadWrite);
    *(volatile seL4_Word *)TEST_VA = 1000;
    create_helper(env, &h, 100);
    CHECK_EQ(api_tcb_set_space(h.tcb, 0, ROOT, 0, vs, 0), 0);
    start_helper(env, &h, write_word, TEST_VA + 0x10000 + 8, 2000, 0, 0);
    CHECK_EQ(wait_for_helper(env, &h), 2000);
    CHECK_EQ(((volatile seL4_Word *)TEST_VA)[1], 2000);
    CHECK_EQ(((volatile seL4_Word *)TEST_VA)[0], 1000);
}

static seL4_Word invoke_root_cap(seL4_Word cptr, seL4_Word b, seL4_Word c, seL4_Word d)
{
    (void)b, (void)c, (void)d;
    return seL4_DebugCapIdentify(cptr);
}

TEST(VSPACE0103, "a thread with its own CSpace sees only the caps in it")
{
    helper_t h;
    seL4_CPtr cn = make_object(env, seL4_CapTableObject, 4), guarded = alloc_slot(env);
    /* a 16-slot CNode with a 60-bit guard: cptr == slot, like the root */
    CHECK_EQ(seL4_CNode_Mint(ROOT, guarded, WB, ROOT, cn, WB, seL4_AllRights, seL4_CNode_CapData_new(0, 60).words[0]),
             0);
    create_helper(env, &h, 100);
    /* the helper's own code needs its join notification and TCB in the same
     * slots as in the root CSpace, so check identification only */
    CHECK_EQ(api_tcb_set_space(h.tcb, 0, guarded, 0, seL4_CapInitThreadVSpace, 0), 0);
    CHECK_EQ(seL4_CNode_Copy(cn, 3, 4, ROOT, seL4_CapDomain, WB, seL4_AllRights), 0);
    start_helper(env, &h, invoke_root_cap, 3, 0, 0, 0);
    set_own_priority(1);
    set_own_priority(seL4_MaxPrio);
    /* it identified its slot 3 (the domain cap), not the root task's slot 3 */
    CHECK_EQ(h.result, seL4_CapTag_Domain);
}
