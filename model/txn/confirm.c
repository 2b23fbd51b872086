/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The commit confirmed timer: a detached process that reverts a commit unless confirmed. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <syslog.h>
#include <unistd.h>

#include <jansson.h>

#include "lib/util.h"
#include "model/txn/confirm.h"
#include "model/nl/sysctl.h"
#include "model/txn/txn.h"

/* ---- sysctl snapshots ---- */

/* nsh_sysctl_each callback: append key = its current value. */
static void snap_one(void *arg, const char *key, const char *help)
{
	struct nsh_sysctl_snap *s = arg;
	struct nsh_sysctl_val *v;

	s->v = nsh_xrealloc(s->v, (s->n + 1) * sizeof(*s->v));
	v = &s->v[s->n];
	snprintf(v->key, sizeof(v->key), "%s", key);
	if (nsh_sysctl_read(key, v->val, sizeof(v->val)) < 0)
		return;
	s->n++;
}

/* Every knob natsh knows, as it is now. */
void nsh_sysctl_snap_take(struct nsh_sysctl_snap *s)
{
	memset(s, 0, sizeof(*s));
	nsh_sysctl_each(snap_one, s);
}

/* Compared with the current values; keys gone since are skipped. */
void nsh_sysctl_snap_changed(const struct nsh_sysctl_snap *before, struct nsh_sysctl_snap *out)
{
	char now[64];
	size_t i;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < before->n; i++) {
		if (nsh_sysctl_read(before->v[i].key, now, sizeof(now)) < 0 ||
		    !strcmp(now, before->v[i].val))
			continue;
		out->v = nsh_xrealloc(out->v, (out->n + 1) * sizeof(*out->v));
		out->v[out->n++] = before->v[i];
	}
}

/* Best effort, every key tried. */
size_t nsh_sysctl_snap_restore(const struct nsh_sysctl_snap *s)
{
	size_t i, bad = 0;

	for (i = 0; i < s->n; i++)
		bad += nsh_sysctl_write(s->v[i].key, s->v[i].val) < 0;
	return bad;
}

/* NULL-safe. */
void nsh_sysctl_snap_clear(struct nsh_sysctl_snap *s)
{
	if (!s)
		return;
	free(s->v);
	memset(s, 0, sizeof(*s));
}

/* ---- state file ---- */

/* Per namespace: named after the inode of /proc/self/ns/net. */
int nsh_confirm_paths(struct nsh_confirm *c)
{
	struct stat st;

	if (stat("/proc/self/ns/net", &st) < 0)
		return -1;
	snprintf(c->state, sizeof(c->state), NSH_RUN_DIR "/confirm-%lu.json",
		 (unsigned long)st.st_ino);
	snprintf(c->log, sizeof(c->log), NSH_RUN_DIR "/confirm-%lu.log",
		 (unsigned long)st.st_ino);
	snprintf(c->outcome, sizeof(c->outcome), NSH_RUN_DIR "/rollback-%lu.txt",
		 (unsigned long)st.st_ino);
	return 0;
}

/* Is pid natsh's timer in our namespace (its name and its netns inode)? */
static bool is_timer(pid_t pid)
{
	char path[64], comm[32] = "";
	struct stat a, b;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return false;
	if (!fgets(comm, sizeof(comm), f))
		comm[0] = '\0';
	fclose(f);
	comm[strcspn(comm, "\n")] = '\0';
	if (strcmp(comm, NSH_CONFIRM_COMM))
		return false;
	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)pid);
	return stat(path, &a) == 0 && stat("/proc/self/ns/net", &b) == 0 && a.st_ino == b.st_ino;
}

/* Read the state file; a stale one (no live timer) is removed. */
int nsh_confirm_pending(struct nsh_confirm *c)
{
	json_error_t jerr;
	json_t *j;
	int r = 0;

	memset(c, 0, sizeof(*c));
	if (nsh_confirm_paths(c) < 0)
		return -1;
	j = json_load_file(c->state, 0, &jerr);
	if (!j)
		return access(c->state, F_OK) == 0 ? (errno = EINVAL, -1) : 0;
	c->pid = (pid_t)json_integer_value(json_object_get(j, "pid"));
	c->deadline = (time_t)json_integer_value(json_object_get(j, "deadline"));
	c->genid = (uint32_t)json_integer_value(json_object_get(j, "genid"));
	json_decref(j);
	if (c->pid > 1 && is_timer(c->pid))
		r = 1;
	else
		unlink(c->state);
	return r;
}

/* Temp file in the same directory + fsync + rename: readers see all or nothing. */
static int write_state(const struct nsh_confirm *c)
{
	char tmp[160];
	FILE *f;
	int fd;

	snprintf(tmp, sizeof(tmp), "%s.%d.tmp", c->state, (int)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		unlink(tmp);
		return -1;
	}
	fprintf(f, "{\"pid\": %d, \"deadline\": %lld, \"genid\": %u, \"log\": \"%s\"}\n",
		(int)c->pid, (long long)c->deadline, c->genid, c->log);
	if (fflush(f) || fsync(fd) || fclose(f) || rename(tmp, c->state)) {
		unlink(tmp);
		return -1;
	}
	return 0;
}

/* ---- the timer ---- */

struct timer {
	FILE *log;
	FILE *outcome;		/* opened on the first line it gets */
	char outcome_path[128];
};

/* One line to syslog and to the log file, with the time. */
static void tlog(struct timer *tm, int prio, const char *fmt, ...)
{
	char msg[700], when[32];
	time_t now = time(NULL);
	struct tm lt;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	syslog(prio, "%s", msg);
	if (tm->log) {
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", localtime_r(&now, &lt));
		fprintf(tm->log, "%s natsh-confirm[%d]: %s\n", when, (int)getpid(), msg);
		fflush(tm->log);
	}
}

/* Remove the state file if it is still ours. */
static void state_drop(const struct nsh_confirm *c)
{
	json_t *j = json_load_file(c->state, 0, NULL);

	if (j && json_integer_value(json_object_get(j, "pid")) == getpid())
		unlink(c->state);
	json_decref(j);
}

/* Append a line to the outcome file (created 0644 on first use). */
static void outcome_add(struct timer *tm, const char *line)
{
	if (!tm->outcome && tm->outcome_path[0]) {
		int fd = open(tm->outcome_path, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW |
			      O_CLOEXEC, 0644);

		tm->outcome = fd >= 0 ? fdopen(fd, "a") : NULL;
	}
	if (tm->outcome) {
		fprintf(tm->outcome, "%s\n", line);
		fflush(tm->outcome);
	}
}

/*
 * Revert the commit: exactly when nobody else changed nf_tables, else
 * natsh's own part (model/txn/undo.c), then the sysctls it set that still
 * hold what it set.  What is left as it was is logged and written to the
 * outcome file.
 */
static void rollback(struct nsh_txn *t, const struct nsh_sysctl_snap *sys,
		     const struct nsh_sysctl_snap *set, struct timer *tm, const char *why)
{
	struct nsh_undo_left left = { 0 };
	struct nsh_txn_err e;
	char when[32], line[800], cur[64];
	time_t now = time(NULL);
	struct tm lt;
	size_t i, bad = 0;
	int rc;

	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", localtime_r(&now, &lt));
	tlog(tm, LOG_WARNING, "%s: rolling back the commit (generation %u)", why,
	     nsh_txn_undo_genid(t));
	rc = nsh_txn_undo_merge(t, &left, &e);
	if (rc < 0) {
		tlog(tm, LOG_ERR, "ROLLBACK REFUSED: %s; the sysctls are left as they are too",
		     e.msg);
		snprintf(line, sizeof(line), "%s: the commit confirmed rollback was REFUSED (%s): "
			 "%s; the change and its sysctls stay", when, why, e.msg);
		outcome_add(tm, line);
		return;
	}
	if (rc == 0 && !left.merged)
		tlog(tm, LOG_WARNING, "rolled back: the ruleset is as it was before the commit");
	else if (rc == 0)
		tlog(tm, LOG_WARNING, "rolled back natsh's change; someone else changed nf_tables "
		     "meanwhile, and those changes stay");
	else
		tlog(tm, LOG_ERR, "ROLLBACK INCOMPLETE: someone else changed what the commit "
		     "touched; natsh's own change is reverted, %zu thing%s left", left.n,
		     left.n == 1 ? "" : "s");
	if (rc == 1) {
		snprintf(line, sizeof(line), "%s: the commit confirmed rollback (%s) was INCOMPLETE: "
			 "someone else changed what the commit touched", when, why);
		outcome_add(tm, line);
	}
	for (i = 0; i < left.n; i++) {
		tlog(tm, LOG_ERR, "left: %s", left.v[i]);
		snprintf(line, sizeof(line), "  %s", left.v[i]);
		outcome_add(tm, line);
	}
	for (i = 0; i < sys->n; i++) {
		/* put back only what still holds natsh's value: someone may have set it since */
		if (nsh_sysctl_read(sys->v[i].key, cur, sizeof(cur)) == 0 &&
		    strcmp(cur, set->v[i].val) != 0) {
			tlog(tm, LOG_ERR, "left: sysctl %s is %s now (natsh set %s): someone else "
			     "changed it, so it is not put back to %s", sys->v[i].key, cur,
			     set->v[i].val, sys->v[i].val);
			if (rc == 0) {
				snprintf(line, sizeof(line), "%s: the commit confirmed rollback (%s) was "
					 "INCOMPLETE: the rules are reverted, a sysctl is not", when, why);
				outcome_add(tm, line);
				rc = 1;
			}
			snprintf(line, sizeof(line), "  sysctl %s is %s (natsh set %s): changed by "
				 "someone else, left as it is", sys->v[i].key, cur, set->v[i].val);
			outcome_add(tm, line);
			continue;
		}
		if (nsh_sysctl_write(sys->v[i].key, sys->v[i].val) < 0) {
			bad++;
			continue;
		}
		tlog(tm, LOG_WARNING, "sysctl %s put back to %s", sys->v[i].key, sys->v[i].val);
	}
	if (bad) {
		tlog(tm, LOG_ERR, "%zu sysctl%s could not be put back", bad, bad == 1 ? "" : "s");
		snprintf(line, sizeof(line), "  %zu sysctl%s could not be put back", bad,
			 bad == 1 ? "" : "s");
		outcome_add(tm, line);
	}
	nsh_undo_left_clear(&left);
}

/* The grandchild: detached, waits for SIGUSR1 (keep) or the deadline / SIGTERM (revert). */
static void __attribute__((noreturn)) timer_main(struct nsh_txn *t, unsigned secs,
						 const struct nsh_sysctl_snap *sys,
						 struct nsh_confirm *c, int ready)
{
	struct timer tm = { 0 };
	struct timespec end, now, left;
	struct nsh_sysctl_snap set = { 0 };
	sigset_t sigs;
	size_t i;
	int fd, sig;
	long maxfd;

	prctl(PR_SET_NAME, NSH_CONFIRM_COMM, 0, 0, 0);
	prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0);
	if (chdir("/") < 0)
		_exit(1);
	umask(022);
	nsh_txn_wire_drop(t);
	maxfd = sysconf(_SC_OPEN_MAX);
	for (fd = 3; fd < (maxfd > 0 && maxfd < 4096 ? maxfd : 4096); fd++)
		if (fd != ready)
			close(fd);
	fd = open("/dev/null", O_RDWR);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	signal(SIGHUP, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGUSR1);
	sigaddset(&sigs, SIGTERM);
	sigprocmask(SIG_BLOCK, &sigs, NULL);
	openlog(NSH_CONFIRM_COMM, LOG_PID, LOG_USER);
	fd = open(c->log, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0644);
	tm.log = fd >= 0 ? fdopen(fd, "a") : NULL;
	snprintf(tm.outcome_path, sizeof(tm.outcome_path), "%s", c->outcome);
	/* what the commit set: a rollback puts back only what still holds it */
	set.n = sys->n;
	set.v = nsh_xcalloc(sys->n ? sys->n : 1, sizeof(*set.v));
	for (i = 0; i < sys->n; i++) {
		snprintf(set.v[i].key, sizeof(set.v[i].key), "%s", sys->v[i].key);
		if (nsh_sysctl_read(sys->v[i].key, set.v[i].val, sizeof(set.v[i].val)) < 0)
			set.v[i].val[0] = '\0';
	}

	c->pid = getpid();
	if (write_state(c) < 0) {
		tlog(&tm, LOG_ERR, "cannot write %s: %s; rolling back now", c->state,
		     strerror(errno));
		if (write(ready, "E", 1) < 0)
			_exit(1);
		close(ready);
		rollback(t, sys, &set, &tm, "no state file");
		_exit(1);
	}
	if (write(ready, &c->pid, sizeof(c->pid)) < 0)
		tlog(&tm, LOG_ERR, "cannot tell natsh the timer started");
	close(ready);
	tlog(&tm, LOG_NOTICE, "commit (generation %u) rolls back in %u s unless confirmed",
	     c->genid, secs);

	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += secs;
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		left.tv_sec = end.tv_sec - now.tv_sec;
		left.tv_nsec = end.tv_nsec - now.tv_nsec;
		if (left.tv_nsec < 0) {
			left.tv_sec--;
			left.tv_nsec += 1000000000L;
		}
		if (left.tv_sec < 0) {
			rollback(t, sys, &set, &tm, "not confirmed in time");
			break;
		}
		sig = sigtimedwait(&sigs, NULL, &left);
		if (sig == SIGUSR1) {
			tlog(&tm, LOG_NOTICE, "confirmed: the commit (generation %u) stays", c->genid);
			break;
		}
		if (sig == SIGTERM) {
			rollback(t, sys, &set, &tm, "asked to roll back now (SIGTERM)");
			break;
		}
		/* EAGAIN (deadline) or EINTR: the loop checks the time */
	}
	state_drop(c);
	closelog();
	_exit(0);
}

/* The directory exists (created 0755) and this process may write in it. */
int nsh_confirm_ready(void)
{
	if (mkdir(NSH_RUN_DIR, 0755) < 0 && errno != EEXIST)
		return -1;
	return access(NSH_RUN_DIR, W_OK | X_OK);
}

/* Double fork: the timer is orphaned at once (init reaps it) and owns a new session. */
int nsh_confirm_start(struct nsh_txn *t, unsigned secs, const struct nsh_sysctl_snap *sys,
		      struct nsh_confirm *c, char *err, size_t errlen)
{
	const char *broken = nsh_txn_undo_broken(t);
	int p[2], status;
	pid_t child, pid = 0;
	ssize_t n;

	memset(c, 0, sizeof(*c));
	if (broken) {
		snprintf(err, errlen, "the commit cannot be rolled back: %s", broken);
		return -1;
	}
	if (nsh_confirm_paths(c) < 0 || (mkdir(NSH_RUN_DIR, 0755) < 0 && errno != EEXIST)) {
		snprintf(err, errlen, "cannot use %s: %s", NSH_RUN_DIR, strerror(errno));
		return -1;
	}
	c->genid = nsh_txn_undo_genid(t);
	c->deadline = time(NULL) + secs;
	if (pipe2(p, O_CLOEXEC) < 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return -1;
	}
	fflush(NULL);
	child = fork();
	if (child < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (child == 0) {
		close(p[0]);
		setsid();
		if (fork() == 0)
			timer_main(t, secs, sys, c, p[1]);
		_exit(0);
	}
	close(p[1]);
	waitpid(child, &status, 0);
	do
		n = read(p[0], &pid, sizeof(pid));
	while (n < 0 && errno == EINTR);
	close(p[0]);
	if (n != sizeof(pid) || pid <= 1) {
		snprintf(err, errlen, "the timer process did not start (see %s)", c->log);
		return -1;
	}
	c->pid = pid;
	return 0;
}

/* SIGUSR1, then up to 3 s for the timer to go (it removes the state file). */
int nsh_confirm_keep(const struct nsh_confirm *c)
{
	int i;

	if (!is_timer(c->pid)) {
		errno = ESRCH;
		return -1;
	}
	if (kill(c->pid, SIGUSR1) < 0)
		return -1;
	for (i = 0; i < 300; i++) {
		if (kill(c->pid, 0) < 0 && errno == ESRCH)
			return 0;
		if (!is_timer(c->pid))
			return 0;
		usleep(10000);
	}
	errno = ETIMEDOUT;
	return -1;
}

char *nsh_confirm_outcome(void)
{
	struct nsh_confirm c;
	struct stat st;
	char *s;
	FILE *f;
	size_t n;

	if (nsh_confirm_paths(&c) < 0 || !(f = fopen(c.outcome, "re")))
		return NULL;
	if (fstat(fileno(f), &st) < 0 || st.st_size <= 0 || st.st_size > (1 << 20)) {
		fclose(f);
		return NULL;
	}
	s = nsh_xmalloc((size_t)st.st_size + 1);
	n = fread(s, 1, (size_t)st.st_size, f);
	fclose(f);
	s[n] = '\0';
	return s;
}

void nsh_confirm_outcome_clear(void)
{
	struct nsh_confirm c;

	if (nsh_confirm_paths(&c) == 0)
		unlink(c.outcome);
}
