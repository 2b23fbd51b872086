/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The interactive shell: readline's callback interface in a select() loop,
 * so that Ctrl-C cancels the line being typed (never the shell), Tab and
 * '?' walk the command grammar (completions/complete.c), and the prompt
 * shows the namespace and the current table.
 */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <readline/history.h>
#include <readline/readline.h>

#include "cmds/edit.h"
#include "completions/complete.h"
#include "lib/util.h"
#include "model/txn/confirm.h"
#include "model/model.h"
#include "render/out.h"
#include "shell/shell.h"

#define HISTORY_MAX 1000
#define HINTS_MAX 200	/* candidates listed by '?' and double Tab */

struct repl {
	struct nsh_ctx *ctx;
	char prompt[512];
	char *histfile;		/* NULL when there is no home to keep it in */
	bool confirm;		/* a commit confirmed is pending: the prompt counts down */
	bool eof_warned;	/* Ctrl-D with staged changes said so once: the next one leaves */
};

/*
 * Readline's callbacks take no user pointer: this is the one pointer to the
 * session they reach it through (set by nsh_repl, cleared when it returns).
 */
static struct repl *rl_repl;
/* Set by signal handlers only; the loop acts on them. */
static volatile sig_atomic_t got_sigint, got_sigwinch, got_sigterm;

/* Only note it: the loop cancels the line. */
static void on_sigint(int sig)
{
	got_sigint = 1;
}

/* Only note it: the loop tells readline the new size. */
static void on_sigwinch(int sig)
{
	got_sigwinch = 1;
}

/* SIGTERM, SIGHUP: leave through the normal path, so the terminal is restored. */
static void on_sigterm(int sig)
{
	got_sigterm = 1;
}

/*
 * "natsh(NETNS) FAMILY TABLE> ", with [begin] while changes are staged and
 * [confirm 42s] while a commit confirmed waits in this namespace.
 */
static void set_prompt(struct repl *r)
{
	const struct nsh_ctx *ctx = r->ctx;
	char ns[300] = "", cf[64] = "";
	struct nsh_confirm c;

	r->confirm = nsh_confirm_pending(&c) == 1;
	if (r->confirm) {
		long long left = (long long)(c.deadline - time(NULL));

		snprintf(cf, sizeof(cf), " [confirm %llds]", left > 0 ? left : 0);
	} else if (access(c.outcome, F_OK) == 0) {
		snprintf(cf, sizeof(cf), " [ROLLBACK INCOMPLETE: type confirm]");
	}
	if (ctx->netns)
		snprintf(ns, sizeof(ns), "(%s)", ctx->netns);
	snprintf(r->prompt, sizeof(r->prompt), "natsh%s %s %s%s%s> ", ns,
		 nsh_family_name(ctx->family), ctx->table, ctx->txn ? " [begin]" : "", cf);
	rl_set_prompt(r->prompt);
}

/* The countdown ended while the shell waited: what the timer did, from its log's last line. */
static void tell_ended(void)
{
	struct nsh_confirm c;
	char line[800] = "", last[800] = "";
	FILE *f;

	if (nsh_confirm_paths(&c) < 0 || !(f = fopen(c.log, "re")))
		return;
	while (fgets(line, sizeof(line), f))
		snprintf(last, sizeof(last), "%s", line);
	fclose(f);
	last[strcspn(last, "\n")] = '\0';
	fprintf(stderr, "\nnatsh: the commit confirmed timer ended: %s\n",
		last[0] ? last : "(no log)");
}

/* Said once when the shell starts: a pending confirmation and how to keep the change. */
static void tell_pending(void)
{
	struct nsh_confirm c;

	if (nsh_confirm_pending(&c) != 1)
		return;
	fprintf(stderr, "natsh: a commit confirmed is pending in this network namespace: it "
		"rolls back in %lld s unless you type `confirm` (timer pid %d)\n",
		(long long)(c.deadline - time(NULL)), (int)c.pid);
}

/* ~/.natsh_history, created 0600 (it may hold addresses and comments). */
static char *history_path(void)
{
	const char *home = getenv("HOME");
	struct passwd *pw;
	char *path;
	int fd;

	if (!home || !*home) {
		pw = getpwuid(getuid());
		home = pw ? pw->pw_dir : NULL;
	}
	if (!home)
		return NULL;
	path = nsh_xmalloc(strlen(home) + sizeof("/.natsh_history"));
	strcpy(path, home);
	strcat(path, "/.natsh_history");
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		free(path);
		return NULL;
	}
	fchmod(fd, 0600);
	close(fd);
	return path;
}

/* Candidates at the cursor, with live values refreshed when the ruleset changed. */
static void cands_at_point(struct nsh_cands *c)
{
	char *line = nsh_xstrndup(rl_line_buffer, (size_t)rl_point);

	nsh_ctx_refresh_cached(rl_repl->ctx);
	nsh_complete(rl_repl->ctx, nsh_cmds, line, c);
	free(line);
}

/* What may come next, one per line with its help, below the line being typed. */
static void show_hints(void)
{
	struct nsh_cands c;
	size_t i, w = 0;

	cands_at_point(&c);
	for (i = 0; i < c.n && i < HINTS_MAX; i++)
		if (strlen(c.v[i].word) > w)
			w = strlen(c.v[i].word);
	if (c.may_end && w < 7)
		w = 7;
	fputc('\n', rl_outstream);
	for (i = 0; i < c.n && i < HINTS_MAX; i++)
		fprintf(rl_outstream, "  %-*s  %s\n", (int)w, c.v[i].word,
			c.v[i].help ? c.v[i].help : "");
	if (c.n > HINTS_MAX)
		fprintf(rl_outstream, "  ... and %zu more (type the first characters)\n",
			c.n - HINTS_MAX);
	if (c.files)
		fprintf(rl_outstream, "  %-*s  %s\n", (int)w, "FILE", "a file name");
	if (c.may_end)
		fprintf(rl_outstream, "  %-*s  %s\n", (int)w, "<enter>", "run the command");
	if (!c.n && !c.files && !c.may_end)
		fprintf(rl_outstream, "  (nothing fits here)\n");
	nsh_cands_free(&c);
	rl_on_new_line();
	rl_redisplay();
}

/* '?': list what may come next; inside quotes it is just a character. */
static int key_hint(int count, int key)
{
	struct nsh_toks t;
	struct nsh_err err = { 0 };
	char *line = nsh_xstrndup(rl_line_buffer, (size_t)rl_point);
	bool quoted;

	nsh_lex(line + nsh_line_last_cmd(line), true, &t, &err);
	quoted = t.open_quote != 0;
	nsh_toks_free(&t);
	free(line);
	if (quoted)
		return rl_insert(count, key);
	show_hints();
	return 0;
}

/* Readline's double-Tab listing, replaced by ours with help lines. */
static void display_matches(char **matches, int n, int maxlen)
{
	show_hints();
}

/*
 * A candidate that replaces the line from cand_start, as a replacement for
 * readline's word, which starts at rl_start (they differ when the rule
 * grammar splits words at '{' or ','); NULL when it cannot be expressed.
 */
static char *fit_word(const char *word, size_t cand_start, size_t rl_start)
{
	size_t n;
	char *w;

	if (cand_start == rl_start)
		return nsh_xstrdup(word);
	if (cand_start < rl_start) {
		n = rl_start - cand_start;
		if (strncmp(word, rl_line_buffer + cand_start, n) != 0)
			return NULL;
		return nsh_xstrdup(word + n);
	}
	n = cand_start - rl_start;
	w = nsh_xmalloc(n + strlen(word) + 1);
	memcpy(w, rl_line_buffer + rl_start, n);
	strcpy(w + n, word);
	return w;
}

/* Readline's Tab: our candidates for the word at the cursor. */
static char **complete(const char *text, int start, int end)
{
	struct nsh_cands c;
	char **m;
	size_t i, k = 0, lcp = 0;
	bool second = rl_completion_type == '?';
	char *w;

	rl_attempted_completion_over = 1;
	cands_at_point(&c);
	for (i = 0; i < c.n; i++)
		k += !c.v[i].placeholder;
	if (k == 0) {
		if (c.files) {
			rl_attempted_completion_over = 0;	/* readline completes file names */
			nsh_cands_free(&c);
			return NULL;
		}
		if (second)
			show_hints();	/* nothing to insert: say what kind of value comes */
		nsh_cands_free(&c);
		return NULL;
	}
	m = nsh_xcalloc(k + 2, sizeof(*m));
	k = 1;
	for (i = 0; i < c.n; i++)
		if (!c.v[i].placeholder && (w = fit_word(c.v[i].word, c.start, (size_t)start)))
			m[k++] = w;
	if (k == 1) {
		free(m);
		nsh_cands_free(&c);
		return NULL;
	}
	/* m[0]: what replaces the word, their longest common prefix */
	lcp = strlen(m[1]);
	for (i = 2; i < k; i++) {
		size_t j = 0;

		while (j < lcp && m[i][j] == m[1][j])
			j++;
		lcp = j;
	}
	m[0] = nsh_xstrndup(m[1], lcp);
	if (k == 2) {
		free(m[0]);
		m[0] = m[1];
		m[1] = NULL;
	}
	nsh_cands_free(&c);
	return m;
}

/* A complete line: run it, keep it in the history, update the prompt. */
static void on_line(char *line)
{
	struct repl *r = rl_repl;
	HIST_ENTRY *last;

	if (!line) {			/* Ctrl-D */
		fputc('\n', rl_outstream);
		/* staged changes: say so and stay; a second Ctrl-D (or a lost terminal) leaves */
		if (!r->eof_warned && nsh_edit_nstaged(r->ctx)) {
			fprintf(stderr, "natsh: %zu staged change%s not committed: `commit` applies, "
				"`abort` drops; Ctrl-D again leaves and drops %s\n",
				nsh_edit_nstaged(r->ctx), nsh_edit_nstaged(r->ctx) == 1 ? " is" : "s are",
				nsh_edit_nstaged(r->ctx) == 1 ? "it" : "them");
			r->eof_warned = true;
			set_prompt(r);
			return;
		}
		r->ctx->quit = true;
		rl_callback_handler_remove();
		return;
	}
	r->eof_warned = false;
	if (line[strspn(line, " \t")]) {
		last = history_length ? history_get(history_base + history_length - 1) : NULL;
		if (!last || strcmp(last->line, line) != 0) {
			add_history(line);
			if (r->histfile && append_history(1, r->histfile) == 0)
				history_truncate_file(r->histfile, HISTORY_MAX);
		}
		if (nsh_line_check(r->ctx, line, strlen(line)))
			nsh_run_line(r->ctx, line, true);
		memset(&r->ctx->src, 0, sizeof(r->ctx->src));
	}
	free(line);
	got_sigint = 0;		/* a Ctrl-C during the command had no line to cancel */
	/*
	 * A question the command asked (readline() in cmds/ask.c) that Ctrl-C
	 * ended read EOF; readline 8.2 keeps rl_eof_found set in callback mode
	 * and would print an extra newline after every later line.
	 */
	rl_eof_found = 0;
	if (r->ctx->quit) {
		rl_callback_handler_remove();
		return;
	}
	set_prompt(r);
}

/*
 * Readline's input, so that Ctrl-C also ends a blocking readline() that a
 * command runs (a wizard's question): the line is dropped and readline
 * returns NULL, which the command takes as "no answer".  In the shell's own
 * loop select() says input is ready, so this never blocks there.
 */
static int repl_getc(FILE *f)
{
	unsigned char c;
	ssize_t n;

	for (;;) {
		n = read(fileno(f), &c, 1);
		if (n == 1)
			return c;
		if (n == 0 || errno != EINTR || got_sigterm)
			return EOF;
		if (got_sigint) {
			got_sigint = 0;
			rl_replace_line("", 0);
			rl_point = rl_end = 0;
			fputs("^C", rl_outstream);
			return EOF;
		}
		if (got_sigwinch) {
			got_sigwinch = 0;
			rl_resize_terminal();
		}
	}
}

/* Ctrl-C: drop the line being typed and start a fresh one. */
static void cancel_line(void)
{
	rl_free_line_state();
	rl_callback_sigcleanup();
	rl_replace_line("", 0);
	rl_point = rl_end = rl_mark = 0;
	fputs("^C\n", rl_outstream);
	rl_on_new_line();
	rl_redisplay();
}

/* The interactive loop; returns when exit, quit or Ctrl-D ends it. */
int nsh_repl(struct nsh_ctx *ctx)
{
	struct sigaction sa, old_int, old_winch, old_term, old_hup;
	struct repl r = { .ctx = ctx };
	fd_set fds;
	int n;

	rl_repl = &r;
	ctx->interactive = true;
	r.histfile = history_path();
	using_history();
	stifle_history(HISTORY_MAX);
	if (r.histfile)
		read_history(r.histfile);

	rl_readline_name = "natsh";
	rl_catch_signals = 0;
	rl_catch_sigwinch = 0;
	rl_attempted_completion_function = complete;
	rl_completion_display_matches_hook = display_matches;
	rl_completer_word_break_characters = " \t\n;{},";
	rl_completer_quote_characters = "\"'";
	rl_bind_key('?', key_hint);
	rl_getc_function = repl_getc;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigint;	/* no SA_RESTART: select() returns EINTR */
	sigaction(SIGINT, &sa, &old_int);
	sa.sa_handler = on_sigwinch;
	sigaction(SIGWINCH, &sa, &old_winch);
	sa.sa_handler = on_sigterm;
	sigaction(SIGTERM, &sa, &old_term);
	sigaction(SIGHUP, &sa, &old_hup);

	tell_pending();
	set_prompt(&r);
	rl_callback_handler_install(r.prompt, on_line);
	while (!ctx->quit) {
		struct timeval tick = { .tv_sec = 1 };

		FD_ZERO(&fds);
		FD_SET(fileno(rl_instream ? rl_instream : stdin), &fds);
		/* while a confirmation is pending the prompt counts down every second */
		n = select(fileno(rl_instream ? rl_instream : stdin) + 1, &fds, NULL, NULL,
			   r.confirm ? &tick : NULL);
		if (n == 0 && r.confirm) {
			/* redraw the line in place with the new count */
			rl_clear_visible_line();
			set_prompt(&r);
			if (!r.confirm)
				tell_ended();
			rl_on_new_line();
			rl_redisplay();
			continue;
		}
		if (got_sigterm) {
			fputc('\n', rl_outstream);
			break;
		}
		if (got_sigint) {
			got_sigint = 0;
			cancel_line();
			continue;
		}
		if (got_sigwinch) {
			got_sigwinch = 0;
			rl_resize_terminal();
		}
		if (n < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (n > 0)
			rl_callback_read_char();
	}
	if (!ctx->quit)
		rl_callback_handler_remove();

	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGWINCH, &old_winch, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGHUP, &old_hup, NULL);
	free(r.histfile);
	rl_repl = NULL;
	return got_sigterm ? NSH_FAIL : NSH_OK;
}
