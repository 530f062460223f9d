/* Demo root task: prints what the kernel handed over, then proves the
 * capabilities work by retyping an untyped into a CNode and copying into it. */
#include <sel4/sel4.h>
#include <stdio.h>

static const char *region(seL4_SlotRegion r, char *buf, size_t n)
{
    snprintf(buf, n, "[%lu, %lu) %lu slots", (unsigned long)r.start, (unsigned long)r.end,
             (unsigned long)(r.end - r.start));
    return buf;
}

int main(void)
{
    seL4_BootInfo *bi = seL4_GetBootInfo();
    char b[64];
    printf("hello from the hypOS root task\n");
    printf("boot info at %p, IPC buffer at %p, CNode of 2^%lu slots\n", (void *)bi, (void *)bi->ipcBuffer,
           (unsigned long)bi->initThreadCNodeSizeBits);
    printf("  empty slots        %s\n", region(bi->empty, b, sizeof b));
    printf("  user image frames  %s\n", region(bi->userImageFrames, b, sizeof b));
    printf("  user image paging  %s\n", region(bi->userImagePaging, b, sizeof b));
    printf("  untyped caps       %s\n", region(bi->untyped, b, sizeof b));
    printf("  extra boot info    %s\n", region(bi->extraBIPages, b, sizeof b));
    /* extra boot info: chunks of {id, len} right after the boot info page */
    for (seL4_Word off = 0; off + sizeof(seL4_BootInfoHeader) <= bi->extraLen;) {
        const seL4_BootInfoHeader *h = (const seL4_BootInfoHeader *)((const char *)bi + 4096 + off);
        if (h->len < sizeof *h)
            break;
        if (h->id == SEL4_BOOTINFO_HEADER_FDT)
            printf("  device tree (FDT chunk of the extra boot info): %lu bytes\n",
                   (unsigned long)(h->len - sizeof *h));
        if (h->id == SEL4_BOOTINFO_HEADER_X86_MBMMAP)
            printf("  memory map (X86_MBMMAP chunk of the extra boot info): %lu bytes\n",
                   (unsigned long)(h->len - sizeof *h));
        off += h->len;
    }
    seL4_Word ram = 0, best = 0;
    seL4_CPtr best_slot = 0;
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++) {
        seL4_UntypedDesc *u = &bi->untypedList[i];
        printf("  %3lu: slot %4lu paddr %#014lx 2^%-2u %s\n", (unsigned long)i, (unsigned long)(bi->untyped.start + i),
               (unsigned long)u->paddr, u->sizeBits, u->isDevice ? "device" : "RAM");
        if (!u->isDevice) {
            ram += 1ul << u->sizeBits;
            if (u->sizeBits > best) {
                best = u->sizeBits;
                best_slot = bi->untyped.start + i;
            }
        }
    }
    printf("free RAM handed out: %lu KiB\n", (unsigned long)(ram >> 10));

    seL4_CPtr cnode = bi->empty.start;
    int err = seL4_Untyped_Retype(best_slot, seL4_CapTableObject, 4, seL4_CapInitThreadCNode, 0, 0, cnode, 1);
    printf("retype a 16-slot CNode into slot %lu: %s\n", (unsigned long)cnode, err ? "FAILED" : "ok");
    err = seL4_CNode_Copy(cnode, 3, 4, seL4_CapInitThreadCNode, seL4_CapInitThreadTCB, seL4_WordBits, seL4_AllRights);
    printf("copy the TCB cap into it: %s\n", err ? "FAILED" : "ok");
#ifdef CONFIG_DEBUG_BUILD
    /* a debug system call: only debug kernels have it */
    printf("slot %lu holds a CNode cap: %s\n", (unsigned long)cnode,
           seL4_DebugCapIdentify(cnode) == seL4_CapTag_CNode ? "yes" : "NO");
#endif
    return 0;
}
