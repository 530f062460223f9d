/* libFuzzer target: a byte stream into the agent, as the virtio console
 * delivers it (framing, decoding, every request against a real hook and
 * configuration region). Every message must be answered with a response
 * that decodes; ASan and UBSan watch everything else. */
#include "harness.h"
#include "../../system/agent/frame.h"
#include <control.pb.h>
#include <pb_decode.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    static uint8_t buf[AGENT_MAX_REQUEST], out[AGENT_MAX_RESPONSE];
    static hypos_control_Response resp;
    if (!ready) {
        harness_init();
        ready = 1;
    }
    struct framer f;
    frame_init(&f, buf, sizeof(buf));
    size_t used = 0;
    for (;;) {
        uint32_t len, n;
        enum frame_event ev = frame_feed(&f, data, size, &used, &len);
        if (ev == FRAME_NONE)
            break;
        if (ev == FRAME_MESSAGE)
            n = agent_handle(&H.agent, buf, len, out);
        else
            n = agent_refuse_frame(&H.agent, ev == FRAME_TOO_LARGE, len, out);
        /* the response: a prefix and a body that decodes */
        uint32_t body = 0, shift = 0, p = 0;
        while (p < n && (out[p] & 0x80)) {
            body |= (uint32_t)(out[p++] & 0x7f) << shift;
            shift += 7;
        }
        if (p >= n)
            abort();
        body |= (uint32_t)out[p++] << shift;
        pb_istream_t is = pb_istream_from_buffer(out + p, body);
        if (p + body != n || !pb_decode(&is, hypos_control_Response_fields, &resp))
            abort();
        harness_run('x'); /* the hooking PD takes whatever was offered */
    }
    return 0;
}
