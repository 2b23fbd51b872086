/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Text that came from a user or another program: is it text natsh takes
 * (UTF-8, no NUL, no control character but tab), and how to show a byte
 * that is not, so that it cannot move the cursor or recolour a terminal.
 */
#ifndef NSH_LIB_TEXT_H
#define NSH_LIB_TEXT_H

#include <stddef.h>

/*
 * The offset of the first byte of s[0..n) that is not text: a NUL, a
 * control character other than tab (DEL included), or a byte that is not
 * part of a valid UTF-8 sequence.  n when all is text.  *what says which
 * ("a NUL byte", "a control character", "invalid UTF-8"), *len how many
 * bytes the bad sequence has (for the caret).
 */
size_t nsh_text_bad(const char *s, size_t n, const char **what, size_t *len);

/*
 * How a byte that is not text is shown: a control character as cat -v does
 * (ESC "^[", DEL "^?"), any other byte as \xHH.  Writes at most 4 bytes to
 * out (no NUL) and returns how many; 0 for a byte that is shown as it is
 * (tab, a printable character, or a byte of a valid UTF-8 sequence, which
 * the caller knows from nsh_text_bad).
 */
size_t nsh_text_escape(unsigned char c, char out[4]);

#endif
