/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Internals shared by the rule parser's files (rule_parse*.c); not an API. */
#ifndef NSH_RULE_PARSE_INT_H
#define NSH_RULE_PARSE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include "lib/err.h"
#include "lib/lex.h"
#include "model/model.h"
#include "model/syntax/rule_gram.h"
#include "model/syntax/rule_parse.h"

/* One parse (or completion walk) of one rule. */
struct nsh_rp {
	const char *line;
	size_t start, end;
	int family;
	struct nsh_rule *r;
	struct nsh_err *err;
	struct nsh_word *toks;
	size_t ntoks, pos;
	/* what earlier matches established, as nft's evaluation tracks it */
	int nfproto;		/* NFPROTO_IPV4/IPV6 once fixed, else 0 */
	const struct nsh_word *nf_tok;
	int l4proto;		/* protocol number once fixed, else -1 */
	int l4proto_alt;	/* after a set of protocols: another of them (its highest), else -1 */
	const struct nsh_word *l4_tok;
	bool l4_any;		/* some transport protocol match was seen */
	bool nocounter;
	bool comment_at;
	/* completion */
	bool completing;
	const char *partial;
	nsh_complete_fn fn;
	void *arg;
};

/* Candidate words collected for "expected ..." and "did you mean". */
struct nsh_rg_cands {
	char buf[16][32];
	const char *words[16];
	size_t n;
};
void nsh_rg_cands_add(void *arg, const char *word, const char *help);
const char *nsh_rg_cands_join(const struct nsh_rg_cands *c, const char *after, char *buf,
			      size_t len);

int nsh_rp_tokenize(struct nsh_rp *p, const char *line, size_t start, size_t end,
		    bool partial_ok);
void nsh_rp_free(struct nsh_rp *p);
const struct nsh_word *nsh_rp_peek(struct nsh_rp *p);
void nsh_rp_offer(struct nsh_rp *p, const char *word, const char *help);
void nsh_rp_offer_tab(struct nsh_rp *p, const struct nsh_rg_word *tab);
int nsh_rp_err_end(struct nsh_rp *p, const char *what);
int nsh_rp_err_tok(struct nsh_rp *p, const struct nsh_word *t, const char *what);
int nsh_rp_err_unknown(struct nsh_rp *p, const struct nsh_word *t, const char *what,
		       const char *const *cands, size_t n);
int nsh_rp_word(struct nsh_rp *p, const struct nsh_rg_word *tab, const char *what,
		const struct nsh_rg_word **out);
struct nsh_stmt *nsh_rp_stmt_add(struct nsh_rp *p, enum nsh_stmt_kind kind, size_t tok0);
void nsh_rp_stmt_end(struct nsh_rp *p);
int nsh_rp_key(struct nsh_rp *p, const struct nsh_key_def **key);
const char *nsh_rp_hook_name(uint32_t hooknum);

/* Record what a key implies (ip vs ip6, tcp vs udp); -1 + err on conflict. */
int nsh_rp_key_context(struct nsh_rp *p, const struct nsh_key_def *key,
		       const struct nsh_word *t);
/* After "numgen": inc|random mod N [offset O] (matches and nat maps). */
int nsh_rp_numgen(struct nsh_rp *p, uint32_t *type, uint32_t *mod, uint32_t *offset);
/* rule_parse_match.c: KEY [OP] VALUE */
int nsh_rp_match(struct nsh_rp *p);
/* Parse an anonymous set or map "{ ... }" of key type (map: data types). */
int nsh_rp_set(struct nsh_rp *p, enum nsh_type key_type, int ndata,
	       const enum nsh_type *data_type, struct nsh_set **out, size_t *nwritten);
/* One element part or value of type (range/prefix when allowed) at token t: rule_parse_match.c. */
int nsh_rp_elem(struct nsh_rp *p, const struct nsh_word *t, enum nsh_type type,
		bool allow_range, struct nsh_elem *e);
/* The word sep next (":", "."), else an error saying what was expected. */
int nsh_rp_expect(struct nsh_rp *p, const char *sep, const char *what);
/*
 * rule_parse_vmap.c: after a match key, "." more keys and a set, or
 * "vmap" and a map.  key: the first key (its numgen parameters in *m).
 */
int nsh_rp_concat_vmap(struct nsh_rp *p, struct nsh_match *m, size_t tok0);
/* The verdict data of map element idx (set->chains has room for it). */
int nsh_rp_verdict_data(struct nsh_rp *p, struct nsh_set *set, size_t idx, struct nsh_elem *e);
/* rule_parse_stmt.c: counter, nat, verdicts, comment */
int nsh_rp_stmt(struct nsh_rp *p);
/* rule_parse_stmt2.c: the statements of model/stmts.h (id: enum nsh_rg_stmt) */
int nsh_rp_stmt2(struct nsh_rp *p, uint32_t id, size_t tok0);
/* The settable field at p->pos when "set" follows its words, else NULL. */
const struct nsh_setf *nsh_rp_setf_ahead(struct nsh_rp *p);
int nsh_rp_set_stmt(struct nsh_rp *p, const struct nsh_setf *f);

#endif
