/* IOPORT: I/O port capabilities (seL4's x86 IOPortControl and IOPort).
 * The ports used are QEMU PC devices whose behaviour is known: the CMOS
 * RTC's index and data ports 0x70/0x71, whose NVRAM bytes read back what
 * was written, and the PCI configuration ports 0xcf8-0xcff (PCI Local Bus
 * Specification 3.0 §3.2.2.3.2), where the host bridge at 00:00.0 is an
 * Intel device (vendor 0x8086). */
#include "../../framework.h"
#include <sel4/invocation.h>

#define CMOS_INDEX 0x70
#define CMOS_DATA 0x71
#define CMOS_NVRAM_BYTE 0x34 /* general-purpose CMOS RAM, unused by QEMU's BIOS data */
#define PCI_ADDRESS 0xcf8
#define PCI_DATA 0xcfc
#define PCI_ENABLE 0x80000000u

static seL4_CPtr issue(env_t *env, seL4_Word first, seL4_Word last)
{
    seL4_CPtr s = alloc_slot(env);
    return seL4_X86_IOPortControl_Issue(seL4_CapIOPortControl, first, last, ROOT, s, WB) == seL4_NoError ? s : 0;
}

static seL4_Word mr(int i) { return seL4_GetMR(i); }

TEST(IOPORT0001, "seL4_CapIOPortControl holds the I/O port control cap, which cannot be copied")
{
    CHECK_EQ(seL4_DebugCapIdentify(seL4_CapIOPortControl), seL4_CapTag_IOPortControl);
    seL4_CPtr s = alloc_slot(env);
    CHECK(seL4_CNode_Copy(ROOT, s, WB, ROOT, seL4_CapIOPortControl, WB, seL4_AllRights) != 0);
    CHECK_EQ(seL4_DebugCapIdentify(s), seL4_CapTag_Null);
}

TEST(IOPORT0002, "Issue gives an IOPort cap whose Out8 and In8 reach the device: CMOS RAM reads back a written byte")
{
    seL4_CPtr p = issue(env, CMOS_INDEX, CMOS_DATA);
    CHECK(p != 0);
    CHECK_EQ(seL4_DebugCapIdentify(p), seL4_CapTag_IOPort);
    for (seL4_Word v = 0x5a; v < 0x5a + 3; v++) {
        CHECK_EQ(seL4_X86_IOPort_Out8(p, CMOS_INDEX, CMOS_NVRAM_BYTE), 0);
        CHECK_EQ(seL4_X86_IOPort_Out8(p, CMOS_DATA, v), 0);
        CHECK_EQ(seL4_X86_IOPort_Out8(p, CMOS_INDEX, CMOS_NVRAM_BYTE), 0);
        seL4_X86_IOPort_In8_t r = seL4_X86_IOPort_In8(p, CMOS_DATA);
        CHECK_EQ(r.error, 0);
        CHECK_EQ(r.result, v);
    }
    CHECK_EQ(seL4_CNode_Delete(ROOT, p, WB), 0);
}

TEST(IOPORT0003, "In16, In32 and Out32 move 16 and 32 bits: the PCI host bridge's vendor ID")
{
    seL4_CPtr p = issue(env, PCI_ADDRESS, PCI_DATA + 3);
    CHECK(p != 0);
    CHECK_EQ(seL4_X86_IOPort_Out32(p, PCI_ADDRESS, PCI_ENABLE), 0); /* bus 0, device 0, function 0, register 0 */
    seL4_X86_IOPort_In32_t a = seL4_X86_IOPort_In32(p, PCI_ADDRESS);
    CHECK_EQ(a.error, 0);
    CHECK_EQ(a.result, PCI_ENABLE);
    seL4_X86_IOPort_In32_t id = seL4_X86_IOPort_In32(p, PCI_DATA);
    CHECK_EQ(id.error, 0);
    CHECK_EQ(id.result & 0xffff, 0x8086);
    seL4_X86_IOPort_In16_t vendor = seL4_X86_IOPort_In16(p, PCI_DATA);
    CHECK_EQ(vendor.error, 0);
    CHECK_EQ(vendor.result, 0x8086);
    CHECK_EQ(seL4_X86_IOPort_Out16(p, PCI_DATA + 2, 0), 0); /* the device ID is read-only: a harmless write */
    CHECK_EQ(seL4_X86_IOPort_In16(p, PCI_DATA + 2).result, id.result >> 16);
    CHECK_EQ(seL4_CNode_Delete(ROOT, p, WB), 0);
}

TEST(IOPORT0004, "a port range is issued once: any overlap is RevokeFirst, a disjoint range is not")
{
    seL4_CPtr p = issue(env, 0x510, 0x51f);
    CHECK(p != 0);
    seL4_CPtr s = alloc_slot(env);
    seL4_Word overlaps[][2] = {{0x510, 0x51f}, {0x500, 0x510}, {0x51f, 0x530}, {0x514, 0x515}, {0x0, 0xffff}};
    for (unsigned i = 0; i < sizeof overlaps / sizeof overlaps[0]; i++) {
        CHECK_EQ(seL4_X86_IOPortControl_Issue(seL4_CapIOPortControl, overlaps[i][0], overlaps[i][1], ROOT, s, WB),
                 seL4_RevokeFirst);
        CHECK_EQ(seL4_DebugCapIdentify(s), seL4_CapTag_Null);
    }
    seL4_CPtr below = issue(env, 0x500, 0x50f), above = issue(env, 0x520, 0x520);
    CHECK(below != 0 && above != 0);
    CHECK_EQ(seL4_CNode_Delete(ROOT, p, WB), 0);
    CHECK_EQ(seL4_CNode_Delete(ROOT, below, WB), 0);
    CHECK_EQ(seL4_CNode_Delete(ROOT, above, WB), 0);
}

TEST(IOPORT0005, "Issue's argument errors: last below first, short message, no CNode, bad or occupied slot")
{
    seL4_CPtr s = alloc_slot(env);
    CHECK_EQ(seL4_X86_IOPortControl_Issue(seL4_CapIOPortControl, 0x531, 0x530, ROOT, s, WB), seL4_InvalidArgument);
    CHECK_EQ(mr(0), 1);
    seL4_Word a[4] = {0x530, 0x531, s, WB}, r[4];
    seL4_SetCap(0, ROOT);
    CHECK_EQ(seL4_hyp_invoke(seL4_CapIOPortControl, X86IOPortControlIssue, 1, 3, a, r), seL4_TruncatedMessage);
    CHECK_EQ(seL4_hyp_invoke(seL4_CapIOPortControl, X86IOPortControlIssue, 0, 4, a, r), seL4_TruncatedMessage);
    CHECK_EQ(seL4_X86_IOPortControl_Issue(seL4_CapIOPortControl, 0x530, 0x531, ROOT, seL4_CapInitThreadTCB, WB),
             seL4_DeleteFirst);
    CHECK_EQ(seL4_X86_IOPortControl_Issue(seL4_CapIOPortControl, 0x530, 0x531, ROOT, s, WB + 1), seL4_RangeError);
    CHECK_EQ(seL4_X86_IOPortControl_Issue(seL4_CapIOPortControl, 0x530, 0x531, seL4_CapInitThreadTCB, s, WB),
             seL4_FailedLookup);
    CHECK_EQ(seL4_hyp_invoke(seL4_CapIOPortControl, X86IOPortIn8, 0, 1, a, r), seL4_IllegalOperation);
    /* none of that issued anything: the range is still free */
    CHECK_EQ(seL4_X86_IOPortControl_Issue(seL4_CapIOPortControl, 0x530, 0x531, ROOT, s, WB), 0);
    CHECK_EQ(seL4_CNode_Delete(ROOT, s, WB), 0);
}

TEST(IOPORT0006, "ports outside the cap's range are IllegalOperation, for every access width and direction")
{
    seL4_CPtr p = issue(env, CMOS_INDEX, CMOS_DATA);
    CHECK(p != 0);
    CHECK_EQ(seL4_X86_IOPort_In8(p, CMOS_INDEX - 1).error, seL4_IllegalOperation);
    CHECK_EQ(seL4_X86_IOPort_In8(p, CMOS_DATA + 1).error, seL4_IllegalOperation);
    CHECK_EQ(seL4_X86_IOPort_In16(p, CMOS_DATA).error, seL4_IllegalOperation); /* 0x71-0x72 */
    CHECK_EQ(seL4_X86_IOPort_In16(p, CMOS_INDEX).error, 0);                    /* 0x70-0x71 */
    CHECK_EQ(seL4_X86_IOPort_In32(p, CMOS_INDEX).error, seL4_IllegalOperation);
    CHECK_EQ(seL4_X86_IOPort_Out8(p, CMOS_DATA + 1, 0), seL4_IllegalOperation);
    CHECK_EQ(seL4_X86_IOPort_Out16(p, CMOS_DATA, 0), seL4_IllegalOperation);
    CHECK_EQ(seL4_X86_IOPort_Out32(p, CMOS_INDEX, 0), seL4_IllegalOperation);
    CHECK_EQ(seL4_X86_IOPort_Out8(p, 0xffff, 0), seL4_IllegalOperation);
    /* a port is 16 bits: the argument's higher bits are ignored (as seL4) */
    seL4_Word a[2] = {0x10000 | (CMOS_DATA + 1), 0}, r[4];
    CHECK_EQ(seL4_hyp_invoke(p, X86IOPortIn8, 0, 1, a, r), seL4_IllegalOperation);
    a[0] = 0x10000 | CMOS_INDEX;
    a[1] = CMOS_NVRAM_BYTE;
    CHECK_EQ(seL4_hyp_invoke(p, X86IOPortOut8, 0, 2, a, r), 0);
    /* short messages and labels IOPort does not have */
    CHECK_EQ(seL4_hyp_invoke(p, X86IOPortIn8, 0, 0, a, r), seL4_TruncatedMessage);
    CHECK_EQ(seL4_hyp_invoke(p, X86IOPortOut8, 0, 1, a, r), seL4_TruncatedMessage);
    CHECK_EQ(seL4_hyp_invoke(p, X86IOPortControlIssue, 0, 2, a, r), seL4_IllegalOperation);
    CHECK_EQ(seL4_hyp_invoke(p, X86PageMap, 0, 2, a, r), seL4_IllegalOperation);
    CHECK_EQ(seL4_CNode_Delete(ROOT, p, WB), 0);
}

TEST(IOPORT0007, "a range is free again only when its last cap is deleted; a copy keeps working meanwhile")
{
    seL4_CPtr p = issue(env, 0x540, 0x543), copy = alloc_slot(env);
    CHECK(p != 0);
    CHECK_EQ(seL4_CNode_Copy(ROOT, copy, WB, ROOT, p, WB, seL4_AllRights), 0);
    CHECK_EQ(seL4_DebugCapIdentify(copy), seL4_CapTag_IOPort);
    CHECK_EQ(seL4_CNode_Delete(ROOT, p, WB), 0);
    CHECK_EQ(seL4_X86_IOPort_In8(copy, 0x543).error, 0);
    CHECK_EQ(seL4_X86_IOPortControl_Issue(seL4_CapIOPortControl, 0x540, 0x540, ROOT, p, WB), seL4_RevokeFirst);
    CHECK_EQ(seL4_CNode_Delete(ROOT, copy, WB), 0);
    CHECK_EQ(seL4_X86_IOPortControl_Issue(seL4_CapIOPortControl, 0x540, 0x540, ROOT, p, WB), 0);
    CHECK_EQ(seL4_CNode_Delete(ROOT, p, WB), 0);
}

TEST(IOPORT0008, "revoking the control deletes every issued cap and its copies; the revoked caps are gone")
{
    seL4_CPtr a = issue(env, 0x550, 0x551), b = issue(env, 0x560, 0x561), copy = alloc_slot(env);
    CHECK(a != 0 && b != 0);
    CHECK_EQ(seL4_CNode_Copy(ROOT, copy, WB, ROOT, b, WB, seL4_AllRights), 0);
    CHECK_EQ(seL4_CNode_Revoke(ROOT, seL4_CapIOPortControl, WB), 0);
    CHECK_EQ(seL4_DebugCapIdentify(a), seL4_CapTag_Null);
    CHECK_EQ(seL4_DebugCapIdentify(b), seL4_CapTag_Null);
    CHECK_EQ(seL4_DebugCapIdentify(copy), seL4_CapTag_Null);
    CHECK_EQ(seL4_X86_IOPort_In8(a, 0x550).error, seL4_InvalidCapability);
    CHECK_EQ(seL4_X86_IOPort_Out8(copy, 0x560, 0), seL4_InvalidCapability);
    /* the control itself stays, and the ranges are free */
    CHECK_EQ(seL4_DebugCapIdentify(seL4_CapIOPortControl), seL4_CapTag_IOPortControl);
    CHECK_EQ(seL4_X86_IOPortControl_Issue(seL4_CapIOPortControl, 0x550, 0x561, ROOT, a, WB), 0);
    /* revoking an issued cap deletes its copies but not itself */
    CHECK_EQ(seL4_CNode_Copy(ROOT, copy, WB, ROOT, a, WB, seL4_AllRights), 0);
    CHECK_EQ(seL4_CNode_Revoke(ROOT, a, WB), 0);
    CHECK_EQ(seL4_DebugCapIdentify(copy), seL4_CapTag_Null);
    CHECK_EQ(seL4_X86_IOPort_In8(a, 0x561).error, 0);
    CHECK_EQ(seL4_CNode_Delete(ROOT, a, WB), 0);
}

TEST(IOPORT0009, "the kernel's own console ports (COM1) are never issued")
{
    seL4_CPtr s = alloc_slot(env);
    CHECK_EQ(seL4_X86_IOPortControl_Issue(seL4_CapIOPortControl, 0x3f8, 0x3f8, ROOT, s, WB), seL4_RevokeFirst);
    CHECK_EQ(seL4_X86_IOPortControl_Issue(seL4_CapIOPortControl, 0x3f0, 0x3ff, ROOT, s, WB), seL4_RevokeFirst);
    CHECK_EQ(seL4_DebugCapIdentify(s), seL4_CapTag_Null);
}

static seL4_Word direct_in(seL4_Word port, seL4_Word b, seL4_Word c, seL4_Word d)
{
    (void)b, (void)c, (void)d;
    uint8_t v;
    asm volatile("inb %w1, %0" : "=a"(v) : "d"(port));
    return v + 1;
}

static seL4_Word direct_out(seL4_Word port, seL4_Word b, seL4_Word c, seL4_Word d)
{
    (void)b, (void)c, (void)d;
    asm volatile("outb %b0, %w1" ::"a"(0), "d"(port));
    return 1;
}

TEST(IOPORT0010, "IN and OUT executed in user mode fault (#GP, a user exception), even with an IOPort cap")
{
    seL4_CPtr p = issue(env, CMOS_INDEX, CMOS_DATA);
    CHECK(p != 0);
    helper_fn_t fns[2] = {direct_in, direct_out};
    for (int i = 0; i < 2; i++) {
        seL4_CPtr fep = make_object(env, seL4_EndpointObject, 0);
        helper_t h;
        create_helper_with_fault_ep(env, &h, 100, fep);
        start_helper(env, &h, fns[i], CMOS_DATA, 0, 0, 0);
        seL4_MessageInfo_t info = api_recv(fep, NULL, test_reply);
        CHECK_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_UserException);
        CHECK_EQ(mr(seL4_UserException_Number), 13); /* #GP */
        CHECK_EQ(mr(seL4_UserException_Code), 0);
        destroy_helper(env, &h);
    }
    CHECK_EQ(seL4_CNode_Delete(ROOT, p, WB), 0);
}
