/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cmds/: the command core and the commands.  lexer.c splits a command's
 * text into words, table.c and cmd.c are the registry (one const struct
 * nsh_cmd per command file, found by name or unique prefix), args.c matches the words
 * against the command's grammar, error.c reports with a caret under the
 * place, session.c opens netlink and reads the ruleset for a command.
 * cmds/wizard/ holds the wizard commands.  May use render, model, lib;
 * never shell/ (which feeds it lines) nor completions/.
 *
 * A command's grammar (struct nsh_gram) is data: the same tree drives the
 * parser (args.c), tab completion and '?' hints (completions/) and `help`
 * (help.c).  Commands never exit(): they report through nsh_error*() and
 * return NSH_OK or NSH_FAIL.
 *
 * Offsets: the lexer works on one command's text (a -c string or a file
 * line is first split on ';').  Token offsets are relative to that text;
 * ctx->src.base says where it starts in ctx->src.line, and error.c adds it.
 */
#ifndef NSH_CMD_H
#define NSH_CMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "lib/err.h"

struct nsh_cands;
struct nsh_comp_cache;
struct nsh_edit;
struct nsh_out;
struct nsh_sysctl_snap;
struct nsh_nl;
struct nsh_ruleset;

enum { NSH_OK = 0, NSH_FAIL = 1, NSH_USAGE = 2 };

/* Bounds on input: a whole batch (-c, -f, stdin) or file `load` reads, one line of it. */
#define NSH_BATCH_MAX	(64u << 20)
#define NSH_LINE_MAX	(1u << 20)

/* A word of the command line and where it stands in the source line. */
struct nsh_tok {
	char *s;		/* the word, unquoted (owned by the token list) */
	size_t off;		/* byte offset in the source line */
	size_t len;		/* length in the source line (quotes included) */
	bool quoted;
};

/* What a placeholder holds: drives validation hints and live completion. */
enum nsh_vk {
	NSH_VK_STRING,		/* free text */
	NSH_VK_NUMBER,		/* non-negative integer */
	NSH_VK_FAMILY,		/* ip | ip6 | inet */
	NSH_VK_TABLE,		/* live table names */
	NSH_VK_CHAIN,		/* live chain names of the current table */
	NSH_VK_POSITION,	/* rule position in the chain named before */
	NSH_VK_HANDLE,		/* rule handle in the chain named before */
	NSH_VK_IFACE,		/* live interface names */
	NSH_VK_ADDR,		/* an address (or a live one of an interface) */
	NSH_VK_ADDR_PORT,	/* ADDR[:PORT] */
	NSH_VK_PREFIX,		/* ADDR/LEN */
	NSH_VK_PORT,		/* port number or range */
	NSH_VK_PROTO,		/* tcp | udp | icmp ... */
	NSH_VK_FILE,		/* a file name */
	NSH_VK_COMMAND,		/* a natsh command name (help CMD) */
	NSH_VK_SUBCOMMAND,	/* a form of the command named before (help wizard forward) */
	NSH_VK_WIZARD,		/* a wizard group name */
	NSH_VK_SYSCTL,		/* a sysctl key natsh knows */
	NSH_VK_RULE,		/* the rest of the line is a rule (rule grammar) */
	NSH_VK_REST,		/* the rest of the line, uninterpreted */
	NSH_VK_WIZARD_NEW,	/* a wizard group name: an existing one (replaced) or a new one */
};

enum nsh_gram_kind {
	NSH_G_WORD,		/* a literal keyword */
	NSH_G_VALUE,		/* a placeholder word of kind vk */
	NSH_G_SEQ,		/* all kids in order */
	NSH_G_ALT,		/* exactly one of the kids (first that matches whole) */
	NSH_G_OPT,		/* kid 0 or nothing */
	NSH_G_ANY,		/* each kid at most once, in any order */
	NSH_G_REPEAT,		/* kid 0 one or more times */
};

struct nsh_gram {
	enum nsh_gram_kind kind;
	const char *text;	/* WORD: the keyword; VALUE: its name ("CHAIN") */
	const char *help;	/* one line: shown by '?', completion and help */
	enum nsh_vk vk;		/* VALUE only */
	const struct nsh_gram *const *kids;	/* NULL-terminated */
};

#define NSH_G(...)	(&(const struct nsh_gram){ __VA_ARGS__ })
#define NSH_KIDS(...)	((const struct nsh_gram *const[]){ __VA_ARGS__, NULL })
#define NSH_WORD(w, h)	NSH_G(.kind = NSH_G_WORD, .text = (w), .help = (h))
#define NSH_VAL(n, k, h) NSH_G(.kind = NSH_G_VALUE, .text = (n), .vk = (k), .help = (h))
#define NSH_SEQ(...)	NSH_G(.kind = NSH_G_SEQ, .kids = NSH_KIDS(__VA_ARGS__))
#define NSH_ALT(...)	NSH_G(.kind = NSH_G_ALT, .kids = NSH_KIDS(__VA_ARGS__))
#define NSH_OPT(x)	NSH_G(.kind = NSH_G_OPT, .kids = NSH_KIDS(x))
#define NSH_ANY(...)	NSH_G(.kind = NSH_G_ANY, .kids = NSH_KIDS(__VA_ARGS__))
#define NSH_REPEAT(x)	NSH_G(.kind = NSH_G_REPEAT, .kids = NSH_KIDS(x))

/*
 * The result of matching a command line against a grammar: every WORD that
 * matched is recorded under its keyword, every VALUE under its name, in
 * order (a REPEATed value appears several times).  A RULE or REST value is
 * recorded token by token while there is room (at least its first token);
 * read its whole text from line + first token's off.
 */
#define NSH_ARGS_MAX 64
struct nsh_args {
	size_t n;
	struct {
		const char *name;
		const struct nsh_tok *tok;
	} v[NSH_ARGS_MAX];
	const struct nsh_tok *toks;	/* all tokens of the line; toks[0] is the command */
	size_t ntoks;
	/*
	 * The command's text as typed (token offsets are relative to it): a RULE
	 * or REST value is best re-read from line + tok->off to the end.
	 */
	const char *line;
};

const struct nsh_tok *nsh_args_get(const struct nsh_args *a, const char *name);
bool nsh_args_has(const struct nsh_args *a, const char *name);
/* The i-th (0-based) value recorded under name; NULL past the last. */
const struct nsh_tok *nsh_args_nth(const struct nsh_args *a, const char *name, size_t i);

struct nsh_ctx;

enum nsh_group {
	NSH_GRP_READING, NSH_GRP_EDITING, NSH_GRP_TRANSACTIONS, NSH_GRP_WIZARDS,
	NSH_GRP_MONITORING, NSH_GRP_SAFETY, NSH_GRP_SHELL,
};

struct nsh_cmd {
	const char *name;
	enum nsh_group group;
	const char *summary;		/* one line for `help` */
	const struct nsh_gram *args;	/* NULL: takes no arguments */
	const char *description;	/* `help CMD`: a paragraph */
	const char *const *examples;	/* NULL-terminated, may be NULL */
	bool needs_nl;			/* opens netlink before exec */
	bool endless;			/* runs until stopped: never abbreviated in a batch */
	int (*exec)(struct nsh_ctx *ctx, const struct nsh_args *args);
};

extern const struct nsh_cmd *const nsh_cmds[];	/* NULL-terminated (cmds/table.c) */

/* `help TOPIC` for what is not a command (e.g. "rule"); registered in cmds/table.c. */
struct nsh_help_topic {
	const char *name;
	const char *summary;		/* one line for `help` */
	void (*print)(struct nsh_out *out);	/* the full text */
};
extern const struct nsh_help_topic *const nsh_help_topics[];	/* NULL-terminated */

/*
 * Find a command by exact name or unique prefix.  NULL when none; *ambiguous
 * is set (and NULL returned) when the prefix fits several.
 */
const struct nsh_cmd *nsh_cmd_lookup(const char *word, bool *ambiguous);

/*
 * Usage lines generated from a command's grammar, one per top-level
 * alternative ("show tables", "show [FAMILY] [TABLE] [CHAIN]"); returns
 * their number; free with nsh_cmd_usage_free (cmds/help.c).
 */
size_t nsh_cmd_usage(const struct nsh_cmd *cmd, char ***lines);
void nsh_cmd_usage_free(char **lines);

/*
 * A command's forms that start with a keyword ("wizard forward", "show
 * tables"): the top-level alternatives of its grammar.  Fills up to max
 * keywords (help lines in helps when not NULL) and returns their number.
 */
size_t nsh_cmd_subcommands(const struct nsh_cmd *cmd, const char **words, const char **helps,
			   size_t max);
const char *nsh_group_name(enum nsh_group g);	/* "reading", ... */

/* Where the line being run came from, for error messages. */
struct nsh_src {
	const char *name;	/* file name, "-c", "<stdin>", or NULL interactively */
	unsigned lineno;	/* 1-based; 0 when not meaningful */
	const char *line;	/* the whole source line */
	size_t base;		/* offset of this command within line (after ';' splits) */
};

/* Session state: one per natsh process, passed to every command. */
struct nsh_ctx {
	struct nsh_nl *nl;		/* opened lazily (needs_nl) */
	struct nsh_out *out;		/* stdout, text or JSON */
	const char *netns;		/* -n NAME, or NULL */
	struct nsh_edit *edit;		/* write state: socket, undo history (cmds/edit.h) */
	int family;			/* current table for short commands */
	char table[256];
	bool json, check, yes, color, interactive;
	struct nsh_src src;		/* the line being run */
	struct nsh_ruleset *cache;	/* last dump, or NULL */
	struct nsh_edit *txn;		/* edit while changes are staged for later, else NULL */
	/*
	 * Set by whoever creates txn: the batch runner calls it once at the end
	 * of a -c string or -f file, commit = no error and not --check.
	 * ctx->src lines of the batch stay valid until then.
	 */
	int (*txn_end)(struct nsh_ctx *ctx, bool commit);
	bool batch;			/* running a -c string, a file or piped stdin */
	bool quit;			/* set by exit/quit: the shell leaves after this command */
	bool quiet;			/* completion: report no errors */
	FILE *errf;			/* where errors go; NULL = stderr */
	unsigned nerrors;		/* errors reported so far */
	struct nsh_comp_cache *comp;	/* completion's cache (completions/complete_live.c) */
	/*
	 * How completion offers a RULE value (see completions/complete.h):
	 * nsh_ctx_init sets the rule grammar's completer; NULL offers a RULE
	 * placeholder.
	 */
	void (*complete_rule)(struct nsh_ctx *ctx, const char *line, size_t start, int family,
			      struct nsh_cands *out);
	/* --confirm SECONDS: a batch's commit rolls back unless confirmed (0: off) */
	unsigned confirm_secs;
	struct nsh_sysctl_snap *confirm_sys;	/* sysctls before the batch (model/txn/confirm.h) */
};

/* Report an error at a token of the current line (tok may be NULL). */
void nsh_error_at(struct nsh_ctx *ctx, const struct nsh_tok *tok, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Report an error at [off, off+len) of the current line. */
void nsh_error_span(struct nsh_ctx *ctx, size_t off, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Report an error with no place ("natsh: MSG"). */
void nsh_error(struct nsh_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A warning line on stderr. */
void nsh_warn(struct nsh_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* ---- ask.c ---- */

/* May a command ask: the interactive shell on a terminal, not a batch, not -j? */
bool nsh_can_ask(const struct nsh_ctx *ctx);
/*
 * A yes/no question, re-asked until yes, no or an empty line (def): 1 yes,
 * 0 no, -1 no answer (Ctrl-C, Ctrl-D).  With -y it is yes without asking;
 * where nobody can be asked (a batch, -j) it is def.
 */
int nsh_ask_yes(struct nsh_ctx *ctx, const char *question, bool def);

/* ---- session.c ---- */

/* Open netlink if needed and (re)read the ruleset; NSH_FAIL after reporting. */
int nsh_ctx_refresh(struct nsh_ctx *ctx);
/* Open the netlink socket if not yet open; NSH_FAIL after reporting. */
int nsh_ctx_open_nl(struct nsh_ctx *ctx);
/* The user's message for an errno from netlink (the SPEC wording for EPERM). */
const char *nsh_ctx_strerror(int err);

/* ---- lexer.c ---- */

struct nsh_toks {
	struct nsh_tok *v;
	size_t n, cap;
	int open_quote;		/* partial lexing: the quote char left open, or 0 */
	bool trailing_space;	/* partial lexing: the text ends in whitespace */
};

/*
 * Split text into words: whitespace separates; "..." keeps spaces and
 * understands \" \\ \n \t; '...' is literal; a backslash outside quotes
 * escapes the next character.  With partial (completion), an unterminated
 * quote is accepted and reported in open_quote.  -1 with err set on error;
 * the tokens are the caller's to release with nsh_toks_free (also on error).
 */
int nsh_lex(const char *text, bool partial, struct nsh_toks *out, struct nsh_err *err);
void nsh_toks_free(struct nsh_toks *t);

/*
 * Where the command starting at line[i] ends: at the next ';' or '#'
 * comment outside quotes, or at the end of the line (*comment: a '#').
 */
size_t nsh_cmd_end(const char *line, size_t i, bool *comment);
/* Offset where the last command of a line starts (after its last ';'). */
size_t nsh_line_last_cmd(const char *line);

/* Quote a word so that nsh_lex() gives it back unchanged (caller frees). */
char *nsh_quote(const char *word);

/* ---- args.c: the grammar matcher; cmd.c: the registry ---- */

/* Lookup in a given table (nsh_cmd_lookup uses nsh_cmds). */
const struct nsh_cmd *nsh_cmd_lookup_in(const struct nsh_cmd *const *tab, const char *word,
					bool *ambiguous);

/*
 * Find the command of toks[0] and match the other tokens against its grammar.
 * On error, err holds the message and the place; *cmd is set when the command
 * itself was found (so usage can be suggested).
 */
int nsh_parse(const struct nsh_cmd *const *tab, const struct nsh_toks *toks,
	      const struct nsh_cmd **cmd, struct nsh_args *args, struct nsh_err *err);

/*
 * Walk a grammar over toks[from..n) and report every node that could
 * consume the token at index n (the word being completed).  A VALUE of kind
 * RULE or REST that starts at or before n is reported with its start index.
 * args holds what matched before it.  g is NULL when the line may end at n.
 */
typedef void (*nsh_gram_next_fn)(void *arg, const struct nsh_gram *g, size_t start,
				 const struct nsh_args *args);
void nsh_gram_next(const struct nsh_gram *g, const struct nsh_tok *toks, size_t from, size_t n,
		   nsh_gram_next_fn fn, void *arg);

/* Does word fit a VALUE of this kind (syntax only, no live lookup)? */
bool nsh_vk_valid(enum nsh_vk vk, const char *word);


/* ---- error.c ---- */

/* Print an nsh_err recorded against the current command. */
void nsh_error_err(struct nsh_ctx *ctx, const struct nsh_err *err);


#endif
