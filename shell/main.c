/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * natsh: options, then one of: the interactive shell, a -c string, a batch
 * file, piped stdin, or a single command from the arguments.  One option
 * table drives getopt_long and --help.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "completions/complete.h"
#include "lib/buf.h"
#include "lib/util.h"
#include "model/txn/confirm.h"
#include "model/nl/nl.h"
#include "render/out.h"
#include "shell/shell.h"

enum { OPT_CHECK = 256, OPT_NO_COLOR, OPT_COMPLETE, OPT_CONFIRM };

struct opt {
	const char *name;	/* long name */
	int val;		/* short letter, or OPT_* */
	const char *arg;	/* NULL: takes no argument */
	const char *help;
};

static const struct opt opts[] = {
	{ "netns",    'n',          "NAME", "work inside network namespace NAME (/run/netns/NAME)" },
	{ "json",     'j',          NULL,   "machine output (JSON) for every command that prints data" },
	{ "check",    OPT_CHECK,    NULL,   "parse and validate everything, let the kernel check, commit nothing" },
	{ "yes",      'y',          NULL,   "answer yes to confirmations" },
	{ "confirm",  OPT_CONFIRM,  "SECONDS", "commit confirmed: roll the batch back unless `natsh confirm` comes in time" },
	{ "no-color", OPT_NO_COLOR, NULL,   "no colours (also when NO_COLOR is set or stdout is not a terminal)" },
	{ "command",  'c',          "'CMD; CMD'", "run the commands, then exit" },
	{ "file",     'f',          "FILE", "run a batch file ('-' = stdin)" },
	{ "version",  'V',          NULL,   "print the version and exit" },
	{ "help",     'h',          NULL,   "print this help and exit" },
};

struct options {
	const char *netns, *command, *file;
	unsigned confirm;
	bool json, check, yes, no_color;
};

/* --help, generated from the option table. */
static void usage(FILE *f)
{
	size_t i;
	char left[64];

	fputs("usage: natsh [OPTIONS]                 interactive shell (on a terminal)\n"
	      "       natsh [OPTIONS] -c 'CMD; CMD'   run the commands, then exit\n"
	      "       natsh [OPTIONS] -f FILE         run a batch file ('-' = stdin)\n"
	      "       natsh [OPTIONS] FILE            the same\n"
	      "       natsh [OPTIONS] CMD ARGS...     run one command, e.g. natsh show\n"
	      "\noptions:\n", f);
	for (i = 0; i < NSH_ARRAY_SIZE(opts); i++) {
		if (opts[i].val < 256)
			snprintf(left, sizeof(left), "-%c, --%s%s%s", opts[i].val, opts[i].name,
				 opts[i].arg ? " " : "", opts[i].arg ? opts[i].arg : "");
		else
			snprintf(left, sizeof(left), "    --%s%s%s", opts[i].name,
				 opts[i].arg ? " " : "", opts[i].arg ? opts[i].arg : "");
		fprintf(f, "  %-28s %s\n", left, opts[i].help);
	}
	fputs("\nexit status: 0 success, 1 a command failed, 2 usage error.\n"
	      "Commands: run \"natsh help\", or type help in the shell.\n", f);
}

/* Parse argv; returns the index of the first operand, or -1 (exit status in *status). */
static int parse_options(int argc, char **argv, struct options *o, int *status)
{
	struct option lopts[NSH_ARRAY_SIZE(opts) + 1];
	char shortopts[64] = "+";
	size_t i, k = 1;
	int c;

	memset(lopts, 0, sizeof(lopts));
	for (i = 0; i < NSH_ARRAY_SIZE(opts); i++) {
		lopts[i].name = opts[i].name;
		lopts[i].has_arg = opts[i].arg ? required_argument : no_argument;
		lopts[i].val = opts[i].val;
		if (opts[i].val < 256) {
			shortopts[k++] = (char)opts[i].val;
			if (opts[i].arg)
				shortopts[k++] = ':';
		}
	}
	shortopts[k] = '\0';
	opterr = 0;
	while ((c = getopt_long(argc, argv, shortopts, lopts, NULL)) != -1) {
		switch (c) {
		case 'n': o->netns = optarg; break;
		case 'j': o->json = true; break;
		case OPT_CHECK: o->check = true; break;
		case 'y': o->yes = true; break;
		case OPT_CONFIRM: {
			char *end;
			unsigned long v;

			errno = 0;
			v = strtoul(optarg, &end, 10);
			if (errno || *end || !*optarg || v == 0 || v > 86400) {
				fprintf(stderr, "natsh: invalid --confirm \"%s\": expected 1 to 86400 "
					"seconds\n", optarg);
				goto usage;
			}
			o->confirm = (unsigned)v;
			break;
		}
		case OPT_NO_COLOR: o->no_color = true; break;
		case 'c': o->command = optarg; break;
		case 'f': o->file = optarg; break;
		case 'V':
			printf("natsh %s\n", NSH_VERSION);
			*status = 0;
			return -1;
		case 'h':
			usage(stdout);
			*status = 0;
			return -1;
		case ':':
			fprintf(stderr, "natsh: option %s needs an argument\n", argv[optind - 1]);
			goto usage;
		default:
			if (optopt && optopt < 256)
				fprintf(stderr, "natsh: unknown option -%c\n", optopt);
			else
				fprintf(stderr, "natsh: unknown option %s\n", argv[optind - 1]);
			goto usage;
		}
	}
	if (o->command && o->file) {
		fputs("natsh: -c and -f cannot be used together\n", stderr);
		goto usage;
	}
	if ((o->command || o->file) && optind < argc) {
		fprintf(stderr, "natsh: unexpected argument \"%s\" after -%c\n", argv[optind],
			o->command ? 'c' : 'f');
		goto usage;
	}
	if (o->confirm && !o->command && !o->file && optind >= argc) {
		fputs("natsh: --confirm applies to a batch (-c, -f or a command); in the shell "
		      "use commit confirmed SECONDS\n", stderr);
		goto usage;
	}
	return optind;
usage:
	fputs("Try 'natsh --help' for more information.\n", stderr);
	*status = 2;
	return -1;
}

/* SPEC 2: 0 success, 1 failure, 2 usage error. */
static int exit_status(int ret)
{
	return ret == NSH_OK ? 0 : ret == NSH_USAGE ? 2 : 1;
}

/* The arguments of `natsh CMD ARGS...` as one line that lexes back to them. */
static char *join_args(int argc, char **argv)
{
	struct nsh_buf b;
	char *q;
	int i;

	nsh_buf_init(&b);
	for (i = 0; i < argc; i++) {
		q = nsh_quote(argv[i]);
		nsh_buf_printf(&b, "%s%s", i ? " " : "", q);
		free(q);
	}
	return nsh_buf_steal(&b);
}

/* `natsh ARG...`: a command when ARG names one, else a batch file when one exists. */
static int run_operands(struct nsh_ctx *ctx, int argc, char **argv)
{
	struct stat st;
	bool ambiguous;
	char *line;
	int ret;

	if (argc == 1 && !nsh_cmd_lookup(argv[0], &ambiguous) && !ambiguous &&
	    stat(argv[0], &st) == 0 && !S_ISDIR(st.st_mode))
		return nsh_batch_file(ctx, argv[0]);
	line = join_args(argc, argv);
	ret = nsh_batch_string(ctx, NULL, line);
	free(line);
	return ret;
}

/* ---- natsh --complete WORDS...: candidates for bash (completions/natsh.bash) ---- */

static void complete_netns(const char *partial)
{
	DIR *d = opendir("/run/netns");
	struct dirent *e;

	while (d && (e = readdir(d)))
		if (e->d_name[0] != '.' && !strncmp(e->d_name, partial, strlen(partial)))
			puts(e->d_name);
	if (d)
		closedir(d);
}

/* Long options that start with partial. */
static void complete_options(const char *partial)
{
	char buf[64];
	size_t i;

	for (i = 0; i < NSH_ARRAY_SIZE(opts); i++) {
		snprintf(buf, sizeof(buf), "--%s", opts[i].name);
		if (!strncmp(buf, partial, strlen(partial)))
			puts(buf);
	}
}

/*
 * words: what follows "natsh" on the command line as typed (quotes kept),
 * the word being completed last.  Prints one candidate per line; "@files" asks the caller to complete
 * file names.
 */
static int complete_mode(int n, char **words)
{
	/* --describe (tests): every candidate as WORD<tab>KIND<tab>HELP, placeholders too */
	bool describe = n && !strcmp(words[0], "--describe");
	const char *partial;
	const char *netns = NULL;
	struct nsh_cands cands;
	struct nsh_ctx ctx;
	struct nsh_buf line;
	int i, cmd = -1;
	size_t j;

	if (describe) {
		words++;
		n--;
	}
	partial = n ? words[n - 1] : "";
	for (i = 0; i < n - 1; i++) {
		const char *w = words[i];

		if (!strcmp(w, "-n") || !strcmp(w, "--netns") || !strcmp(w, "-c") ||
		    !strcmp(w, "--command") || !strcmp(w, "-f") || !strcmp(w, "--file")) {
			if (i + 1 == n - 1) {
				if (w[1] == 'n' || w[2] == 'n')
					complete_netns(partial);
				else if (w[1] == 'f' || w[2] == 'f')
					puts("@files");
				return 0;
			}
			if (w[1] == 'n' || w[2] == 'n')
				netns = words[i + 1];
			i++;
		} else if (!strncmp(w, "--netns=", 8)) {
			netns = w + 8;
		} else if (w[0] != '-') {
			cmd = i;
			break;
		}
	}
	if (cmd < 0) {
		if (partial[0] == '-') {
			complete_options(partial);
			return 0;
		}
		cmd = n - 1;
	}
	nsh_ctx_init(&ctx);
	ctx.quiet = true;
	if (!netns || nsh_netns_enter(netns) == 0)
		nsh_ctx_refresh_cached(&ctx);
	/* the words as the user typed them (quotes included): join them back */
	nsh_buf_init(&line);
	for (i = cmd; i < n - 1; i++)
		nsh_buf_printf(&line, "%s ", words[i]);
	nsh_buf_puts(&line, partial);
	nsh_complete(&ctx, nsh_cmds, line.s, &cands);
	if (cands.files)
		puts("@files");
	for (j = 0; j < cands.n; j++)
		if (describe)
			printf("%s\t%s\t%s\n", cands.v[j].word,
			       cands.v[j].placeholder ? nsh_vk_name(cands.v[j].vk) : "word",
			       cands.v[j].help ? cands.v[j].help : "");
		else if (!cands.v[j].placeholder)
			puts(cands.v[j].word);
	if (describe && cands.may_end)
		puts("<enter>\tEND\tthe line is complete");
	if (cmd == n - 1 && partial[0] == '\0')
		complete_options(partial);
	nsh_cands_free(&cands);
	nsh_buf_free(&line);
	nsh_ctx_fini(&ctx);
	return 0;
}

/*
 * A commit confirmed rollback that was refused or left something behind is
 * said at every start until `confirm` has shown it: nobody may miss it.
 */
static void tell_rollback_outcome(void)
{
	char *o = nsh_confirm_outcome();

	if (!o)
		return;
	fprintf(stderr, "natsh: WARNING: a commit confirmed rollback in this network namespace did "
		"not revert everything:\n%snatsh: type `confirm` to read this again and clear it\n", o);
	free(o);
}

/* The namespace first, then the context, then one way of running commands. */
int main(int argc, char **argv)
{
	struct options o = { 0 };
	struct nsh_ctx ctx;
	const char *nc;
	int first, status = 0, ret;

	if (argc > 1 && strcmp(argv[1], "--complete") == 0)
		return complete_mode(argc - 2, argv + 2);
	first = parse_options(argc, argv, &o, &status);
	if (first < 0)
		return status;
	/* the namespace comes first: everything after runs inside it */
	if (o.netns && nsh_netns_enter(o.netns) < 0) {
		if (errno == ENOENT)
			fprintf(stderr, "natsh: network namespace \"%s\" does not exist "
				"(see ip netns list)\n", o.netns);
		else if (errno == EPERM)
			fprintf(stderr, "natsh: cannot enter network namespace \"%s\": "
				"permission denied (run as root)\n", o.netns);
		else
			fprintf(stderr, "natsh: cannot enter network namespace \"%s\": %s\n",
				o.netns, strerror(errno));
		return 1;
	}
	/* `natsh confirm` shows the notice itself */
	if (!(first < argc && strcmp(argv[first], "confirm") == 0))
		tell_rollback_outcome();
	nsh_ctx_init(&ctx);
	nc = getenv("NO_COLOR");
	ctx.netns = o.netns;
	ctx.json = o.json;
	ctx.check = o.check;
	ctx.yes = o.yes;
	if (o.confirm) {
		/* the sysctls before the batch: the rollback puts back what it changes */
		ctx.confirm_secs = o.confirm;
		ctx.confirm_sys = nsh_xcalloc(1, sizeof(*ctx.confirm_sys));
		nsh_sysctl_snap_take(ctx.confirm_sys);
	}
	ctx.color = !o.no_color && !(nc && *nc) && !o.json && isatty(STDOUT_FILENO);
	/* piped output: big writes (a 50,000-line listing in ~250 write(2)s, not ~3,000) */
	if (!isatty(STDOUT_FILENO)) {
		static char outbuf[1 << 14];	/* stdout's, for the process's life */

		setvbuf(stdout, outbuf, _IOFBF, sizeof(outbuf));
	}
	ctx.out = nsh_out_file(stdout, ctx.json, ctx.color);

	if (o.command)
		ret = nsh_batch_string(&ctx, "-c", o.command);
	else if (o.file)
		ret = nsh_batch_file(&ctx, o.file);
	else if (first < argc)
		ret = run_operands(&ctx, argc - first, argv + first);
	else if (isatty(STDIN_FILENO))
		ret = nsh_repl(&ctx);
	else
		ret = nsh_batch_file(&ctx, "-");
	if (ctx.confirm_secs && ret == NSH_OK && !ctx.check) {
		struct nsh_sysctl_snap changed;

		/* --confirm but no ruleset change: nothing can roll back what the batch did */
		nsh_sysctl_snap_changed(ctx.confirm_sys, &changed);
		fprintf(stderr, "natsh: warning: --confirm: the batch changed no rule, so no "
			"rollback is armed%s\n", changed.n ? "; its sysctl changes stay" : "");
		nsh_sysctl_snap_clear(&changed);
	}
	nsh_ctx_fini(&ctx);
	nsh_sysctl_snap_clear(ctx.confirm_sys);
	free(ctx.confirm_sys);
	fflush(stdout);
	return exit_status(ret);
}
