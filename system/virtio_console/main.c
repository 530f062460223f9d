/* A virtio console driver PD (virtio 1.x over MMIO, QEMU's
 * virtio-serial-device) in the sDDF style: it owns the device and the
 * memory the device reads and writes (DMA), and moves bytes between one
 * port of the device and two byte queues it shares with one client PD
 * (hypos/byteq.h): rx (device to client) and tx (client to device), with
 * a notification each way. The client sees a byte stream; framing is the
 * client's business. With the device's multiport feature the driver also
 * passes on when the host connects to the port and when it goes away
 * (byteq.h, "Connections"), so the client can drop what a vanished host
 * left half-sent.
 *
 * Specification sections cited: virtio 1.2 (OASIS), §2.1 status, §2.2
 * feature bits, §2.7 split virtqueues, §3.1.1 driver initialisation,
 * §4.2.2 MMIO registers, §4.2.3 MMIO initialisation, §5.3 console device
 * (§5.3.2 virtqueues, §5.3.3 feature bits, §5.3.4 configuration, §5.3.6.2
 * multiport and its control messages).
 *
 * Configuration (setvar): virtio_regs / virtio_regs_size (one or more
 * virtio-mmio slots of 4 KiB, a device region; the driver takes the first
 * slot that holds a console) and virtio_regs_paddr (its physical address,
 * for the report), virtio_dma / virtio_dma_size / virtio_dma_paddr (a
 * region with a fixed physical address: rings and buffers), rx_queue /
 * rx_queue_size and tx_queue / tx_queue_size (the byte queues). Channels:
 * the client on CLIENT; the interrupt of slot s on SLOT_IRQ_BASE + s. */
#include <microkit.h>
#include <hypos/byteq.h>

#define CLIENT 1
#define SLOT_IRQ_BASE 2
#define SLOT_SIZE 0x1000
#define MAX_SLOTS 8

__attribute__((section(".data"))) seL4_Word virtio_regs = 0;
__attribute__((section(".data"))) seL4_Word virtio_regs_size = 0;
__attribute__((section(".data"))) seL4_Word virtio_regs_paddr = 0;
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
#define R_CONFIG 0x100

#define VIRTIO_MAGIC 0x74726976 /* "virt" */
#define VIRTIO_ID_CONSOLE 3     /* §5 device ids */
/* §2.1 device status bits */
#define S_ACKNOWLEDGE 1
#define S_DRIVER 2
#define S_DRIVER_OK 4
#define S_FEATURES_OK 8
#define S_FAILED 128
#define F_VERSION_1 32 /* §6: feature bit of a 1.x device */
#define F_MULTIPORT 1  /* §5.3.3: control queues, several ports, open/close events */

/* §2.7.5 descriptor flags */
#define DESC_F_WRITE 2

/* §5.3.2: queue numbers. Port 0 on 0 and 1; with MULTIPORT the control
 * queues on 2 (device to driver) and 3, port n >= 1 on 2n+2 and 2n+3. */
#define CTL_RXQ 2
#define CTL_TXQ 3
#define PORTS 2 /* ports served: 0 (a virtconsole) and 1 (the first virtserialport) */
static uint32_t port_rxq(uint32_t port) { return port ? 2 * port + 2 : 0; }

/* §5.3.6.2: control messages and their events */
struct ctl_msg {
    uint32_t id; /* port */
    uint16_t event;
    uint16_t value;
};
#define EV_DEVICE_READY 0
#define EV_DEVICE_ADD 1
#define EV_DEVICE_REMOVE 2
#define EV_PORT_READY 3
#define EV_CONSOLE_PORT 4
#define EV_RESIZE 5
#define EV_PORT_OPEN 6
#define EV_PORT_NAME 7

#define QSIZE 8
#define DATA_BUF 2048
#define CTL_BUF 256 /* a control message, or one with a port name */

struct vq_desc { /* §2.7.5 */
    uint64_t addr;
    uint32_t len;
    uint16_t flags;
    uint16_t next;
};
struct vq_avail { /* §2.7.6 */
    uint16_t flags;
    uint16_t idx;
    uint16_t ring[QSIZE];
    uint16_t used_event;
};
struct vq_used_elem {
    uint32_t id;
    uint32_t len;
};
struct vq_used { /* §2.7.8 */
    uint16_t flags;
    uint16_t idx;
    struct vq_used_elem ring[QSIZE];
    uint16_t avail_event;
};
/* The three rings of a queue in one 4 KiB page of the DMA region (aligned
 * far beyond §2.7's 16/2/4). */
struct vq_rings {
    struct vq_desc desc[QSIZE];
    uint8_t pad0[1024 - QSIZE * sizeof(struct vq_desc)];
    struct vq_avail avail;
    uint8_t pad1[1024 - sizeof(struct vq_avail)];
    struct vq_used used;
};
_Static_assert(sizeof(struct vq_rings) <= 4096, "rings fit a page");

struct vq {
    uint32_t index;
    struct vq_rings *r;
    uint64_t paddr; /* of r */
    uint8_t *buf;   /* QSIZE buffers of buf_size */
    uint64_t buf_paddr;
    uint32_t buf_size;
    uint16_t last_used;
    uint16_t next_avail;
    uint16_t free_mask; /* device-readable queues: descriptors not given to the device */
};

static volatile uint32_t *regs; /* the slot in use */
static int slot = -1;
static int multiport;
static struct vq port_rx[PORTS], port_tx[PORTS], ctl_rx, ctl_tx;
static int port_ok[PORTS]; /* its queues are set up */
static int served = -1;    /* the port the client's bytes go to */
static int served_console; /* it is a console port: QEMU reports no connections on it */
static struct byteq *rx, *tx;
static uint32_t rx_cap, tx_cap;
static int ready;
/* connection events passed to the client: the sequence (even), and the
 * client's acknowledgement it waits for before sending again */
static uint32_t event_seq;
static uint32_t event_state;
/* received bytes the client's queue had no room for yet: one buffer */
static uint8_t held[DATA_BUF];
static uint32_t held_len, held_off;
static int held_desc = -1;
/* the DMA region, handed out front to back */
static uint64_t dma_used;

static uint32_t rd(uint32_t off) { return regs[off / 4]; }
static void wr(uint32_t off, uint32_t v) { regs[off / 4] = v; }

static void say(const char *s)
{
    microkit_dbg_puts("virtio-console: ");
    microkit_dbg_puts(s);
}

static void put_hex(uint64_t v)
{
    microkit_dbg_puts("0x");
    int started = 0;
    for (int i = 60; i >= 0; i -= 4) {
        unsigned d = (v >> i) & 15;
        if (d || started || i < 32) { /* at least 8 digits */
            microkit_dbg_putc("0123456789abcdef"[d]);
            started = 1;
        }
    }
}

static void put_dec(uint64_t v)
{
    char b[21];
    int n = 0;
    do {
        b[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        microkit_dbg_putc(b[--n]);
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

static void *dma_take(uint64_t size, uint64_t *paddr)
{
    if (dma_used + size > virtio_dma_size)
        return 0;
    void *p = (void *)(virtio_dma + dma_used);
    *paddr = virtio_dma_paddr + dma_used;
    dma_used += size;
    return p;
}

/* §4.2.3.2: one queue of QSIZE descriptors, rings and buffers in the DMA
 * region. 0, or -1 (the device has no such queue, or no memory left). */
static int setup_queue(uint32_t index, struct vq *q, uint32_t buf_size)
{
    wr(R_QUEUE_SEL, index);
    if (rd(R_QUEUE_READY)) /* must not be in use */
        return -1;
    uint32_t max = rd(R_QUEUE_NUM_MAX);
    if (max < QSIZE)
        return -1;
    q->index = index;
    q->buf_size = buf_size;
    q->r = dma_take(4096, &q->paddr);
    q->buf = q->r ? dma_take((uint64_t)QSIZE * buf_size, &q->buf_paddr) : 0;
    if (!q->buf)
        return -1;
    uint64_t desc = q->paddr, avail = desc + __builtin_offsetof(struct vq_rings, avail),
             used = desc + __builtin_offsetof(struct vq_rings, used);
    wr(R_QUEUE_NUM, QSIZE);
    wr(R_QUEUE_DESC_LOW, (uint32_t)desc);
    wr(R_QUEUE_DESC_HIGH, (uint32_t)(desc >> 32));
    wr(R_QUEUE_DRIVER_LOW, (uint32_t)avail);
    wr(R_QUEUE_DRIVER_HIGH, (uint32_t)(avail >> 32));
    wr(R_QUEUE_DEVICE_LOW, (uint32_t)used);
    wr(R_QUEUE_DEVICE_HIGH, (uint32_t)(used >> 32));
    wr(R_QUEUE_READY, 1);
    q->free_mask = (uint16_t)((1u << QSIZE) - 1);
    return 0;
}

static void give(struct vq *q, uint16_t d, uint32_t len, uint16_t flags)
{
    struct vq_desc *desc = &q->r->desc[d];
    desc->addr = q->buf_paddr + (uint64_t)d * q->buf_size;
    desc->len = len;
    desc->flags = flags;
    desc->next = 0;
    q->r->avail.ring[q->next_avail % QSIZE] = d;
    fence(); /* §2.7.13: the ring entry before the index */
    q->next_avail++;
    __atomic_store_n(&q->r->avail.idx, q->next_avail, __ATOMIC_RELEASE);
}

static void post_all(struct vq *q)
{
    for (uint16_t d = 0; d < QSIZE; d++)
        give(q, d, q->buf_size, DESC_F_WRITE);
    q->free_mask = 0;
}

/* The next used element of q, or -1. */
static int next_used(struct vq *q, uint32_t *len)
{
    uint16_t used_idx = __atomic_load_n(&q->r->used.idx, __ATOMIC_ACQUIRE);
    while (q->last_used != used_idx) {
        struct vq_used_elem e = q->r->used.ring[q->last_used % QSIZE];
        q->last_used++;
        if (e.id < QSIZE) { /* anything else breaks the protocol: dropped */
            *len = e.len > q->buf_size ? q->buf_size : e.len;
            return (int)e.id;
        }
    }
    return -1;
}

/* Move what the device wrote into the client's queue. A buffer that does
 * not fit is held (and its descriptor kept) until the client makes room. */
static int drain_rx(void)
{
    if (served < 0)
        return 0;
    struct vq *q = &port_rx[served];
    int moved = 0, reposted = 0;
    if (held_desc >= 0) {
        uint32_t n = byteq_put(rx, rx_cap, held + held_off, held_len - held_off);
        held_off += n;
        moved |= n > 0;
        if (held_off < held_len) {
            byteq_set_waiting(&rx->producer_waiting);
            return moved;
        }
        give(q, (uint16_t)held_desc, DATA_BUF, DESC_F_WRITE);
        reposted = 1;
        held_desc = -1;
    }
    for (;;) {
        uint32_t len;
        int d = next_used(q, &len);
        if (d < 0)
            break;
        const uint8_t *b = q->buf + (uint32_t)d * DATA_BUF;
        uint32_t n = byteq_put(rx, rx_cap, b, len);
        moved |= n > 0;
        if (n < len) {
            for (uint32_t i = n; i < len; i++)
                held[i - n] = b[i];
            held_len = len - n;
            held_off = 0;
            held_desc = d;
            byteq_set_waiting(&rx->producer_waiting);
            break;
        }
        give(q, (uint16_t)d, DATA_BUF, DESC_F_WRITE);
        reposted = 1;
    }
    if (reposted) {
        fence();
        wr(R_QUEUE_NOTIFY, q->index);
    }
    return moved;
}

/* Drop whatever the device delivered that the client has not got yet
 * (a held buffer, used buffers not moved): it belongs to a connection
 * that has just ended. */
static void discard_rx(void)
{
    if (served < 0)
        return;
    struct vq *q = &port_rx[served];
    if (held_desc >= 0)
        give(q, (uint16_t)held_desc, DATA_BUF, DESC_F_WRITE);
    held_desc = -1;
    uint32_t len;
    int d;
    while ((d = next_used(q, &len)) >= 0)
        give(q, (uint16_t)d, DATA_BUF, DESC_F_WRITE);
    fence();
    wr(R_QUEUE_NOTIFY, q->index);
}

/* Tell the client the connection changed (byteq.h, "Connections"): the
 * bytes before the mark belong to the connection before. */
static void publish_event(uint32_t state)
{
    discard_rx();
    event_state = state;
    __atomic_store_n(&rx->event_seq, event_seq + 1, __ATOMIC_RELEASE); /* odd: being written */
    fence();
    rx->event_mark = __atomic_load_n(&rx->tail, __ATOMIC_RELAXED);
    rx->event_state = state;
    event_seq += 2;
    __atomic_store_n(&rx->event_seq, event_seq, __ATOMIC_RELEASE);
}

static void reclaim(struct vq *q)
{
    uint32_t len;
    int d;
    while ((d = next_used(q, &len)) >= 0)
        q->free_mask |= (uint16_t)(1u << d);
}

/* Send the client's bytes once it has caught up with the last connection
 * event (what it queued before that is dropped up to its mark). */
static void pump_tx(void)
{
    if (served < 0)
        return;
    struct vq *q = &port_tx[served];
    reclaim(q);
    if (__atomic_load_n(&tx->event_ack, __ATOMIC_ACQUIRE) != event_seq)
        return; /* it has not seen the last event yet: hold its bytes */
    /* A control message not handled yet may be a connection's end: bytes
     * given to the device now could reach the next connection. Hold them
     * until it is handled (its interrupt brings the driver back). */
    if (multiport && __atomic_load_n(&ctl_rx.r->used.idx, __ATOMIC_ACQUIRE) != ctl_rx.last_used)
        return;
    uint32_t head = tx->head, tail = __atomic_load_n(&tx->tail, __ATOMIC_ACQUIRE);
    uint32_t mark = __atomic_load_n(&tx->event_ack_mark, __ATOMIC_RELAXED);
    if ((int32_t)(mark - head) > 0 && mark - head <= tail - head) /* bytes for an earlier connection */
        __atomic_store_n(&tx->head, mark, __ATOMIC_RELEASE);
    int sent = 0, took = 0;
    while (q->free_mask) {
        uint16_t d = (uint16_t)__builtin_ctz(q->free_mask);
        uint32_t n = byteq_get(tx, tx_cap, q->buf + (uint32_t)d * DATA_BUF, DATA_BUF);
        if (!n)
            break;
        took = 1;
        q->free_mask &= (uint16_t) ~(1u << d);
        give(q, d, n, 0);
        sent = 1;
    }
    if (sent) {
        fence();
        wr(R_QUEUE_NOTIFY, q->index);
    }
    if (took && byteq_take_waiting(&tx->producer_waiting))
        microkit_notify(CLIENT);
}

/* §5.3.6.2: a control message to the device. */
static void send_ctl(uint32_t port, uint16_t event, uint16_t value)
{
    reclaim(&ctl_tx);
    if (!ctl_tx.free_mask) {
        say("control queue full, message dropped\n");
        return;
    }
    uint16_t d = (uint16_t)__builtin_ctz(ctl_tx.free_mask);
    ctl_tx.free_mask &= (uint16_t) ~(1u << d);
    struct ctl_msg *m = (struct ctl_msg *)(ctl_tx.buf + (uint32_t)d * CTL_BUF);
    m->id = port;
    m->event = event;
    m->value = value;
    give(&ctl_tx, d, sizeof(*m), 0);
    fence();
    wr(R_QUEUE_NOTIFY, CTL_TXQ);
}

static void port_added(uint32_t port)
{
    if (served >= 0 || port >= PORTS || !port_ok[port]) {
        if (port == (uint32_t)served)
            return;
        say("port ");
        put_dec(port);
        microkit_dbg_puts(" not served (the driver serves one port: the first added of 0 and 1)\n");
        send_ctl(port, EV_PORT_READY, 0);
        return;
    }
    served = (int)port;
    send_ctl(port, EV_PORT_READY, 1);
    send_ctl(port, EV_PORT_OPEN, 1); /* the guest side is open: the device may deliver data */
    say("serving port ");
    put_dec(port);
    microkit_dbg_puts("\n");
    event_state = BYTEQ_EVENTS; /* no host yet: a PORT_OPEN says when one connects */
    __atomic_store_n(&rx->event_state, event_state, __ATOMIC_RELEASE);
}

static int handle_ctl(const struct ctl_msg *m, uint32_t len)
{
    if (len < sizeof(*m))
        return 0;
    switch (m->event) {
    case EV_DEVICE_ADD:
        port_added(m->id);
        return 0;
    case EV_CONSOLE_PORT:
        if (m->id == (uint32_t)served && !served_console) {
            served_console = 1;
            say("port ");
            put_dec(m->id);
            microkit_dbg_puts(" is a console port: QEMU reports no host connections on it (virtserialport does)\n");
            event_state &= ~(uint32_t)BYTEQ_EVENTS;
            __atomic_store_n(&rx->event_state, event_state, __ATOMIC_RELEASE);
        }
        return 0;
    case EV_PORT_OPEN:
        if (m->id != (uint32_t)served)
            return 0;
        publish_event((m->value ? BYTEQ_CONNECTED : 0) | (served_console ? 0 : BYTEQ_EVENTS));
        return 1;
    case EV_DEVICE_REMOVE:
        if (m->id != (uint32_t)served)
            return 0;
        publish_event(served_console ? 0 : BYTEQ_EVENTS);
        say("served port removed\n");
        served = -1;
        return 1;
    default: /* RESIZE, PORT_NAME: nothing to do */
        return 0;
    }
}

/* Handle the control messages the device had used up to upto. */
static int drain_ctl(uint16_t upto)
{
    int events = 0, reposted = 0;
    while (ctl_rx.last_used != upto) {
        uint32_t len;
        int d = next_used(&ctl_rx, &len);
        if (d < 0)
            break;
        events |= handle_ctl((const struct ctl_msg *)(ctl_rx.buf + (uint32_t)d * CTL_BUF), len);
        give(&ctl_rx, (uint16_t)d, CTL_BUF, DESC_F_WRITE);
        reposted = 1;
    }
    if (reposted) {
        fence();
        wr(R_QUEUE_NOTIFY, CTL_RXQ);
    }
    return events;
}

/* The first slot with a virtio console; -1 after saying what was found. */
static int probe(void)
{
    uint64_t n = (virtio_regs_size ? virtio_regs_size : SLOT_SIZE) / SLOT_SIZE;
    if (n > MAX_SLOTS)
        n = MAX_SLOTS;
    int legacy = -1;
    for (uint64_t s = 0; s < n; s++) {
        volatile uint32_t *r = (volatile uint32_t *)(virtio_regs + s * SLOT_SIZE);
        if (r[R_MAGIC / 4] != VIRTIO_MAGIC || r[R_DEVICE_ID / 4] != VIRTIO_ID_CONSOLE)
            continue;
        if (r[R_VERSION / 4] == 2) /* §4.2.2: 1 is the legacy interface */
            return (int)s;
        if (legacy < 0)
            legacy = (int)s;
    }
    if (legacy >= 0)
        say("legacy virtio-mmio console (version 1); QEMU needs -global virtio-mmio.force-legacy=false\n");
    else {
        say("no virtio console in ");
        put_dec(n);
        microkit_dbg_puts(" slot(s) from ");
        put_hex(virtio_regs_paddr ? virtio_regs_paddr : virtio_regs);
        microkit_dbg_puts("\n");
    }
    return -1;
}

static int device_init(void)
{
    if (!virtio_regs || !virtio_dma || !rx_queue || !tx_queue) {
        say("not configured (virtio_regs, virtio_dma, rx_queue, tx_queue)\n");
        return -1;
    }
    slot = probe();
    if (slot < 0)
        return -1;
    regs = (volatile uint32_t *)(virtio_regs + (uint64_t)slot * SLOT_SIZE);
    /* §3.1.1 */
    wr(R_STATUS, 0);
    wr(R_STATUS, S_ACKNOWLEDGE);
    wr(R_STATUS, S_ACKNOWLEDGE | S_DRIVER);
    wr(R_DEVICE_FEATURES_SEL, 1);
    uint32_t high = rd(R_DEVICE_FEATURES);
    wr(R_DEVICE_FEATURES_SEL, 0);
    uint32_t low = rd(R_DEVICE_FEATURES);
    if (!(high & (1u << (F_VERSION_1 - 32)))) {
        say("device does not offer VIRTIO_F_VERSION_1\n");
        wr(R_STATUS, S_FAILED);
        return -1;
    }
    /* VERSION_1, and MULTIPORT when offered (connection events); no SIZE,
     * no EMERG_WRITE */
    multiport = (low >> F_MULTIPORT) & 1;
    wr(R_DRIVER_FEATURES_SEL, 0);
    wr(R_DRIVER_FEATURES, multiport ? 1u << F_MULTIPORT : 0);
    wr(R_DRIVER_FEATURES_SEL, 1);
    wr(R_DRIVER_FEATURES, 1u << (F_VERSION_1 - 32));
    wr(R_STATUS, S_ACKNOWLEDGE | S_DRIVER | S_FEATURES_OK);
    if (!(rd(R_STATUS) & S_FEATURES_OK)) {
        say("device refused the features\n");
        wr(R_STATUS, S_FAILED);
        return -1;
    }
    /* §5.3.4: max_nr_ports, valid with MULTIPORT */
    uint32_t max_ports = multiport ? rd(R_CONFIG + 4) : 1;
    for (uint32_t p = 0; p < PORTS && p < max_ports; p++)
        port_ok[p] =
            !setup_queue(port_rxq(p), &port_rx[p], DATA_BUF) && !setup_queue(port_rxq(p) + 1, &port_tx[p], DATA_BUF);
    if (multiport && (setup_queue(CTL_RXQ, &ctl_rx, CTL_BUF) || setup_queue(CTL_TXQ, &ctl_tx, CTL_BUF))) {
        say("control queue setup failed (DMA region too small?)\n");
        wr(R_STATUS, S_FAILED);
        return -1;
    }
    if (!port_ok[0] && !port_ok[1]) {
        say("queue setup failed (DMA region too small?)\n");
        wr(R_STATUS, S_FAILED);
        return -1;
    }
    for (uint32_t p = 0; p < PORTS; p++)
        if (port_ok[p])
            post_all(&port_rx[p]);
    if (multiport)
        post_all(&ctl_rx);
    wr(R_STATUS, S_ACKNOWLEDGE | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK);
    fence();
    for (uint32_t p = 0; p < PORTS; p++)
        if (port_ok[p])
            wr(R_QUEUE_NOTIFY, port_rxq(p));
    if (multiport) {
        wr(R_QUEUE_NOTIFY, CTL_RXQ);
        send_ctl(0, EV_DEVICE_READY, 1); /* the device answers with DEVICE_ADD per port */
    } else {
        served = 0; /* §5.3.2: one port on queues 0 and 1, no connection events */
        event_state = BYTEQ_CONNECTED;
        rx->event_state = event_state;
    }
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
    say("slot ");
    put_dec((uint64_t)slot);
    microkit_dbg_puts(" at ");
    put_hex((virtio_regs_paddr ? virtio_regs_paddr : virtio_regs) + (uint64_t)slot * SLOT_SIZE);
    microkit_dbg_puts(" (IRQ channel ");
    put_dec(SLOT_IRQ_BASE + (uint64_t)slot);
    microkit_dbg_puts(multiport ? "), multiport: ready\n" : "), one port without connection events: ready\n");
    /* control messages may already be waiting (DEVICE_ADD) */
    notified(SLOT_IRQ_BASE + (microkit_channel)slot);
}

void notified(microkit_channel ch)
{
    if (!ready)
        return;
    uint64_t t0 = instret();
    if (ch == SLOT_IRQ_BASE + (microkit_channel)slot) {
        uint32_t why = rd(R_INTERRUPT_STATUS);
        wr(R_INTERRUPT_ACK, why);
        microkit_irq_ack(ch);
    } else if (ch >= SLOT_IRQ_BASE && ch < SLOT_IRQ_BASE + MAX_SLOTS) {
        microkit_irq_ack(ch); /* another slot's device: not ours to drive */
    }
    /* A device interrupt, or the client queued bytes or made room: look at
     * everything (cheap, and notifications coalesce). The data the device
     * used before a control event was used before it, so: note where the
     * control queue stands, move the data, then handle the events up to
     * that point. */
    uint16_t ctl_upto = multiport ? __atomic_load_n(&ctl_rx.r->used.idx, __ATOMIC_ACQUIRE) : 0;
    int tell = drain_rx();
    if (multiport)
        tell |= drain_ctl(ctl_upto);
    if (tell)
        microkit_notify(CLIENT);
    pump_tx();
    __atomic_store_n(&rx->driver_insns, rx->driver_insns + (instret() - t0), __ATOMIC_RELAXED);
}
