/* .system file parser: libxml2 builds the tree and reports malformed XML
 * with its line; element and attribute columns come from scanning the
 * source text, since libxml2 records only lines. Start tags appear in the
 * text in document order, so a cursor that walks from one start tag to
 * the next finds each element as the tree walk reaches it. */
#include "sdf.h"
#include "elf.h"
#include "sdf_xml.h"
#include "bpfpd.h"
#include "hypos/microkit_abi.h"
#include <errno.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *cur_file = "";
static const char *text;
static size_t text_len, cursor;

const char *diag_file(void) { return cur_file; }

/* The fuzzer replaces exiting with a jump back and silences messages. */
bool sdf_mcs;
void (*diag_on_error)(void);
bool diag_quiet;
void diag_set_file(const char *file) { cur_file = file; }

void fail_at(loc_t where, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (!diag_quiet) {
        fprintf(stderr, "%s:%d:%d: error: ", cur_file, where.line, where.col);
        vfprintf(stderr, fmt, ap);
        fputc('\n', stderr);
    }
    va_end(ap);
    if (diag_on_error)
        diag_on_error();
    exit(1);
}

void fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (!diag_quiet) {
        fprintf(stderr, "microkit: error: ");
        vfprintf(stderr, fmt, ap);
        fputc('\n', stderr);
    }
    va_end(ap);
    if (diag_on_error)
        diag_on_error();
    exit(1);
}

/* line starts, found once, so that a position costs a binary search */
static size_t *line_starts;
static size_t n_lines;

static void index_lines(void)
{
    free(line_starts);
    n_lines = 1;
    for (size_t i = 0; i < text_len; i++)
        n_lines += text[i] == '\n';
    line_starts = malloc(sizeof *line_starts * n_lines);
    size_t k = 0;
    line_starts[k++] = 0;
    for (size_t i = 0; i < text_len; i++)
        if (text[i] == '\n')
            line_starts[k++] = i + 1;
}

static loc_t loc_of(size_t off)
{
    size_t lo = 0, hi = n_lines;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (line_starts[mid] <= off)
            lo = mid;
        else
            hi = mid;
    }
    return (loc_t){(int)lo + 1, (int)(off - line_starts[lo]) + 1};
}

static size_t skip_past(size_t at, const char *end)
{
    const char *p = strstr(text + at, end);
    return p ? (size_t)(p - text) + strlen(end) : text_len;
}

/* offset of the next start tag's '<' */
static size_t next_start_tag(void)
{
    while (cursor < text_len) {
        const char *p = memchr(text + cursor, '<', text_len - cursor);
        if (!p)
            break;
        size_t at = (size_t)(p - text);
        if (!strncmp(p, "<!--", 4))
            cursor = skip_past(at, "-->");
        else if (!strncmp(p, "<![CDATA[", 9))
            cursor = skip_past(at, "]]>");
        else if (!strncmp(p, "<?", 2))
            cursor = skip_past(at, "?>");
        else if (p[1] == '!' || p[1] == '/')
            cursor = skip_past(at, ">");
        else {
            cursor = at + 1;
            return at;
        }
    }
    return text_len;
}

/* position of attribute `name` inside the start tag at `tag` */
static size_t attr_offset(size_t tag, const char *name)
{
    size_t i = tag + 1, n = strlen(name);
    while (i < text_len && !strchr(" \t\r\n/>", text[i]))
        i++;
    while (i < text_len) {
        while (i < text_len && strchr(" \t\r\n", text[i]))
            i++;
        if (i >= text_len || text[i] == '>' || text[i] == '/')
            break;
        size_t a = i;
        while (i < text_len && !strchr(" \t\r\n=/>", text[i]))
            i++;
        if (i - a == n && !strncmp(text + a, name, n))
            return a;
        while (i < text_len && text[i] != '=' && text[i] != '>')
            i++;
        if (i < text_len && text[i] == '=') {
            i++;
            while (i < text_len && strchr(" \t\r\n", text[i]))
                i++;
            if (i < text_len && (text[i] == '"' || text[i] == '\'')) {
                char q = text[i++];
                while (i < text_len && text[i] != q)
                    i++;
                i++;
            }
        }
    }
    return tag;
}

static elem_t elem_of(xmlNode *n)
{
    elem_t e = {n, next_start_tag(), {0, 0}};
    e.loc = loc_of(e.off);
    return e;
}

loc_t aloc(const elem_t *e, const char *name) { return loc_of(attr_offset(e->off, name)); }

/* position of a namespaced attribute: its text is "prefix:name" */
static loc_t aloc_ns(const elem_t *e, const char *name)
{
    size_t i = e->off, n = strlen(name);
    for (; i + n + 1 < text_len && text[i] != '>'; i++)
        if (text[i] == ':' && !strncmp(text + i + 1, name, n) && strchr(" \t\r\n=", text[i + 1 + n])) {
            size_t start = i;
            while (start > e->off && !strchr(" \t\r\n", text[start - 1]))
                start--;
            return loc_of(start);
        }
    return e->loc;
}

char *attr(const elem_t *e, const char *name)
{
    xmlChar *v = xmlGetProp(e->node, (const xmlChar *)name);
    if (!v)
        return NULL;
    char *s = strdup((const char *)v);
    xmlFree(v);
    return s;
}

char *need(const elem_t *e, const char *name)
{
    char *v = attr(e, name);
    if (!v)
        fail_at(e->loc, "<%s> is missing the required attribute '%s'", (const char *)e->node->name, name);
    return v;
}

/* Every attribute must be one the element knows (Microkit refuses the rest). */
void only_attrs(const elem_t *e, const char *const *allowed)
{
    for (xmlAttr *a = e->node->properties; a; a = a->next) {
        if (a->ns)
            continue; /* attributes in other namespaces belong to other tools */
        bool ok = false;
        for (const char *const *p = allowed; *p; p++)
            ok |= !strcmp(*p, (const char *)a->name);
        if (!ok)
            fail_at(aloc(e, (const char *)a->name), "invalid attribute '%s' on <%s>", (const char *)a->name,
                    (const char *)e->node->name);
    }
}

static bool parse_u64(const char *s, uint64_t *out)
{
    char buf[80];
    size_t n = 0;
    for (const char *p = s; *p; p++)
        if (*p != '_') {
            if (n + 1 >= sizeof buf)
                return false;
            buf[n++] = *p;
        }
    buf[n] = 0;
    if (!n || buf[0] == '-' || buf[0] == '+' || buf[0] == ' ')
        return false;
    char *end;
    errno = 0;
    unsigned long long v = (n > 2 && buf[0] == '0' && (buf[1] == 'x' || buf[1] == 'X')) ? strtoull(buf + 2, &end, 16)
                                                                                        : strtoull(buf, &end, 10);
    if (errno || *end || end == buf)
        return false;
    *out = v;
    return true;
}

uint64_t num(const elem_t *e, const char *name, const char *v)
{
    uint64_t x;
    if (!parse_u64(v, &x))
        fail_at(aloc(e, name), "'%s' of <%s> is not a number: '%s'", name, (const char *)e->node->name, v);
    return x;
}

bool boolean(const elem_t *e, const char *name, const char *v)
{
    if (!strcmp(v, "true"))
        return true;
    if (!strcmp(v, "false"))
        return false;
    fail_at(aloc(e, name), "'%s' of <%s> must be 'true' or 'false', not '%s'", name, (const char *)e->node->name, v);
}

#define GROW(arr, n) \
    ((arr) = realloc((arr), sizeof *(arr) * (size_t)((n) + 1)), memset(&(arr)[(n)], 0, sizeof *(arr)), &(arr)[(n)++])

static bool is_element(xmlNode *n) { return n->type == XML_ELEMENT_NODE; }
static bool named(xmlNode *n, const char *s) { return !strcmp((const char *)n->name, s); }

static char *resolve_program(const char *path, const char *const *search, int n_search)
{
    struct stat st;
    if (path[0] == '/')
        return stat(path, &st) == 0 && S_ISREG(st.st_mode) ? strdup(path) : NULL;
    for (int i = 0; i < n_search; i++) {
        char buf[PATH_MAX];
        snprintf(buf, sizeof buf, "%s/%s", search[i], path);
        if (stat(buf, &st) == 0 && S_ISREG(st.st_mode))
            return strdup(buf);
    }
    if (n_search == 0 && stat(path, &st) == 0 && S_ISREG(st.st_mode))
        return strdup(path);
    return NULL;
}

static sdf_system_t *S;
static const char *const *search_paths;
static int n_search_paths;

static void parse_map(const elem_t *e, sdf_pd_t *pd)
{
    static const char *const ok[] = {
        "mr", "vaddr", "perms", "cached", "setvar_vaddr", "setvar_size", "setvar_prefill_size", NULL};
    only_attrs(e, ok);
    sdf_map_t *m = GROW(pd->maps, pd->n_maps);
    m->loc = e->loc;
    m->mr_name = need(e, "mr");
    m->mr = -1;
    m->vaddr = num(e, "vaddr", need(e, "vaddr"));
    m->vaddr_loc = aloc(e, "vaddr");
    char *p = attr(e, "perms");
    m->perms = PERM_R | PERM_W;
    if (p) {
        m->perms = 0;
        if (!*p)
            fail_at(aloc(e, "perms"), "'perms' of <map> is empty: give any of r, w and x");
        for (char *c = p; *c; c++) {
            int bit = *c == 'r' ? PERM_R : *c == 'w' ? PERM_W : *c == 'x' ? PERM_X : 0;
            if (!bit)
                fail_at(aloc(e, "perms"), "'perms' of <map> may only contain r, w and x, not '%c'", *c);
            if (m->perms & bit)
                fail_at(aloc(e, "perms"), "'perms' of <map> names '%c' twice", *c);
            m->perms |= bit;
        }
        if ((m->perms & PERM_W) && !(m->perms & PERM_R))
            fail_at(aloc(e, "perms"), "'perms' of <map> is write-only ('%s'): write needs read", p);
    }
    char *c = attr(e, "cached");
    m->cached = c ? boolean(e, "cached", c) : true;
    m->setvar_vaddr = attr(e, "setvar_vaddr");
    m->setvar_loc = aloc(e, "setvar_vaddr");
    m->setvar_size = attr(e, "setvar_size");
    m->setvar_size_loc = aloc(e, "setvar_size");
    m->setvar_prefill_size = attr(e, "setvar_prefill_size");
    m->setvar_prefill_size_loc = aloc(e, "setvar_prefill_size");
    for (xmlAttr *a = e->node->properties; a; a = a->next) {
        if (!a->ns || strcmp((const char *)a->ns->href, HYPOS_SDF_NS))
            continue;
        const char *an = (const char *)a->name;
        if (strcmp(an, "jit_write"))
            fail_at(aloc_ns(e, an), "invalid hypOS attribute '%s' on <map>: only jit_write", an);
        xmlChar *xv = xmlGetNsProp(e->node, a->name, (const xmlChar *)HYPOS_SDF_NS);
        m->jit_write = strdup(xv ? (const char *)xv : "");
        xmlFree(xv);
        m->jit_write_loc = aloc_ns(e, an);
        if (!*m->jit_write)
            fail_at(m->jit_write_loc, "'jit_write' of <map> is empty: name the symbol that receives the frames");
    }
}

static void parse_irq(const elem_t *e, sdf_pd_t *pd)
{
    static const char *const ok[] = {"irq", "id", "trigger", "setvar_id", NULL};
    only_attrs(e, ok);
    sdf_irq_t *q = GROW(pd->irqs, pd->n_irqs);
    q->loc = e->loc;
    q->irq = num(e, "irq", need(e, "irq"));
    q->irq_loc = aloc(e, "irq");
    uint64_t id = num(e, "id", need(e, "id"));
    q->id_loc = aloc(e, "id");
    if (id > 61)
        fail_at(q->id_loc, "<irq> id %llu is out of range: ids are 0 to 61", (unsigned long long)id);
    q->id = (int)id;
    if (q->irq == 0 || q->irq > 96)
        fail_at(q->irq_loc, "<irq> number %llu is not an interrupt source of the qemu_virt_riscv64 PLIC (1 to 96)",
                (unsigned long long)q->irq);
    char *t = attr(e, "trigger");
    q->trigger = 0;
    if (t) {
        if (!strcmp(t, "edge"))
            q->trigger = 1;
        else if (strcmp(t, "level"))
            fail_at(aloc(e, "trigger"), "<irq> trigger must be 'level' or 'edge', not '%s'", t);
    }
    q->setvar_id = attr(e, "setvar_id");
}

static void parse_setvar(const elem_t *e, sdf_pd_t *pd)
{
    static const char *const ok[] = {"symbol", "region_paddr", NULL};
    only_attrs(e, ok);
    sdf_setvar_t *v = GROW(pd->setvars, pd->n_setvars);
    v->loc = e->loc;
    v->symbol = need(e, "symbol");
    v->symbol_loc = aloc(e, "symbol");
    v->region_paddr = need(e, "region_paddr");
    v->mr = -1;
}

static int parse_pd(const elem_t *e, int parent);

static void parse_pd_children(const elem_t *pe, int self)
{
    bool have_program = false;
    for (xmlNode *c = pe->node->children; c; c = c->next) {
        if (!is_element(c))
            continue;
        elem_t e = elem_of(c);
        sdf_pd_t *pd = &S->pds[self];
        if (named(c, "program_image")) {
            static const char *const ok[] = {"path", "path_for_symbols", NULL};
            only_attrs(&e, ok);
            if (have_program)
                fail_at(e.loc, "protection domain '%s' has more than one <program_image>", pd->name);
            have_program = true;
            pd->program = need(&e, "path");
            pd->program_loc = aloc(&e, "path");
            if (attr(&e, "path_for_symbols"))
                fail_at(aloc(&e, "path_for_symbols"), "'path_for_symbols' is not supported by hypOS yet");
        } else if (named(c, "map")) {
            parse_map(&e, pd);
        } else if (named(c, "irq")) {
            parse_irq(&e, pd);
        } else if (named(c, "setvar")) {
            parse_setvar(&e, pd);
        } else if (named(c, "protection_domain")) {
            parse_pd(&e, self);
        } else if (named(c, "virtual_machine")) {
            fail_at(e.loc,
                    "<virtual_machine> is not supported on riscv64 by hypOS yet (no hypervisor extension support)");
        } else if (named(c, "ioport")) {
            fail_at(e.loc, "<ioport> is only valid on x86_64, not on qemu_virt_riscv64");
        } else if (named(c, "cspace")) {
            fail_at(e.loc, "<cspace> (capability sharing) is not supported by hypOS yet");
        } else {
            fail_at(e.loc, "invalid element <%s> inside <protection_domain>", (const char *)c->name);
        }
    }
    sdf_pd_t *pd = &S->pds[self];
    if (!have_program)
        fail_at(pe->loc, "protection domain '%s' has no <program_image>", pd->name);
    pd->program_path = resolve_program(pd->program, search_paths, n_search_paths);
    if (!pd->program_path)
        fail_at(pd->program_loc, "program image '%s' of protection domain '%s' not found on the search path",
                pd->program, pd->name);
}

/* ---- <domains>: domain names and ids, and one <domain_schedule> ---- */

static int domain_by_name(const char *name)
{
    for (int i = 0; i < S->domains.n_domains; i++)
        if (!strcmp(S->domains.domains[i].name, name))
            return S->domains.domains[i].id;
    return -1;
}

/* duration="N us" or "N ticks": kernel ticks, microseconds rounded up to
 * whole ticks */
static uint64_t schedule_ticks(const elem_t *e, const char *v)
{
    char number[80];
    const char *space = strchr(v, ' ');
    if (!space || (size_t)(space - v) >= sizeof number)
        fail_at(aloc(e, "duration"), "duration '%s' needs a number and a unit, e.g. '2000 us' or '5 ticks'", v);
    memcpy(number, v, (size_t)(space - v));
    number[space - v] = 0;
    const char *unit = space + 1;
    uint64_t n;
    if (!parse_u64(number, &n))
        fail_at(aloc(e, "duration"), "duration '%s' does not start with a number", v);
    if (n == 0)
        fail_at(aloc(e, "duration"), "duration '%s' is zero (an end marker is <schedule_end_marker/>)", v);
    uint64_t ticks;
    if (!strcmp(unit, "ticks"))
        ticks = n;
    else if (!strcmp(unit, "us"))
        ticks = n / SDF_TICK_US + (n % SDF_TICK_US != 0);
    else
        fail_at(aloc(e, "duration"), "duration '%s' must be in 'us' or 'ticks'", v);
    if (ticks >= 1ull << 56)
        fail_at(aloc(e, "duration"), "duration '%s' does not fit the kernel's 56 bits of ticks", v);
    return ticks;
}

/* Read in document order (element positions come from a forward scan);
 * domain names are resolved once all of <domains> is read. */
/* Read in document order (element positions come from a forward scan);
 * domain names are resolved once all of <domains> is read. */
static void parse_domain_schedule(const elem_t *e)
{
    sdf_domains_t *d = &S->domains;
    only_attrs(e, (const char *const[]){"start_index", "index_shift", NULL});
    d->schedule_loc = e->loc;
    d->shift_loc = e->loc;
    char *v;
    if ((v = attr(e, "start_index")))
        d->start_index = num(e, "start_index", v);
    if ((v = attr(e, "index_shift"))) {
        d->index_shift = num(e, "index_shift", v);
        d->shift_loc = aloc(e, "index_shift");
    }
    for (xmlNode *c = e->node->children; c; c = c->next) {
        if (!is_element(c))
            continue;
        elem_t ce = elem_of(c);
        if (d->n_entries >= SDF_DOMAIN_SCHEDULE_ENTRIES - 1)
            fail_at(ce.loc, "more than %d schedule entries: the kernel's table has %d, the last an end marker",
                    SDF_DOMAIN_SCHEDULE_ENTRIES - 1, SDF_DOMAIN_SCHEDULE_ENTRIES);
        sdf_schedule_entry_t *en = GROW(d->entries, d->n_entries);
        en->loc = ce.loc;
        if (named(c, "schedule_entry")) {
            only_attrs(&ce, (const char *const[]){"domain", "duration", NULL});
            en->domain_name = need(&ce, "domain");
            en->domain_loc = aloc(&ce, "domain");
            en->ticks = schedule_ticks(&ce, need(&ce, "duration"));
        } else if (named(c, "schedule_end_marker")) {
            only_attrs(&ce, (const char *const[]){NULL});
        } else {
            fail_at(ce.loc, "invalid element <%s> inside <domain_schedule>", (const char *)c->name);
        }
    }
}

static void check_domain_schedule(void)
{
    sdf_domains_t *d = &S->domains;
    for (int i = 0; i < d->n_entries; i++) {
        sdf_schedule_entry_t *en = &d->entries[i];
        if (en->domain_name && (en->domain = domain_by_name(en->domain_name)) < 0)
            fail_at(en->domain_loc, "<schedule_entry> names domain '%s', which <domains> does not declare",
                    en->domain_name);
    }
    if (d->start_index >= (uint64_t)d->n_entries)
        fail_at(d->schedule_loc, "start_index %llu is not an entry of the schedule (%d entries)",
                (unsigned long long)d->start_index, d->n_entries);
    if (d->entries[d->start_index].ticks == 0)
        fail_at(d->entries[d->start_index].loc, "the schedule cannot start at an end marker (start_index %llu)",
                (unsigned long long)d->start_index);
    if (d->index_shift + (uint64_t)d->n_entries > SDF_DOMAIN_SCHEDULE_ENTRIES - 1)
        fail_at(d->shift_loc,
                "index_shift %llu with %d entries passes the kernel's table of %d (the last an end marker)",
                (unsigned long long)d->index_shift, d->n_entries, SDF_DOMAIN_SCHEDULE_ENTRIES);
}

static void parse_domains(const elem_t *e)
{
    sdf_domains_t *d = &S->domains;
    if (d->present)
        fail_at(e->loc, "<domains> appears twice (first at line %d)", d->loc.line);
    only_attrs(e, (const char *const[]){NULL});
    d->present = true;
    d->loc = e->loc;
    bool have_schedule = false;
    for (xmlNode *c = e->node->children; c; c = c->next) {
        if (!is_element(c))
            continue;
        elem_t ce = elem_of(c);
        if (named(c, "domain_schedule")) {
            if (have_schedule)
                fail_at(ce.loc, "<domain_schedule> appears twice in <domains>");
            have_schedule = true;
            parse_domain_schedule(&ce);
            continue;
        }
        if (!named(c, "domain"))
            fail_at(ce.loc, "invalid element <%s> inside <domains>", (const char *)c->name);
        only_attrs(&ce, (const char *const[]){"name", "id", NULL});
        sdf_domain_t *dom = GROW(d->domains, d->n_domains);
        dom->name = need(&ce, "name");
        dom->loc = ce.loc;
        dom->id = -1;
        for (int i = 0; i < d->n_domains - 1; i++)
            if (!strcmp(d->domains[i].name, dom->name))
                fail_at(aloc(&ce, "name"), "duplicate domain name '%s' (first at line %d)", dom->name,
                        d->domains[i].loc.line);
        char *v;
        if ((v = attr(&ce, "id"))) {
            uint64_t id = num(&ce, "id", v);
            if (id >= SDF_NUM_DOMAINS)
                fail_at(aloc(&ce, "id"), "domain id %llu is out of range: the kernel has domains 0 to %d",
                        (unsigned long long)id, SDF_NUM_DOMAINS - 1);
            for (int i = 0; i < d->n_domains - 1; i++)
                if (d->domains[i].id == (int)id)
                    fail_at(aloc(&ce, "id"), "domain id %llu is already '%s'", (unsigned long long)id,
                            d->domains[i].name);
            dom->id = (int)id;
        }
    }
    /* names without an id get the lowest one free */
    for (int i = 0; i < d->n_domains; i++) {
        if (d->domains[i].id >= 0)
            continue;
        for (int id = 0; id < SDF_NUM_DOMAINS && d->domains[i].id < 0; id++) {
            bool used = false;
            for (int k = 0; k < d->n_domains; k++)
                used |= d->domains[k].id == id;
            if (!used)
                d->domains[i].id = id;
        }
        if (d->domains[i].id < 0)
            fail_at(d->domains[i].loc, "domain '%s' has no id left: the kernel has %d domains", d->domains[i].name,
                    SDF_NUM_DOMAINS);
    }
    if (!have_schedule)
        fail_at(e->loc, "<domains> needs one <domain_schedule>");
    check_domain_schedule();
}

static int parse_pd(const elem_t *e, int parent)
{
    static const char *const ok_top[] = {"name", "priority", "budget", "period", "passive", "stack_size",
                                         "cpu",  "smc",      "fpu",    "domain", NULL};
    static const char *const ok_child[] = {"name", "priority", "budget", "period", "passive",   "stack_size", "cpu",
                                           "smc",  "fpu",      "domain", "id",     "setvar_id", NULL};
    only_attrs(e, parent < 0 ? ok_top : ok_child);
    int self = S->n_pds;
    sdf_pd_t *pd = GROW(S->pds, S->n_pds);
    pd->loc = e->loc;
    pd->parent = parent;
    pd->child_id = -1;
    pd->name = need(e, "name");
    if (strlen(pd->name) > 64)
        fail_at(aloc(e, "name"), "protection domain name '%s' is longer than 64 characters", pd->name);
    if (!*pd->name)
        fail_at(aloc(e, "name"), "protection domain name is empty");
    if (!strcmp(pd->name, "monitor"))
        fail_at(aloc(e, "name"), "protection domain name 'monitor' is reserved for the system's monitor");
    for (int i = 0; i < self; i++)
        if (!strcmp(S->pds[i].name, pd->name))
            fail_at(aloc(e, "name"), "duplicate protection domain name '%s' (first at line %d)", pd->name,
                    S->pds[i].loc.line);
    char *v;
    pd->priority = 0;
    if ((v = attr(e, "priority"))) {
        uint64_t p = num(e, "priority", v);
        if (p > 254)
            fail_at(aloc(e, "priority"), "priority %llu of '%s' is out of range: 0 to 254", (unsigned long long)p,
                    pd->name);
        pd->priority = (int)p;
    }
    /* budget and period: microseconds within the kernel's limits, budget
     * at most the period (a PD cannot be given more than all of its
     * period); without MCS only Microkit's defaults, which then mean
     * nothing, are accepted */
    pd->budget_us = 1000;
    pd->budget_loc = pd->period_loc = pd->passive_loc = e->loc;
    if ((v = attr(e, "budget"))) {
        pd->budget_loc = aloc(e, "budget");
        pd->budget_us = num(e, "budget", v);
        if (!sdf_mcs && pd->budget_us != 1000)
            fail_at(pd->budget_loc,
                    "budget of '%s' cannot be enforced: the SDK's kernel is not the MCS configuration "
                    "(build the SDK with make MCS=1 sdk)",
                    pd->name);
        if (pd->budget_us < SDF_MIN_BUDGET_US || pd->budget_us > SDF_MAX_PERIOD_US)
            fail_at(pd->budget_loc, "budget %llu us of '%s' is out of range: %llu to %llu us",
                    (unsigned long long)pd->budget_us, pd->name, SDF_MIN_BUDGET_US, SDF_MAX_PERIOD_US);
    }
    pd->period_us = pd->budget_us;
    if ((v = attr(e, "period"))) {
        pd->period_loc = aloc(e, "period");
        pd->period_us = num(e, "period", v);
        if (!sdf_mcs && pd->period_us != 1000)
            fail_at(pd->period_loc,
                    "period of '%s' cannot be enforced: the SDK's kernel is not the MCS configuration "
                    "(build the SDK with make MCS=1 sdk)",
                    pd->name);
        if (pd->period_us < SDF_MIN_BUDGET_US || pd->period_us > SDF_MAX_PERIOD_US)
            fail_at(pd->period_loc, "period %llu us of '%s' is out of range: %llu to %llu us",
                    (unsigned long long)pd->period_us, pd->name, SDF_MIN_BUDGET_US, SDF_MAX_PERIOD_US);
        if (pd->budget_us > pd->period_us)
            fail_at(pd->budget_loc, "budget (%llu us) of '%s' is larger than its period (%llu us)",
                    (unsigned long long)pd->budget_us, pd->name, (unsigned long long)pd->period_us);
    }
    if ((v = attr(e, "passive"))) {
        pd->passive_loc = aloc(e, "passive");
        pd->passive = boolean(e, "passive", v);
        if (pd->passive && !sdf_mcs)
            fail_at(pd->passive_loc,
                    "passive protection domain '%s' needs the MCS kernel configuration "
                    "(build the SDK with make MCS=1 sdk)",
                    pd->name);
    }
    pd->stack_size = PD_DEFAULT_STACK;
    if ((v = attr(e, "stack_size"))) {
        uint64_t s = num(e, "stack_size", v);
        if (s % 4096)
            fail_at(aloc(e, "stack_size"), "stack_size 0x%llx of '%s' is not a multiple of the page size (0x1000)",
                    (unsigned long long)s, pd->name);
        if (s < 4096 || s > 16ull << 20)
            fail_at(aloc(e, "stack_size"), "stack_size 0x%llx of '%s' is out of range: 0x1000 to 0x1000000",
                    (unsigned long long)s, pd->name);
        pd->stack_size = s;
    }
    if ((v = attr(e, "cpu")) && num(e, "cpu", v) != 0)
        fail_at(aloc(e, "cpu"), "cpu %s of '%s' does not exist: qemu_virt_riscv64 systems run on core 0 only", v,
                pd->name);
    if ((v = attr(e, "smc")))
        fail_at(aloc(e, "smc"), "'smc' is only valid on ARM boards, not on qemu_virt_riscv64");
    if ((v = attr(e, "fpu")))
        pd->no_fpu = !boolean(e, "fpu", v);
    if ((v = attr(e, "domain"))) {
        pd->domain_name = v; /* resolved once <domains> is read */
        pd->domain_loc = aloc(e, "domain");
    }
    loc_t max_restarts_loc = {0};
    for (xmlAttr *a = e->node->properties; a; a = a->next) {
        if (!a->ns || strcmp((const char *)a->ns->href, HYPOS_SDF_NS))
            continue;
        const char *an = (const char *)a->name;
        bool is_period = !strcmp(an, "restart_period");
        if (strcmp(an, "max_restarts") && !is_period)
            fail_at(aloc_ns(e, an),
                    "invalid hypOS attribute '%s' on <protection_domain>: only max_restarts and restart_period", an);
        xmlChar *xv = xmlGetNsProp(e->node, a->name, (const xmlChar *)HYPOS_SDF_NS);
        char *val = strdup(xv ? (const char *)xv : "");
        xmlFree(xv);
        uint64_t r;
        if (!parse_u64(val, &r))
            fail_at(aloc_ns(e, an), "'%s' of <protection_domain> is not a number: '%s'", an, val);
        if (parent >= 0 && (r || is_period))
            fail_at(aloc_ns(e, an), "'%s' is a child: its parent restarts it through fault(), not the monitor",
                    pd->name);
        if (is_period) {
            /* microseconds, as Microkit's budget and period */
            if (r < 1 || r > 3600000000ull)
                fail_at(aloc_ns(e, an), "restart_period %llu of '%s' is out of range: 1 to 3600000000 (us)",
                        (unsigned long long)r, pd->name);
            pd->restart_period_us = r;
            pd->restart_period_loc = aloc_ns(e, an);
        } else {
            if (r > 1000000)
                fail_at(aloc_ns(e, an), "max_restarts %llu of '%s' is out of range: 0 to 1000000",
                        (unsigned long long)r, pd->name);
            pd->max_restarts = (int)r;
            max_restarts_loc = aloc_ns(e, an);
        }
    }
    if (pd->restart_period_us && !pd->max_restarts)
        fail_at(pd->restart_period_loc, "restart_period of '%s' needs max_restarts (how many restarts per period)",
                pd->name);
    if (pd->restart_period_us && pd->max_restarts > MONITOR_MAX_RESTARTS_PER_PERIOD)
        fail_at(max_restarts_loc, "max_restarts %d of '%s' is out of range with a restart_period: 1 to %d",
                pd->max_restarts, pd->name, MONITOR_MAX_RESTARTS_PER_PERIOD);
    if (parent >= 0) {
        uint64_t id = num(e, "id", need(e, "id"));
        pd->id_loc = aloc(e, "id");
        if (id > 61)
            fail_at(pd->id_loc, "child id %llu of '%s' is out of range: 0 to 61", (unsigned long long)id, pd->name);
        for (int i = 0; i < self; i++)
            if (S->pds[i].parent == parent && S->pds[i].child_id == (int)id)
                fail_at(pd->id_loc, "duplicate child id %llu in '%s' (also '%s')", (unsigned long long)id,
                        S->pds[parent].name, S->pds[i].name);
        pd->child_id = (int)id;
        pd->setvar_id = attr(e, "setvar_id");
    }
    parse_pd_children(e, self);
    return self;
}

static void parse_mr(const elem_t *e)
{
    static const char *const ok[] = {"name", "size", "page_size", "phys_addr", "prefill_path", NULL};
    only_attrs(e, ok);
    sdf_mr_t *m = GROW(S->mrs, S->n_mrs);
    m->loc = e->loc;
    m->name = need(e, "name");
    for (int i = 0; i < S->n_mrs - 1; i++)
        if (!strcmp(S->mrs[i].name, m->name))
            fail_at(aloc(e, "name"), "duplicate memory region name '%s' (first at line %d)", m->name,
                    S->mrs[i].loc.line);
    m->prefill = attr(e, "prefill_path");
    for (xmlAttr *a = e->node->properties; a; a = a->next) {
        if (!a->ns || strcmp((const char *)a->ns->href, HYPOS_SDF_NS))
            continue;
        const char *an = (const char *)a->name;
        if (strcmp(an, "boot_log"))
            fail_at(aloc_ns(e, an), "invalid hypOS attribute '%s' on <memory_region>: only boot_log", an);
        xmlChar *xv = xmlGetNsProp(e->node, a->name, (const xmlChar *)HYPOS_SDF_NS);
        char *val = strdup(xv ? (const char *)xv : "");
        xmlFree(xv);
        m->boot_log_loc = aloc_ns(e, an);
        if (strcmp(val, "true") && strcmp(val, "false"))
            fail_at(m->boot_log_loc, "'boot_log' of <memory_region> is not a boolean (true|false): '%s'", val);
        m->boot_log = !strcmp(val, "true");
        free(val);
    }
    char *v = attr(e, "size");
    m->size_loc = aloc(e, "size");
    if (v)
        m->size = num(e, "size", v);
    else if (!m->prefill)
        fail_at(e->loc, "<memory_region> is missing the required attribute 'size'");
    if (v && m->size == 0)
        fail_at(m->size_loc, "memory region '%s' has size 0", m->name);
    m->page_size_loc = aloc(e, "page_size");
    if ((v = attr(e, "page_size"))) {
        m->page_size = num(e, "page_size", v);
        if (m->page_size != 0x1000 && m->page_size != 0x200000)
            fail_at(m->page_size_loc, "page_size 0x%llx of '%s' is not supported: 0x1000 or 0x200000",
                    (unsigned long long)m->page_size, m->name);
    }
    m->paddr_loc = aloc(e, "phys_addr");
    if ((v = attr(e, "phys_addr"))) {
        m->fixed = true;
        m->paddr = num(e, "phys_addr", v);
    }
    if (m->prefill) {
        struct stat st;
        char *p = resolve_program(m->prefill, search_paths, n_search_paths);
        if (!p || stat(p, &st))
            fail_at(aloc(e, "prefill_path"), "prefill file '%s' of '%s' not found", m->prefill, m->name);
        m->prefill_bytes = (uint64_t)st.st_size;
        if (!m->size)
            m->size = ((uint64_t)st.st_size + 0xfff) & ~0xfffull;
        if ((uint64_t)st.st_size > m->size)
            fail_at(aloc(e, "prefill_path"), "prefill file '%s' (%lld bytes) is larger than memory region '%s'",
                    m->prefill, (long long)st.st_size, m->name);
        m->prefill = p;
    }
    if (!m->page_size) /* the largest page size the size and address allow */
        m->page_size = (m->size % 0x200000 == 0 && (!m->fixed || m->paddr % 0x200000 == 0)) ? 0x200000 : 0x1000;
    if (m->size % m->page_size)
        fail_at(m->size_loc, "size 0x%llx of memory region '%s' is not a multiple of its page size 0x%llx",
                (unsigned long long)m->size, m->name, (unsigned long long)m->page_size);
    if (m->fixed && m->paddr % m->page_size)
        fail_at(m->paddr_loc, "phys_addr 0x%llx of memory region '%s' is not aligned to its page size 0x%llx",
                (unsigned long long)m->paddr, m->name, (unsigned long long)m->page_size);
}

char *sdf_find_file(const char *path, uint64_t *bytes)
{
    struct stat st;
    char *p = resolve_program(path, search_paths, n_search_paths);
    if (!p || stat(p, &st)) {
        free(p);
        return NULL;
    }
    *bytes = (uint64_t)st.st_size;
    return p;
}

static int pd_by_name(const char *n)
{
    for (int i = 0; i < S->n_pds; i++)
        if (!strcmp(S->pds[i].name, n))
            return i;
    return -1;
}

typedef struct pending_end {
    char *pd;
} pending_end_t;

static pending_end_t (*chan_names)[2];

static void parse_channel(const elem_t *e)
{
    only_attrs(e, (const char *const[]){NULL});
    sdf_channel_t *ch = GROW(S->channels, S->n_channels);
    chan_names = realloc(chan_names, sizeof *chan_names * (size_t)S->n_channels);
    ch->loc = e->loc;
    int n = 0;
    for (xmlNode *c = e->node->children; c; c = c->next) {
        if (!is_element(c))
            continue;
        elem_t ee = elem_of(c);
        if (!named(c, "end"))
            fail_at(ee.loc, "invalid element <%s> inside <channel>: only <end>", (const char *)c->name);
        if (n == 2)
            fail_at(ee.loc, "<channel> has more than two <end> elements");
        static const char *const ok[] = {"pd", "id", "pp", "notify", "setvar_id", NULL};
        only_attrs(&ee, ok);
        sdf_end_t *end = &ch->end[n];
        end->loc = ee.loc;
        chan_names[S->n_channels - 1][n].pd = need(&ee, "pd");
        end->pd_loc = aloc(&ee, "pd");
        uint64_t id = num(&ee, "id", need(&ee, "id"));
        end->id_loc = aloc(&ee, "id");
        if (id > 61)
            fail_at(end->id_loc, "channel end id %llu is out of range: 0 to 61", (unsigned long long)id);
        end->id = (int)id;
        char *v = attr(&ee, "pp");
        end->pp = v ? boolean(&ee, "pp", v) : false;
        end->pp_loc = aloc(&ee, "pp");
        v = attr(&ee, "notify");
        end->notify = v ? boolean(&ee, "notify", v) : true;
        end->setvar_id = attr(&ee, "setvar_id");
        n++;
    }
    if (n != 2)
        fail_at(e->loc, "<channel> must have exactly two <end> elements, it has %d", n);
}

/* libxml2 goes on after the first error; the first one is the cause */
static struct {
    bool set;
    int line, col;
    char msg[256];
} first_error;

static void keep_first_error(void *ctx, const xmlError *err)
{
    (void)ctx;
    if (first_error.set || !err)
        return;
    first_error.set = true;
    first_error.line = err->line;
    first_error.col = err->int2;
    snprintf(first_error.msg, sizeof first_error.msg, "%s", err->message ? err->message : "");
    size_t m = strlen(first_error.msg);
    while (m && (first_error.msg[m - 1] == '\n' || first_error.msg[m - 1] == ' '))
        first_error.msg[--m] = 0;
}

static xmlDoc *doc;

void sdf_parse(const char *file, const char *const *search, int n_search, sdf_system_t *sys)
{
    diag_set_file(file);
    FILE *f = fopen(file, "rb");
    if (!f)
        fail("cannot open system description '%s': %s", file, strerror(errno));
    char *buf = NULL;
    size_t len = 0, cap = 0, got;
    do {
        if (len + 4096 + 1 > cap)
            buf = realloc(buf, cap = 2 * cap + 8192);
        got = fread(buf + len, 1, cap - len - 1, f);
        len += got;
    } while (got);
    fclose(f);
    buf[len] = 0;
    sdf_parse_buffer(file, buf, len, search, n_search, sys);
}

void sdf_parse_buffer(const char *file, const char *buf, size_t len, const char *const *search, int n_search,
                      sdf_system_t *sys)
{
    S = sys;
    memset(sys, 0, sizeof *sys);
    sys->file = file;
    diag_set_file(file);
    search_paths = search;
    n_search_paths = n_search;
    text = buf;
    text_len = len;
    cursor = 0;
    index_lines();
    trace_reset();
    bpfpd_reset();
    memset(&first_error, 0, sizeof first_error);
    if (doc)
        xmlFreeDoc(doc);
    doc = NULL;
    xmlSetStructuredErrorFunc(NULL, (xmlStructuredErrorFunc)keep_first_error);
    if (len > INT_MAX)
        fail("system description '%s' is too large", file);
    doc = xmlReadMemory(buf, (int)len, file, NULL, XML_PARSE_NONET | XML_PARSE_NOWARNING);
    if (!doc || first_error.set) {
        loc_t l = {first_error.line ? first_error.line : 1, first_error.col ? first_error.col : 1};
        fail_at(l, "malformed XML: %s", first_error.set ? first_error.msg : "cannot be parsed");
    }
    xmlNode *root = xmlDocGetRootElement(doc);
    if (!root)
        fail_at((loc_t){1, 1}, "empty system description");
    elem_t re = elem_of(root);
    if (!named(root, "system"))
        fail_at(re.loc, "the root element must be <system>, not <%s>", (const char *)root->name);
    only_attrs(&re, (const char *const[]){NULL});
    sys->loc = re.loc;
    for (xmlNode *c = root->children; c; c = c->next) {
        if (!is_element(c))
            continue;
        elem_t e = elem_of(c);
        if (named(c, "protection_domain"))
            parse_pd(&e, -1);
        else if (named(c, "memory_region"))
            parse_mr(&e);
        else if (named(c, "channel"))
            parse_channel(&e);
        else if (named(c, "domains"))
            parse_domains(&e);
        else if (c->ns && c->ns->href && !strcmp((const char *)c->ns->href, HYPOS_SDF_NS)) {
            if (!bpfpd_parse_element(&e))
                trace_parse_element(&e);
        } else if (named(c, "io_address_space"))
            fail_at(e.loc, "<io_address_space> is only valid on x86_64, not on qemu_virt_riscv64");
        else
            fail_at(e.loc, "invalid element <%s> inside <system>", (const char *)c->name);
    }
    /* channel ends name PDs that may appear after the channel */
    for (int i = 0; i < sys->n_channels; i++)
        for (int k = 0; k < 2; k++) {
            sdf_end_t *end = &sys->channels[i].end[k];
            end->pd = pd_by_name(chan_names[i][k].pd);
            if (end->pd < 0)
                fail_at(end->pd_loc, "channel end names protection domain '%s', which does not exist",
                        chan_names[i][k].pd);
        }
    /* PDs name domains that <domains>, maybe later in the file, declares;
     * with a schedule every PD names one (the monitor is in domain 0) */
    for (int i = 0; i < sys->n_pds; i++) {
        sdf_pd_t *pd = &sys->pds[i];
        if (pd->domain_name && !sys->domains.present)
            fail_at(pd->domain_loc, "'%s' names domain '%s' but the system has no <domains>", pd->name,
                    pd->domain_name);
        if (!pd->domain_name && sys->domains.present)
            fail_at(pd->loc, "'%s' needs a 'domain': the system has a domain schedule", pd->name);
        if (pd->domain_name && (pd->domain = domain_by_name(pd->domain_name)) < 0)
            fail_at(pd->domain_loc, "'%s' names domain '%s', which <domains> does not declare", pd->name,
                    pd->domain_name);
    }
    for (int i = 0; i < sys->n_pds; i++)
        for (int k = 0; k < sys->pds[i].n_maps; k++) {
            sdf_map_t *m = &sys->pds[i].maps[k];
            for (int j = 0; j < sys->n_mrs; j++)
                if (!strcmp(sys->mrs[j].name, m->mr_name))
                    m->mr = j;
            if (m->mr < 0)
                fail_at(m->loc, "<map> names memory region '%s', which does not exist", m->mr_name);
        }
    xmlFreeDoc(doc);
    doc = NULL;
}

int sdf_pd_named(const sdf_system_t *sys, const char *name)
{
    for (int i = 0; i < sys->n_pds; i++)
        if (!strcmp(sys->pds[i].name, name))
            return i;
    return -1;
}

int sdf_mr_named(const sdf_system_t *sys, const char *name)
{
    for (int i = 0; i < sys->n_mrs; i++)
        if (!strcmp(sys->mrs[i].name, name))
            return i;
    return -1;
}

const sdf_map_t *sdf_map_of(const sdf_system_t *sys, int pd, int mr)
{
    for (int k = 0; k < sys->pds[pd].n_maps; k++)
        if (sys->pds[pd].maps[k].mr == mr)
            return &sys->pds[pd].maps[k];
    return NULL;
}
