/* A virtio console driver PD (virtio 1.x over MMIO, QEMU's
 * virtio-serial-device with one virtconsole port) in the sDDF style: it
 * owns the device and the memory the device reads and writes (DMA), and
 * moves bytes between the device's queues and two byte queues it shares
 * with one client PD (hypos/byteq.h): rx (device to client) and tx
 * (client to device), with a notification each way. The client sees a
 * byte stream; framing is the client's business.
 *
 * Specification sections cited: virtio 1.1 (OASIS), §2.1 status, §2.2
 * feature bits, §2.6 split virtqueues, §3.1.1 driver initialisation,
 * §4.2.2 MMIO registers, §4.2.3 MMIO initialisation, §5.3 console device.
 *
 * Configuration (setvar): virtio_regs (the device's 4 KiB of registers,
 * a device region), virtio_dma / virtio_dma_size / virtio_dma_paddr (a
 * region with a fixed physical address: rings and buffers), rx_queue /
 * rx_queue_size and tx_queue / tx_queue_size (the byte queues). Channels:
 * the device's IRQ on DEVICE_IRQ, the client on CLIENT. */
#include <microkit.h>
#include <hypos/byteq.h>

#define DEVICE_IRQ 0
#define CLIENT 1

__attribute__((section(".data"))) seL4_Word virtio_regs = 0;
__attribute__((section(".data"))) seL4_Word virtio_dma = 0;
__attribute__((section(".data"))) seL4_Word virtio_dma_size = 0;
__attribute__((section(".data"))) seL4_Word virtio_dma_paddr = 0;
__attribute__((section(".data"))) seL4_Word rx_queue = 0;
__attribute__((section(".data"))) seL4_Word rx_queue_size = 0;
__attribute__((section(".data"))) seL4_Word tx_queue = 0;
__attribute__((section(".data"))) seL4_Word tx_queue_size = 0;

/* §4.2.2: register offsets */
#define R_MAGIC 0x000
#define R_VERSION 0x004
#define R_DEVICE_ID 0x008
#define R_DEVICE_FEATURES 0x010
#define R_DEVICE_FEATURES_SEL 0x014
#define R_DRIVER_FEATURES 0x020
#define R_DRIVER_FEATURES_SEL 0x024
#define R_QUEUE_SEL 0x030
#define R_QUEUE_NUM_MAX 0x034
#define R_QUEUE_NUM 0x038
#define R_QUEUE_READY 0x044
#define R_QUEUE_NOTIFY 0x050
#define R_INTERRUPT_STATUS 0x060
#define R_INTERRUPT_ACK 0x064
#define R_STATUS 0x070
#define R_QUEUE_DESC_LOW 0x080
#define R_QUEUE_DESC_HIGH 0x084
#define R_QUEUE_DRIVER_LOW 0x090
#define R_QUEUE_DRIVER_HIGH 0x094
#define R_QUEUE_DEVICE_LOW 0x0a0
#define R_QUEUE_DEVICE_HIGH 0x0a4

#define VIRTIO_MAGIC 0x74726976 /* "virt" */
#define VIRTIO_ID_CONSOLE 3     /* §5 device ids */
/* §2.1 device status bits */
#define S_ACKNOWLEDGE 1
#define S_DRIVER 2
#define S_DRIVER_OK 4
#define S_FEATURES_OK 8
#define S_FAILED 128
#define F_VERSION_1 32 /* §6: feature bit of a 1.x device */

/* §2.6.5 descriptor flags */
#define DESC_F_WRITE 2

/* §5.3.2: port 0's queues when MULTIPORT is not negotiated */
#define RXQ 0
#define TXQ 1
#define QSIZE 8
#define BUF_SIZE 2048

struct vq_desc { /* §2.6.5 */
    uint64_t addr;
    uint32_t len;
    uint16_t flags;
    uint16_t next;
};
struct vq_avail { /* §2.6.6 */
    uint16_t flags;
    uint16_t idx;
    uint16_t ring[QSIZE];
    uint16_t used_event;
};
struct vq_used_elem {
    uint32_t id;
    uint32_t len;
};
struct vq_used { /* §2.6.8 */
    uint16_t flags;
    uint16_t idx;
    struct vq_used_elem ring[QSIZE];
    uint16_t avail_event;
};

/* One virtqueue's part of the DMA region: the three rings (each on its own
 * 4 KiB page: generous, and aligned far beyond §2.6's 16/2/4) and its
 * buffers. */
struct vq_area {
    struct vq_desc desc[QSIZE];
    uint8_t pad0[4096 - QSIZE * sizeof(struct vq_desc)];
    struct vq_avail avail;
    uint8_t pad1[4096 - sizeof(struct vq_avail)];
    struct vq_used used;
    uint8_t pad2[4096 - sizeof(struct vq_used)];
    uint8_t buf[QSIZE][BUF_SIZE];
};

struct vq {
    struct vq_area *a;
    uint64_t paddr; /* of a */
    uint16_t last_used;
    uint16_t next_avail;
    uint16_t free_mask; /* tx: descriptors not given to the device */
};

static struct vq rxq, txq;
static struct byteq *rx, *tx;
static uint32_t rx_cap, tx_cap;
static int ready;
/* received bytes the client's queue had no room for yet: one buffer */
static uint8_t held[BUF_SIZE];
static uint32_t held_len, held_off;
static int held_desc = -1;

static volatile uint32_t *reg(uint32_t off) { return (volatile uint32_t *)(virtio_regs + off); }
static uint32_t rd(uint32_t off) { return *reg(off); }
static void wr(uint32_t off, uint32_t v) { *reg(off) = v; }

static void say(const char *s)
{
    microkit_dbg_puts("virtio-console: ");
    microkit_dbg_puts(s);
}

static void put_hex(uint64_t v)
{
    microkit_dbg_puts("0x");
    for (int i = 60; i >= 0; i -= 4)
        microkit_dbg_putc("0123456789abcdef"[(v >> i) & 15]);
}

static void fence(void) { __atomic_thread_fence(__ATOMIC_SEQ_CST); }

/* The hart's instruction counter (readable in user mode in debug and
 * bench kernels): the driver publishes what it spends, for the figures. */
static inline uint64_t instret(void)
{
#if defined(HYPOS_USER_COUNTERS)
    uint64_t v;
    __asm__ volatile("csrr %0, instret" : "=r"(v));
    return v;
#else
    return 0;
#endif
}

static int setup_queue(uint32_t index, struct vq *q, uint64_t offset)
{
    wr(R_QUEUE_SEL, index);
    if (rd(R_QUEUE_READY)) /* §4.2.3.2: must not be in use */
        return -1;
    uint32_t max = rd(R_QUEUE_NUM_MAX);
    if (max < QSIZE)
        return -1;
    q->a = (struct vq_area *)(virtio_dma + offset);
    q->paddr = virtio_dma_paddr + offset;
    uint64_t desc = q->paddr, avail = desc + 4096, used = desc + 8192;
    wr(R_QUEUE_NUM, QSIZE);
    wr(R_QUEUE_DESC_LOW, (uint32_t)desc);
    wr(R_QUEUE_DESC_HIGH, (uint32_t)(desc >> 32));
    wr(R_QUEUE_DRIVER_LOW, (uint32_t)avail);
    wr(R_QUEUE_DRIVER_HIGH, (uint32_t)(avail >> 32));
    wr(R_QUEUE_DEVICE_LOW, (uint32_t)used);
    wr(R_QUEUE_DEVICE_HIGH, (uint32_t)(used >> 32));
    wr(R_QUEUE_READY, 1);
    return 0;
}

static void give(struct vq *q, uint16_t d)
{
    q->a->avail.ring[q->next_avail % QSIZE] = d;
    fence(); /* §2.6.13: the ring entry before the index */
    q->next_avail++;
    __atomic_store_n(&q->a->avail.idx, q->next_avail, __ATOMIC_RELEASE);
}

static void post_rx(uint16_t d)
{
    struct vq_desc *desc = &rxq.a->desc[d];
    desc->addr = rxq.paddr + __builtin_offsetof(struct vq_area, buf) + (uint64_t)d * BUF_SIZE;
    desc->len = BUF_SIZE;
    desc->flags = DESC_F_WRITE;
    desc->next = 0;
    give(&rxq, d);
}

/* Move what the device wrote into the client's queue. A buffer that does
 * not fit is held (and its descriptor kept) until the client makes room. */
static int drain_rx(void)
{
    int moved = 0, reposted = 0;
    if (held_desc >= 0) {
        uint32_t n = byteq_put(rx, rx_cap, held + held_off, held_len - held_off);
        held_off += n;
        moved |= n > 0;
        if (held_off < held_len) {
            byteq_set_waiting(&rx->producer_waiting);
            return moved;
        }
        post_rx((uint16_t)held_desc);
        reposted = 1;
        held_desc = -1;
    }
    for (;;) {
        uint16_t used_idx = __atomic_load_n(&rxq.a->used.idx, __ATOMIC_ACQUIRE);
        if (rxq.last_used == used_idx)
            break;
        struct vq_used_elem e = rxq.a->used.ring[rxq.last_used % QSIZE];
        rxq.last_used++;
        if (e.id >= QSIZE)
            continue; /* the device broke the protocol: drop it */
        uint32_t len = e.len > BUF_SIZE ? BUF_SIZE : e.len;
        const uint8_t *b = rxq.a->buf[e.id];
        uint32_t n = byteq_put(rx, rx_cap, b, len);
        moved |= n > 0;
        if (n < len) {
            for (uint32_t i = n; i < len; i++)
                held[i - n] = b[i];
            held_len = len - n;
            held_off = 0;
            held_desc = (int)e.id;
            byteq_set_waiting(&rx->producer_waiting);
            break;
        }
        post_rx((uint16_t)e.id);
        reposted = 1;
    }
    if (reposted) {
        fence();
        wr(R_QUEUE_NOTIFY, RXQ);
    }
    return moved;
}

/* Reclaim transmitted buffers, then send what the client queued. */
static void pump_tx(void)
{
    for (;;) {
        uint16_t used_idx = __atomic_load_n(&txq.a->used.idx, __ATOMIC_ACQUIRE);
        if (txq.last_used == used_idx)
            break;
        struct vq_used_elem e = txq.a->used.ring[txq.last_used % QSIZE];
        txq.last_used++;
        if (e.id < QSIZE)
            txq.free_mask |= (uint16_t)(1u << e.id);
    }
    int sent = 0, took = 0;
    while (txq.free_mask) {
        uint16_t d = (uint16_t)__builtin_ctz(txq.free_mask);
        uint32_t n = byteq_get(tx, tx_cap, txq.a->buf[d], BUF_SIZE);
        if (!n)
            break;
        took = 1;
        txq.free_mask &= (uint16_t) ~(1u << d);
        struct vq_desc *desc = &txq.a->desc[d];
        desc->addr = txq.paddr + __builtin_offsetof(struct vq_area, buf) + (uint64_t)d * BUF_SIZE;
        desc->len = n;
        desc->flags = 0;
        desc->next = 0;
        give(&txq, d);
        sent = 1;
    }
    if (sent) {
        fence();
        wr(R_QUEUE_NOTIFY, TXQ);
    }
    if (took && byteq_take_waiting(&tx->producer_waiting))
        microkit_notify(CLIENT);
}

static int device_init(void)
{
    if (!virtio_regs || !virtio_dma || !rx_queue || !tx_queue) {
        say("not configured (virtio_regs, virtio_dma, rx_queue, tx_queue)\n");
        return -1;
    }
    if (virtio_dma_size < 2 * sizeof(struct vq_area)) {
        say("DMA region too small\n");
        return -1;
    }
    uint32_t magic = rd(R_MAGIC), version = rd(R_VERSION), id = rd(R_DEVICE_ID);
    if (magic != VIRTIO_MAGIC || id != VIRTIO_ID_CONSOLE) {
        say("no virtio console at ");
        put_hex(virtio_regs);
        microkit_dbg_puts(" (magic ");
        put_hex(magic);
        microkit_dbg_puts(", device id ");
        put_hex(id);
        microkit_dbg_puts(")\n");
        return -1;
    }
    if (version != 2) { /* §4.2.2: 1 is the legacy interface */
        say("legacy virtio-mmio device (version 1); QEMU needs -global virtio-mmio.force-legacy=false\n");
        return -1;
    }
    /* §3.1.1 */
    wr(R_STATUS, 0);
    wr(R_STATUS, S_ACKNOWLEDGE);
    wr(R_STATUS, S_ACKNOWLEDGE | S_DRIVER);
    wr(R_DEVICE_FEATURES_SEL, 1);
    uint32_t high = rd(R_DEVICE_FEATURES);
    if (!(high & (1u << (F_VERSION_1 - 32)))) {
        say("device does not offer VIRTIO_F_VERSION_1\n");
        wr(R_STATUS, S_FAILED);
        return -1;
    }
    /* only VERSION_1: no MULTIPORT (port 0 on queues 0 and 1), no SIZE, no
     * EMERG_WRITE; nothing else is needed to move bytes */
    wr(R_DRIVER_FEATURES_SEL, 0);
    wr(R_DRIVER_FEATURES, 0);
    wr(R_DRIVER_FEATURES_SEL, 1);
    wr(R_DRIVER_FEATURES, 1u << (F_VERSION_1 - 32));
    wr(R_STATUS, S_ACKNOWLEDGE | S_DRIVER | S_FEATURES_OK);
    if (!(rd(R_STATUS) & S_FEATURES_OK)) {
        say("device refused the features\n");
        wr(R_STATUS, S_FAILED);
        return -1;
    }
    if (setup_queue(RXQ, &rxq, 0) || setup_queue(TXQ, &txq, sizeof(struct vq_area))) {
        say("queue setup failed\n");
        wr(R_STATUS, S_FAILED);
        return -1;
    }
    txq.free_mask = (uint16_t)((1u << QSIZE) - 1);
    for (uint16_t d = 0; d < QSIZE; d++)
        post_rx(d);
    wr(R_STATUS, S_ACKNOWLEDGE | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK);
    fence();
    wr(R_QUEUE_NOTIFY, RXQ);
    return 0;
}

void init(void)
{
    rx = (struct byteq *)rx_queue;
    tx = (struct byteq *)tx_queue;
    rx_cap = byteq_capacity(rx_queue_size);
    tx_cap = byteq_capacity(tx_queue_size);
    if (device_init())
        return;
    ready = 1;
    say("ready at ");
    put_hex(virtio_regs);
    microkit_dbg_puts("\n");
}

void notified(microkit_channel ch)
{
    if (!ready)
        return;
    uint64_t t0 = instret();
    if (ch == DEVICE_IRQ) {
        uint32_t why = rd(R_INTERRUPT_STATUS);
        wr(R_INTERRUPT_ACK, why);
        microkit_irq_ack(DEVICE_IRQ);
    }
    /* a device interrupt, or the client queued bytes or made room: look at
     * everything (cheap, and notifications coalesce) */
    if (drain_rx())
        microkit_notify(CLIENT);
    pump_tx();
    __atomic_store_n(&rx->driver_insns, rx->driver_insns + (instret() - t0), __ATOMIC_RELAXED);
}
