/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * libFuzzer target for conntrack entries as the kernel sends them: a family
 * byte, a zero byte, then the message's attributes (tests/fuzz/corpus/ct:
 * real entries, written by decode_seeds.c ... ct).  What nsh_ct_parse takes
 * is rendered as a line, as text and as JSON, filtered, translated; then
 * written back with nsh_ct_build and read again: after one round the entry
 * must come back unchanged.  Crashes, sanitizer reports and leaks are
 * failures.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>

#include "lib/buf.h"
#include "model/ct.h"
#include "model/nl/ct.h"
#include "render/ct.h"
#include "render/out.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Read a message back; false when it does not parse. */
static bool reparse(const struct nsh_ct *in, struct nsh_ct *out, void *buf, size_t len)
{
	size_t n = nsh_ct_build(buf, len, IPCTNL_MSG_CT_NEW, 0, in);

	return n && nsh_ct_parse(buf, out) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint32_t msg[(1 << 16) / 4], back[(1 << 12) / 4];
	struct nsh_ct ct, once, twice, xl;
	struct nsh_ct_filter f;
	struct nlmsghdr *nlh;
	struct nfgenmsg *g;
	struct nsh_out *o;
	struct nsh_buf b;

	if (size < 2 || size > sizeof(msg) - 64)
		return 0;
	nlh = mnl_nlmsg_put_header(msg);
	nlh->nlmsg_type = (NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_NEW;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->nfgen_family = data[0] & 1 ? AF_INET6 : AF_INET;
	g->version = NFNETLINK_V0;
	memcpy((char *)nlh + nlh->nlmsg_len, data + 2, size - 2);
	nlh->nlmsg_len += (uint32_t)(size - 2);
	if (nsh_ct_parse(nlh, &ct) < 0)
		return 0;

	nsh_buf_init(&b);
	nsh_ct_render_line(&ct, &b);
	(void)nsh_ct_state_str(&ct);
	(void)nsh_ct_nat_str(&ct);
	nsh_ct_translated(&ct, &xl.orig);
	nsh_ct_filter_init(&f);
	(void)nsh_ct_filter_match(&f, &ct);
	o = nsh_out_mem(data[1] & 1);
	nsh_ct_render(o, &ct, &b);
	nsh_out_free(o);
	nsh_buf_free(&b);

	/* written back and read again: one round normalises, the second changes nothing */
	ct.zone = 0;		/* not written back */
	if (!reparse(&ct, &once, back, sizeof(back)))
		abort();
	if (!reparse(&once, &twice, back, sizeof(back)) || memcmp(&once, &twice, sizeof(once)))
		abort();
	return 0;
}
