/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * render/: the model made readable: out.c (the output object, text or
 * JSON), ct, doctor's findings, save scripts, iptables export, top's ncurses
 * screen.  Reads the model, never changes it, never talks to the kernel.
 * May use model (all of model/), lib.
 *
 * The output object: every command prints through it, so one call emits
 * text or JSON (in the manner of iproute2's print_*(PRINT_ANY, ...)).
 * Writes to a FILE or to a memory buffer (tests compare buffers).
 *
 * In JSON mode one command produces one JSON document: the command opens
 * the top-level object/array and closes it; text-only calls are ignored.
 * In text mode key names are ignored and text_fmt (printf, one conversion
 * matching the value) is used; a NULL text_fmt prints nothing in text mode.
 */
#ifndef NSH_OUT_H
#define NSH_OUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct nsh_out;

enum nsh_color {
	NSH_C_NONE,
	NSH_C_HEADER,	/* column headers, section titles */
	NSH_C_TABLE,	/* table names */
	NSH_C_CHAIN,	/* chain names */
	NSH_C_HANDLE,	/* handles, positions */
	NSH_C_COUNT,	/* packet/byte counters */
	NSH_C_HOT,	/* the hottest rule, non-zero rates */
	NSH_C_ADDR,	/* addresses */
	NSH_C_COMMENT,
	NSH_C_WARN,
	NSH_C_ERR,
	NSH_C_OK,
	NSH_C_DIM,
};

struct nsh_out *nsh_out_file(FILE *f, bool json, bool color);
struct nsh_out *nsh_out_mem(bool json);		/* text kept in memory */
const char *nsh_out_str(const struct nsh_out *o);	/* mem only: what was written */
void nsh_out_flush(struct nsh_out *o);
void nsh_out_free(struct nsh_out *o);
bool nsh_out_json(const struct nsh_out *o);
bool nsh_out_color(const struct nsh_out *o);

/* JSON structure; in text mode these print nothing. key NULL inside arrays. */
void nsh_out_obj_open(struct nsh_out *o, const char *key);
void nsh_out_obj_close(struct nsh_out *o);
void nsh_out_arr_open(struct nsh_out *o, const char *key);
void nsh_out_arr_close(struct nsh_out *o);

/* Values: JSON member KEY, or text through text_fmt. */
void nsh_out_string(struct nsh_out *o, enum nsh_color c, const char *key,
		    const char *text_fmt, const char *val);
void nsh_out_uint(struct nsh_out *o, enum nsh_color c, const char *key,
		  const char *text_fmt, uint64_t val);
void nsh_out_int(struct nsh_out *o, enum nsh_color c, const char *key,
		 const char *text_fmt, int64_t val);
void nsh_out_double(struct nsh_out *o, enum nsh_color c, const char *key,
		    const char *text_fmt, double val);
void nsh_out_bool(struct nsh_out *o, const char *key, const char *text_fmt, bool val);
void nsh_out_null(struct nsh_out *o, const char *key, const char *text_fmt);

/* Text-only output (ignored in JSON mode). */
void nsh_out_text(struct nsh_out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void nsh_out_ctext(struct nsh_out *o, enum nsh_color c, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Aligned text columns: add rows of cells, then print them with each column
 * padded to its widest cell (the last column is never padded).  Text mode
 * only; JSON callers emit their objects with the calls above.
 */
struct nsh_cols;
struct nsh_cols *nsh_cols_new(size_t ncols, const char *const *headers,
			      const bool *right_align);
void nsh_cols_add(struct nsh_cols *t, const char *const *cells,
		  const enum nsh_color *colors);	/* colors may be NULL */
void nsh_cols_print(struct nsh_cols *t, struct nsh_out *o);
void nsh_cols_free(struct nsh_cols *t);

/* Human-readable counts: 999, 1.2K, 3.4M, 5.6G (buf of 16 bytes). */
const char *nsh_human(uint64_t n, char buf[16]);

#endif
