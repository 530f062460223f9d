/* libFuzzer target: a byte stream into the agent, as the virtio console
 * delivers it (framing, decoding, every request against a real hook and
 * configuration region). Every message must be answered with a response
 * that decodes; ASan and UBSan watch everything else. The stream is one
 * connection on a transport that reports connections, with a clock that
 * advances 30 ms per message, so map watches it asks for push updates
 * (each must decode too); a connection's end in the middle, where the
 * first byte says, must end them and the next connection be greeted. */
#include "harness.h"
#include "../../system/agent/frame.h"
#include <control.pb.h>
#include <pb_decode.h>
#include <stdlib.h>
#include <string.h>

static uint64_t clock_ns;
static uint64_t fuzz_clock(void) { return clock_ns; }

/* A framed response at out[0, n) must decode. */
static void check_response(const uint8_t *out, uint32_t n, hypos_control_Response *resp)
{
    uint32_t body = 0, shift = 0, p = 0;
    while (p < n && (out[p] & 0x80) && shift < 35) {
        body |= (uint32_t)(out[p++] & 0x7f) << shift;
        shift += 7;
    }
    if (p >= n)
        abort();
    body |= (uint32_t)out[p++] << shift;
    pb_istream_t is = pb_istream_from_buffer(out + p, body);
    if (p + body != n || !pb_decode(&is, hypos_control_Response_fields, resp))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    static uint8_t buf[AGENT_MAX_REQUEST], out[AGENT_MAX_RESPONSE];
    static hypos_control_Response resp;
    if (!ready) {
        harness_init();
        H.agent.now_ns = fuzz_clock;
        H.agent.conn_events = 1;
        ready = 1;
    }
    agent_connection(&H.agent, 1, 0, out); /* a fresh connection */
    size_t cut_at = size ? (size_t)data[0] * size / 256 : 0;
    int cut_done = 0;
    struct framer f;
    frame_init(&f, buf, sizeof(buf));
    size_t used = 0;
    for (;;) {
        uint32_t len, n;
        if (!cut_done && used == cut_at) {
            /* the connection ends here: what was under way is cut off */
            cut_done = 1;
            agent_connection(&H.agent, 0, frame_pending(&f), out);
            if (H.agent.nwatches)
                abort();
            n = agent_connection(&H.agent, 1, 0, out);
            if (n <= AGENT_SYNC_LEN || memcmp(out, AGENT_SYNC, AGENT_SYNC_LEN))
                abort();
            check_response(out + AGENT_SYNC_LEN, n - AGENT_SYNC_LEN, &resp);
            frame_init(&f, buf, sizeof(buf));
            continue;
        }
        enum frame_event ev = frame_feed(&f, data, cut_done ? size : cut_at, &used, &len);
        if (ev == FRAME_NONE) {
            if (cut_done)
                break;
            continue;
        }
        if (ev == FRAME_MESSAGE)
            n = agent_handle(&H.agent, buf, len, out);
        else
            n = agent_refuse_frame(&H.agent, ev == FRAME_TOO_LARGE, len, out);
        check_response(out, n, &resp); /* a prefix and a body that decodes */
        harness_run('x');              /* the hooking PD takes whatever was offered */
        clock_ns += 30000000;
        while ((n = agent_watch_poll(&H.agent, clock_ns, out)) != 0)
            check_response(out, n, &resp);
    }
    return 0;
}
