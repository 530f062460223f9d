/* Cost of mapping (and unmapping) one 4 KiB page into the caller's own
 * address space, as guest instructions from before the seL4_RISCV_Page_Map
 * call to after it returns: the user stub, the trap, the decode and the
 * PTE write with its sfence.vma. Under QEMU with -icount shift=0 the
 * instret counter counts retired guest instructions exactly. */
#include <sel4/sel4.h>
#include <stdio.h>
#include <stdlib.h>

#define N 201
#define VA 0x10000000ul

static inline seL4_Word rdinstret(void)
{
    seL4_Word v;
    asm volatile("rdinstret %0" : "=r"(v)::"memory");
    return v;
}

static int cmp(const void *a, const void *b)
{
    seL4_Word x = *(const seL4_Word *)a, y = *(const seL4_Word *)b;
    return x < y ? -1 : x > y;
}

static void report(const char *name, seL4_Word *v, int n)
{
    qsort(v, (size_t)n, sizeof(v[0]), cmp);
    printf("BENCH %s guest_instructions median=%lu min=%lu max=%lu n=%d\n", name, (unsigned long)v[n / 2],
           (unsigned long)v[0], (unsigned long)v[n - 1], n);
}

int main(void)
{
    seL4_BootInfo *bi = seL4_GetBootInfo();
    seL4_CPtr ut = 0;
    for (seL4_Word i = 0, best = 0; i < bi->untyped.end - bi->untyped.start; i++) {
        seL4_UntypedDesc *u = &bi->untypedList[i];
        if (!u->isDevice && u->sizeBits > best) {
            best = u->sizeBits;
            ut = bi->untyped.start + i;
        }
    }
    seL4_CPtr pt = bi->empty.start, frame = pt + 1;
    if (seL4_Untyped_Retype(ut, seL4_RISCV_PageTableObject, 0, seL4_CapInitThreadCNode, 0, 0, pt, 1) ||
        seL4_Untyped_Retype(ut, seL4_RISCV_4K_Page, 0, seL4_CapInitThreadCNode, 0, 0, frame, 1) ||
        seL4_RISCV_PageTable_Map(pt, seL4_CapInitThreadVSpace, VA, seL4_RISCV_Default_VMAttributes)) {
        printf("vspace bench: setup failed\n");
        return 1;
    }
    static seL4_Word map[N], unmap[N];
    for (int i = 0; i < N; i++) {
        seL4_Word t0 = rdinstret();
        int e1 =
            seL4_RISCV_Page_Map(frame, seL4_CapInitThreadVSpace, VA, seL4_ReadWrite, seL4_RISCV_Default_VMAttributes);
        seL4_Word t1 = rdinstret();
        *(volatile seL4_Word *)VA = (seL4_Word)i; /* the mapping is real */
        seL4_Word t2 = rdinstret();
        int e2 = seL4_RISCV_Page_Unmap(frame);
        seL4_Word t3 = rdinstret();
        if (e1 || e2) {
            printf("vspace bench: map/unmap failed (%d, %d)\n", e1, e2);
            return 1;
        }
        map[i] = t1 - t0;
        unmap[i] = t3 - t2;
    }
    report("map_4k_page", map, N);
    /* the same path with no VSpace work: what a frame invocation costs */
    for (int i = 0; i < N; i++) {
        seL4_Word t0 = rdinstret();
        (void)seL4_RISCV_Page_GetAddress(frame);
        map[i] = rdinstret() - t0;
    }
    report("page_get_address", map, N);
    report("unmap_4k_page", unmap, N);
    return 0;
}
