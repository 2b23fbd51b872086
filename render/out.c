/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The output object: text or JSON to a FILE or to memory.  JSON is written
 * as a stream (no document tree is built), so printing 50,000 rules costs
 * no more memory than printing one.
 */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/buf.h"
#include "lib/util.h"
#include "render/out.h"

#define OUT_DEPTH_MAX 32

struct nsh_out {
	FILE *f;		/* NULL: memory */
	struct nsh_buf mem;	/* memory output; for JSON to f, what is not written yet */
	bool json, color;
	bool tty;		/* f is a terminal: control characters in data are shown, not sent */
	unsigned depth;
	bool first[OUT_DEPTH_MAX];	/* no member written yet at this depth */
	bool is_arr[OUT_DEPTH_MAX];
};

/* Open an output object on a stream; the stream stays the caller's. */
struct nsh_out *nsh_out_file(FILE *f, bool json, bool color)
{
	struct nsh_out *o = nsh_xcalloc(1, sizeof(*o));

	o->f = f;
	o->json = json;
	o->color = color && !json;
	o->tty = f && isatty(fileno(f));
	nsh_buf_init(&o->mem);
	return o;
}

/* An output object that keeps what is written, for tests and for callers that post-process. */
struct nsh_out *nsh_out_mem(bool json)
{
	return nsh_out_file(NULL, json, false);
}

/* What a memory output holds so far. */
const char *nsh_out_str(const struct nsh_out *o)
{
	return o->mem.s;
}

/* Push what is buffered to the stream. */
void nsh_out_flush(struct nsh_out *o)
{
	if (!o || !o->f)
		return;
	if (o->mem.len) {
		fwrite_unlocked(o->mem.s, 1, o->mem.len, o->f);
		nsh_buf_reset(&o->mem);
	}
	fflush(o->f);
}

/* Flush and release; the stream stays open. */
void nsh_out_free(struct nsh_out *o)
{
	if (!o)
		return;
	nsh_out_flush(o);
	nsh_buf_free(&o->mem);
	free(o);
}

/* Is this output JSON? */
bool nsh_out_json(const struct nsh_out *o)
{
	return o->json;
}

/* Does this output use colour? */
bool nsh_out_color(const struct nsh_out *o)
{
	return o->color;
}

/*
 * Bytes as they are: to the stream or to memory (natsh's own colour codes).
 * JSON, made of many small pieces, gathers in memory and goes out 64 KiB at
 * a time and at the end of each document (json_close); text is written
 * straight away, in order with what else writes to the stream.
 */
#define OUT_JSON_CHUNK 65536
static void out_putn_raw(struct nsh_out *o, const char *s, size_t n)
{
	if (!o->f || o->json) {
		nsh_buf_putn_fast(&o->mem, s, n);
		if (o->f && o->mem.len >= OUT_JSON_CHUNK) {
			fwrite_unlocked(o->mem.s, 1, o->mem.len, o->f);
			nsh_buf_reset(&o->mem);
		}
		return;
	}
	fwrite_unlocked(s, 1, n, o->f);	/* one thread writes natsh's output */
}

/*
 * Every byte of data goes through here.  On a terminal a control character
 * other than newline and tab is written as cat -v does ("^[" for ESC): a
 * comment or an interface name the kernel holds (any tool may have written
 * it) cannot move the cursor or recolour the admin's screen.  Elsewhere the
 * bytes go out as they are, as nft writes them.
 */
static void out_putn(struct nsh_out *o, const char *s, size_t n)
{
	size_t i, from = 0;
	char caret[2] = { '^', 0 };

	if (!o->tty) {
		out_putn_raw(o, s, n);
		return;
	}
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c >= ' ' && c != 0x7f) || c == '\n' || c == '\t')
			continue;
		out_putn_raw(o, s + from, i - from);
		caret[1] = (char)(c ^ 0x40);
		out_putn_raw(o, caret, 2);
		from = i + 1;
	}
	out_putn_raw(o, s + from, n - from);
}

/* A NUL-terminated string. */
static void out_puts(struct nsh_out *o, const char *s)
{
	out_putn(o, s, strlen(s));
}

/* Formatted, to the stream or to memory. */
static void out_vprintf(struct nsh_out *o, const char *fmt, va_list ap)
{
	if (fmt[0] == '%' && fmt[1] == 's' && !fmt[2]) {	/* a whole buffer: no printf */
		va_list ap2;
		const char *s;

		va_copy(ap2, ap);
		s = va_arg(ap2, const char *);
		va_end(ap2);
		if (s) {
			out_puts(o, s);
			return;
		}
	}
	if (o->f && !o->tty && !o->json) {
		vfprintf(o->f, fmt, ap);
	} else if (o->f && o->tty) {
		struct nsh_buf b;

		nsh_buf_init(&b);
		nsh_buf_vprintf(&b, fmt, ap);
		out_putn(o, b.s, b.len);
		nsh_buf_free(&b);
	} else {		/* memory, or JSON gathering in memory */
		nsh_buf_vprintf(&o->mem, fmt, ap);
		if (o->f && o->mem.len >= OUT_JSON_CHUNK) {
			fwrite_unlocked(o->mem.s, 1, o->mem.len, o->f);
			nsh_buf_reset(&o->mem);
		}
	}
}

static void out_printf(struct nsh_out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Formatted, to the stream or to memory. */
static void out_printf(struct nsh_out *o, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	out_vprintf(o, fmt, ap);
	va_end(ap);
}

/* SGR sequences per role; empty strings when the role has no colour. */
static const char *color_on(enum nsh_color c)
{
	switch (c) {
	case NSH_C_HEADER:	return "\033[1m";
	case NSH_C_TABLE:	return "\033[1;34m";
	case NSH_C_CHAIN:	return "\033[1;36m";
	case NSH_C_HANDLE:	return "\033[33m";
	case NSH_C_COUNT:	return "\033[32m";
	case NSH_C_HOT:		return "\033[1;31m";
	case NSH_C_ADDR:	return "\033[36m";
	case NSH_C_COMMENT:	return "\033[2;32m";
	case NSH_C_WARN:	return "\033[1;33m";
	case NSH_C_ERR:		return "\033[1;31m";
	case NSH_C_OK:		return "\033[1;32m";
	case NSH_C_DIM:		return "\033[2m";
	case NSH_C_NONE:
	default:		return "";
	}
}

/* Start a colour role (nothing when colour is off). */
static void color_begin(struct nsh_out *o, enum nsh_color c)
{
	if (o->color && c != NSH_C_NONE)
		out_putn_raw(o, color_on(c), strlen(color_on(c)));
}

/* Back to the default rendition. */
static void color_end(struct nsh_out *o, enum nsh_color c)
{
	if (o->color && c != NSH_C_NONE)
		out_putn_raw(o, "\033[0m", 4);
}

/* Length of the valid UTF-8 sequence at s (0 when invalid). */
static size_t utf8_len(const unsigned char *s, size_t avail)
{
	size_t n, i;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (n > avail)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* reject overlong forms, surrogates and values past U+10FFFF */
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

/*
 * A JSON string literal: quotes, escapes, invalid UTF-8 replaced by U+FFFD.
 * Runs of bytes that need no escape go out in one write each.
 */
static void json_str(struct nsh_out *o, const char *s)
{
	const unsigned char *p = (const unsigned char *)s, *run = p;
	size_t avail = strlen(s), n;
	const char *esc;
	char u[8];

	out_putn(o, "\"", 1);
	while (avail) {
		unsigned char c = *p;

		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
			p++;
			avail--;
			continue;
		}
		if (c >= 0x80 && (n = utf8_len(p, avail)) != 0) {
			p += n;
			avail -= n;
			continue;
		}
		out_putn(o, (const char *)run, (size_t)(p - run));
		switch (c) {
		case '"':  esc = "\\\""; break;
		case '\\': esc = "\\\\"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		case '\t': esc = "\\t"; break;
		case '\b': esc = "\\b"; break;
		case '\f': esc = "\\f"; break;
		default:
			if (c < 0x20 || c == 0x7f) {
				snprintf(u, sizeof(u), "\\u%04x", c);
				esc = u;
			} else {
				esc = "\\ufffd";	/* not UTF-8 */
			}
		}
		out_puts(o, esc);
		p++;
		avail--;
		run = p;
	}
	out_putn(o, (const char *)run, (size_t)(p - run));
	out_putn(o, "\"", 1);
}

/* Separator and key before a JSON value; keys are dropped inside arrays. */
static void json_member(struct nsh_out *o, const char *key)
{
	if (o->depth == 0)
		return;
	if (!o->first[o->depth])
		out_putn(o, ",", 1);
	o->first[o->depth] = false;
	if (!o->is_arr[o->depth]) {	/* keys are natsh's own words: escaped only if need be */
		const char *k = key ? key : "";
		size_t n = 0;

		while (k[n] >= 0x20 && k[n] < 0x7f && k[n] != '"' && k[n] != '\\')
			n++;
		if (k[n]) {
			json_str(o, k);
		} else {
			out_putn_raw(o, "\"", 1);
			out_putn_raw(o, k, n);
			out_putn_raw(o, "\"", 1);
		}
		out_putn_raw(o, ":", 1);
	}
}

/* Open an object or array as a member of the current container. */
static void json_open(struct nsh_out *o, const char *key, bool arr)
{
	json_member(o, key);
	out_putn(o, arr ? "[" : "{", 1);
	if (o->depth + 1 < OUT_DEPTH_MAX)
		o->depth++;
	o->first[o->depth] = true;
	o->is_arr[o->depth] = arr;
}

/* Close the current container; the top level ends the document. */
static void json_close(struct nsh_out *o)
{
	if (o->depth == 0)
		return;
	out_putn(o, o->is_arr[o->depth] ? "]" : "}", 1);
	o->depth--;
	if (o->depth == 0) {
		out_putn(o, "\n", 1);
		nsh_out_flush(o);
	}
}

/* A JSON object (nothing in text mode). */
void nsh_out_obj_open(struct nsh_out *o, const char *key)
{
	if (o->json)
		json_open(o, key, false);
}

/* End of a JSON object. */
void nsh_out_obj_close(struct nsh_out *o)
{
	if (o->json)
		json_close(o);
}

/* A JSON array (nothing in text mode). */
void nsh_out_arr_open(struct nsh_out *o, const char *key)
{
	if (o->json)
		json_open(o, key, true);
}

/* End of a JSON array. */
void nsh_out_arr_close(struct nsh_out *o)
{
	if (o->json)
		json_close(o);
}

/* A JSON value written on its own (depth 0) ends the document. */
static void json_scalar_end(struct nsh_out *o)
{
	if (o->depth == 0)
		out_putn(o, "\n", 1);
}

/* Format with the caller's one-conversion format; -Wformat cannot see it, so it is checked by review. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
/* A value in text mode, in its colour. */
static void text_value(struct nsh_out *o, enum nsh_color c, const char *fmt, ...)
{
	va_list ap;

	color_begin(o, c);
	va_start(ap, fmt);
	out_vprintf(o, fmt, ap);
	va_end(ap);
	color_end(o, c);
}
#pragma GCC diagnostic pop

/* A string: JSON member (null when val is NULL) or text through text_fmt. */
void nsh_out_string(struct nsh_out *o, enum nsh_color c, const char *key,
		    const char *text_fmt, const char *val)
{
	if (o->json) {
		json_member(o, key);
		if (val)
			json_str(o, val);
		else
			out_puts(o, "null");
		json_scalar_end(o);
	} else if (text_fmt) {
		text_value(o, c, text_fmt, val ? val : "");
	}
}

/* An unsigned number, exact in JSON. */
void nsh_out_uint(struct nsh_out *o, enum nsh_color c, const char *key,
		  const char *text_fmt, uint64_t val)
{
	if (o->json) {
		char num[24], *p = num + sizeof(num);

		json_member(o, key);
		do
			*--p = (char)('0' + val % 10);
		while (val /= 10);
		out_putn_raw(o, p, (size_t)(num + sizeof(num) - p));
		json_scalar_end(o);
	} else if (text_fmt) {
		text_value(o, c, text_fmt, val);
	}
}

/* A signed number, exact in JSON. */
void nsh_out_int(struct nsh_out *o, enum nsh_color c, const char *key,
		 const char *text_fmt, int64_t val)
{
	if (o->json) {
		json_member(o, key);
		out_printf(o, "%lld", (long long)val);
		json_scalar_end(o);
	} else if (text_fmt) {
		text_value(o, c, text_fmt, val);
	}
}

/* A real number; JSON null for NaN and infinities. */
void nsh_out_double(struct nsh_out *o, enum nsh_color c, const char *key,
		    const char *text_fmt, double val)
{
	char buf[64];

	if (o->json) {
		json_member(o, key);
		if (!isfinite(val)) {
			out_puts(o, "null");	/* JSON has no NaN or infinity */
		} else {
			/* the shortest form that reads back as the same double */
			snprintf(buf, sizeof(buf), "%.15g", val);
			if (strtod(buf, NULL) != val)
				snprintf(buf, sizeof(buf), "%.17g", val);
			out_puts(o, buf);
		}
		json_scalar_end(o);
	} else if (text_fmt) {
		text_value(o, c, text_fmt, val);
	}
}

/* JSON true/false, or "yes"/"no" through text_fmt. */
void nsh_out_bool(struct nsh_out *o, const char *key, const char *text_fmt, bool val)
{
	if (o->json) {
		json_member(o, key);
		out_puts(o, val ? "true" : "false");
		json_scalar_end(o);
	} else if (text_fmt) {
		text_value(o, NSH_C_NONE, text_fmt, val ? "yes" : "no");
	}
}

/* JSON null, or text_fmt printed as it is. */
void nsh_out_null(struct nsh_out *o, const char *key, const char *text_fmt)
{
	if (o->json) {
		json_member(o, key);
		out_puts(o, "null");
		json_scalar_end(o);
	} else if (text_fmt) {
		out_puts(o, text_fmt);
	}
}

/* Text for people only. */
void nsh_out_text(struct nsh_out *o, const char *fmt, ...)
{
	va_list ap;

	if (o->json)
		return;
	va_start(ap, fmt);
	out_vprintf(o, fmt, ap);
	va_end(ap);
}

/* Coloured text for people only. */
void nsh_out_ctext(struct nsh_out *o, enum nsh_color c, const char *fmt, ...)
{
	va_list ap;

	if (o->json)
		return;
	color_begin(o, c);
	va_start(ap, fmt);
	out_vprintf(o, fmt, ap);
	va_end(ap);
	color_end(o, c);
}

/* ---- aligned columns ---- */

struct nsh_cols {
	size_t ncols;
	char **headers;			/* NULL: no header line */
	bool *right;
	size_t *width;
	size_t nrows, cap;
	char **cells;			/* nrows * ncols */
	enum nsh_color *colors;		/* nrows * ncols */
};

/* Columns on screen taken by a UTF-8 string (one per code point). */
static size_t text_width(const char *s)
{
	size_t w = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			w++;
	return w;
}

/* A column table; headers and alignment are copied. */
struct nsh_cols *nsh_cols_new(size_t ncols, const char *const *headers,
			      const bool *right_align)
{
	struct nsh_cols *t = nsh_xcalloc(1, sizeof(*t));
	size_t i;

	t->ncols = ncols;
	t->right = nsh_xcalloc(ncols, sizeof(*t->right));
	t->width = nsh_xcalloc(ncols, sizeof(*t->width));
	if (headers) {
		t->headers = nsh_xcalloc(ncols, sizeof(*t->headers));
		for (i = 0; i < ncols; i++) {
			t->headers[i] = nsh_xstrdup(headers[i] ? headers[i] : "");
			t->width[i] = text_width(t->headers[i]);
		}
	}
	for (i = 0; right_align && i < ncols; i++)
		t->right[i] = right_align[i];
	return t;
}

/* A row of cells (copied); widths grow to fit. */
void nsh_cols_add(struct nsh_cols *t, const char *const *cells,
		  const enum nsh_color *colors)
{
	size_t i, w, base;

	if (t->nrows == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 16;
		t->cells = nsh_xrealloc(t->cells, t->cap * t->ncols * sizeof(*t->cells));
		t->colors = nsh_xrealloc(t->colors, t->cap * t->ncols * sizeof(*t->colors));
	}
	base = t->nrows * t->ncols;
	for (i = 0; i < t->ncols; i++) {
		t->cells[base + i] = nsh_xstrdup(cells[i] ? cells[i] : "");
		t->colors[base + i] = colors ? colors[i] : NSH_C_NONE;
		w = text_width(t->cells[base + i]);
		if (w > t->width[i])
			t->width[i] = w;
	}
	t->nrows++;
}

/* n blanks. */
static void pad(struct nsh_out *o, size_t n)
{
	static const char spaces[] = "                                ";

	while (n) {
		size_t k = n < sizeof(spaces) - 1 ? n : sizeof(spaces) - 1;

		out_putn(o, spaces, k);
		n -= k;
	}
}

/* One line: cells separated by two spaces, no trailing blanks. */
static void cols_line(struct nsh_cols *t, struct nsh_out *o, char *const *cells,
		      const enum nsh_color *colors)
{
	size_t i, w, last = t->ncols - 1;

	while (last > 0 && !cells[last][0] && !t->right[last])
		last--;		/* empty trailing cells: no trailing blanks */
	for (i = 0; i <= last; i++) {
		w = text_width(cells[i]);
		if (i)
			out_putn(o, "  ", 2);
		if (t->right[i])
			pad(o, t->width[i] - w);
		color_begin(o, colors ? colors[i] : NSH_C_HEADER);
		out_puts(o, cells[i]);
		color_end(o, colors ? colors[i] : NSH_C_HEADER);
		if (!t->right[i] && i != last)
			pad(o, t->width[i] - w);
	}
	out_putn(o, "\n", 1);
}

/* The header line, then the rows, padded (text mode only). */
void nsh_cols_print(struct nsh_cols *t, struct nsh_out *o)
{
	size_t r;

	if (o->json || t->ncols == 0)
		return;
	if (t->headers)
		cols_line(t, o, t->headers, NULL);
	for (r = 0; r < t->nrows; r++)
		cols_line(t, o, &t->cells[r * t->ncols], &t->colors[r * t->ncols]);
}

/* Release the table; NULL is fine. */
void nsh_cols_free(struct nsh_cols *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	for (i = 0; t->headers && i < t->ncols; i++)
		free(t->headers[i]);
	free(t->headers);
	free(t->cells);
	free(t->colors);
	free(t->right);
	free(t->width);
	free(t);
}

/* Powers of 1000 as iptables -v prints them: 999, 1.2K, 12.3K, 123K, 1.0M. */
const char *nsh_human(uint64_t n, char buf[16])
{
	static const char units[] = "KMGTPE";
	double d = (double)n;
	int k = -1;

	if (n < 1000) {		/* the common case, without printf */
		char *p = buf;

		if (n >= 100)
			*p++ = (char)('0' + n / 100);
		if (n >= 10)
			*p++ = (char)('0' + n / 10 % 10);
		*p++ = (char)('0' + n % 10);
		*p = '\0';
		return buf;
	}
	while (d >= 999.95 && k < 5) {
		d /= 1000;
		k++;
	}
	if (d < 99.95)
		snprintf(buf, 16, "%.1f%c", d, units[k]);
	else
		snprintf(buf, 16, "%.0f%c", d, units[k]);
	return buf;
}
