/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The questions of the interactive wizard: one readline prompt per missing
 * argument, with a default and completion of the kind of answer wanted.
 * The shell's own completion is saved and restored around each question.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <readline/readline.h>

#include "cmds/wizard/wizard_int.h"
#include "lib/util.h"
#include "model/nl/link.h"

/* Candidates for the question being asked (readline's generator has no argument). */
struct ask_state {
	char **words;
	size_t n, next;
};

static struct ask_state *ask_cur;	/* only set while a question is on screen */

/* readline generator over the current question's candidates. */
static char *ask_gen(const char *text, int state)
{
	size_t len = strlen(text);

	if (!ask_cur)
		return NULL;
	if (!state)
		ask_cur->next = 0;
	while (ask_cur->next < ask_cur->n) {
		const char *w = ask_cur->words[ask_cur->next++];

		if (!strncmp(w, text, len))
			return nsh_xstrdup(w);
	}
	return NULL;
}

/* Only the question's candidates complete, never file names. */
static char **ask_complete(const char *text, int start, int end)
{
	rl_attempted_completion_over = 1;
	return rl_completion_matches(text, ask_gen);
}

/* Append a candidate (copied). */
static void add_word(struct ask_state *s, const char *w)
{
	s->words = nsh_xrealloc(s->words, (s->n + 1) * sizeof(*s->words));
	s->words[s->n++] = nsh_xstrdup(w);
}

/* What may be answered to a question of kind vk. */
static void fill_words(struct ask_state *s, enum nsh_vk vk)
{
	static const char *const protos[] = { "tcp", "udp", "tcp+udp" };
	static const char *const yesno[] = { "yes", "no", "on", "off" };
	static const char *const kinds[] = { "masquerade", "forward" };
	struct nsh_links *l;
	size_t i, j;

	switch (vk) {
	case NSH_VK_PROTO:
		for (i = 0; i < 3; i++)
			add_word(s, protos[i]);
		break;
	case NSH_VK_STRING:
		for (i = 0; i < 4; i++)
			add_word(s, yesno[i]);
		break;
	case NSH_VK_WIZARD:
		for (i = 0; i < 2; i++)
			add_word(s, kinds[i]);
		break;
	case NSH_VK_IFACE:
	case NSH_VK_PREFIX:
	case NSH_VK_ADDR:
		l = nsh_links_dump();
		for (i = 0; l && i < l->n; i++) {
			const struct nsh_link *k = &l->links[i];

			if (vk == NSH_VK_IFACE) {
				add_word(s, k->name);
				continue;
			}
			for (j = 0; j < k->naddrs; j++) {
				char a[INET_ADDRSTRLEN], w[48];
				const struct nsh_link_addr *x = &k->addrs[j];
				struct in_addr net;

				if (x->family != AF_INET || x->addr[0] == 127)
					continue;
				memcpy(&net, x->addr, 4);
				if (vk == NSH_VK_PREFIX && x->plen)
					net.s_addr &= htonl(~0u << (32 - x->plen));
				inet_ntop(AF_INET, &net, a, sizeof(a));
				if (vk == NSH_VK_PREFIX)
					snprintf(w, sizeof(w), "%s/%u", a, x->plen);
				else
					snprintf(w, sizeof(w), "%s", a);
				add_word(s, w);
			}
		}
		nsh_links_free(l);
		break;
	default:
		break;
	}
}

/* See wizard_int.h: the shell's completion is restored afterwards. */
char *wiz_ask(struct nsh_ctx *ctx, const char *question, const char *def, enum nsh_vk vk)
{
	rl_completion_func_t *saved = rl_attempted_completion_function;
	struct ask_state s = { 0 };
	char prompt[256], *line, *ans;
	size_t i, b, e;

	fill_words(&s, vk);
	if (def && *def)
		snprintf(prompt, sizeof(prompt), "%s [%s]: ", question, def);
	else
		snprintf(prompt, sizeof(prompt), "%s: ", question);
	ask_cur = &s;
	rl_attempted_completion_function = ask_complete;
	line = readline(prompt);
	rl_attempted_completion_function = saved;
	ask_cur = NULL;
	for (i = 0; i < s.n; i++)
		free(s.words[i]);
	free(s.words);
	if (!line)
		return NULL;
	for (b = 0; line[b] == ' ' || line[b] == '\t'; b++)
		;
	for (e = strlen(line); e > b && (line[e - 1] == ' ' || line[e - 1] == '\t'); e--)
		;
	if (e == b && def)
		ans = nsh_xstrdup(def);
	else
		ans = nsh_xstrndup(line + b, e - b);
	free(line);
	return ans;
}
