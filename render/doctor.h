/* SPDX-License-Identifier: GPL-3.0-or-later */
/* doctor's findings as the user reads them: where, what, why and fix, text or JSON. */
#ifndef NSH_RENDER_DOCTOR_H
#define NSH_RENDER_DOCTOR_H

#include <stddef.h>

#include "model/plan/doctor.h"
#include "render/out.h"

/* One document: the number of problems, a block per finding, the summary line. */
void nsh_doctor_render(struct nsh_out *o, const struct nsh_finding *v, size_t n);

#endif
