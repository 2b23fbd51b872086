/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * commit confirmed: after a commit, a small detached process (its own
 * session, no terminal, stdio on /dev/null) waits SECONDS and then reverts
 * the commit from natsh's undo record, in one transaction carrying the
 * generation id recorded right after the commit.  When someone else changed
 * the ruleset since, it reverts natsh's own change only (nsh_txn_undo_merge:
 * natsh's rules go, the rules it deleted come back, what others changed in
 * those very objects stays), and what it left is logged (syslog and
 * /run/natsh/confirm-<netns inode>.log) and written to
 * /run/natsh/rollback-<netns inode>.txt, which natsh shows at every start,
 * in the prompt and in `confirm` until read.  The sysctls the change set
 * are put back with it, unless someone else changed them again.
 *
 * One state file per network namespace, /run/natsh/confirm-<inode>.json
 * ({"pid":..,"deadline":..,"genid":..}), says a confirmation is pending;
 * the timer removes it when it ends.  SIGUSR1 = confirmed (exit, keep the
 * change); SIGTERM = roll back now.  Nothing here prints.
 */
#ifndef NSH_CONFIRM_H
#define NSH_CONFIRM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

struct nsh_txn;

#define NSH_RUN_DIR "/run/natsh"
#define NSH_CONFIRM_COMM "natsh-confirm"	/* the timer's process name */

/* Values of sysctls, to put back the ones a change set. */
struct nsh_sysctl_snap {
	size_t n;
	struct nsh_sysctl_val {
		char key[160];
		char val[64];
	} *v;
};

/* Read every NAT knob that exists in this namespace. */
void nsh_sysctl_snap_take(struct nsh_sysctl_snap *s);
/* The entries of before whose value is different now (old values kept). */
void nsh_sysctl_snap_changed(const struct nsh_sysctl_snap *before, struct nsh_sysctl_snap *out);
/* Write every value back; the number that failed. */
size_t nsh_sysctl_snap_restore(const struct nsh_sysctl_snap *s);
void nsh_sysctl_snap_clear(struct nsh_sysctl_snap *s);

/* A pending confirmation as its state file says. */
struct nsh_confirm {
	pid_t pid;
	time_t deadline;	/* wall clock, seconds */
	uint32_t genid;		/* generation right after the commit */
	char state[128];	/* the state file */
	char log[128];		/* the timer's log file */
	char outcome[128];	/* a rollback that could not revert everything says so here */
};

/* The state and log file names of the current network namespace; -1 + errno. */
int nsh_confirm_paths(struct nsh_confirm *c);

/*
 * 1 and *c filled when a confirmation is pending in this namespace (the
 * state file names a live natsh timer of this namespace), 0 when none (a
 * stale state file is removed), -1 + errno when it cannot be read.
 */
int nsh_confirm_pending(struct nsh_confirm *c);

/* Can a timer be armed here (/run/natsh usable)?  Checked before committing; -1 + errno. */
int nsh_confirm_ready(void);

/*
 * Start the timer for the commit t recorded last: it reverts that record
 * and restores sys unless confirmed within secs.  Takes nothing from the
 * caller (the child has its own copy of everything).  0 and *c filled, or
 * -1 with why in err.
 */
int nsh_confirm_start(struct nsh_txn *t, unsigned secs, const struct nsh_sysctl_snap *sys,
		      struct nsh_confirm *c, char *err, size_t errlen);

/* Tell the pending timer the change stays and wait (bounded) until it ended; -1 + errno. */
int nsh_confirm_keep(const struct nsh_confirm *c);

/*
 * A rollback that was refused or left something as it was writes what it
 * left to the outcome file, which stays until the user has read it.  The
 * text (caller frees) when there is one, else NULL.
 */
char *nsh_confirm_outcome(void);
/* The user has read it: remove the outcome file. */
void nsh_confirm_outcome_clear(void);

#endif
