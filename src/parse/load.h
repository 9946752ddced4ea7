/*
 * load.h - read and parse the inputs a command needs into one model.
 *
 * machine_load() reads each requested input through the source layer and
 * runs its parser.  It never prints: the outcome of every input is kept in
 * machine.in[] (loaded, or why not: missing, permission denied, malformed
 * at file:line) for the command layer to report and turn into an exit
 * status.  A failed input leaves its model empty; the others still load.
 */
#ifndef FRAGSCOPE_LOAD_H
#define FRAGSCOPE_LOAD_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include "lex.h"
#include "source.h"
#include "../model/buddyinfo.h"
#include "../model/kv.h"
#include "../model/meminfo.h"
#include "../model/numa.h"
#include "../model/pagesize.h"
#include "../model/pagetypeinfo.h"
#include "../model/sysvm.h"
#include "../model/zoneinfo.h"

enum input_id {
	IN_MEMINFO,
	IN_VMSTAT,
	IN_BUDDYINFO,
	IN_PAGETYPEINFO,
	IN_ZONEINFO,
	IN_SYSVM,
	IN_NODES,
	IN__COUNT
};

#define IN_BIT(id) (1u << (id))
#define IN_ALL ((1u << IN__COUNT) - 1)

struct input_status {
	bool attempted;
	bool loaded;
	int err;             /* 0; a read error (-ENOENT, -EACCES, ...); or a parse error (-EINVAL, -ERANGE) */
	bool parse_error;    /* err came from the parser: perr says where */
	char path[PATH_MAX]; /* display path of the file (or directory) */
	struct parse_error perr; /* perr.file points at path */
};

struct machine {
	struct meminfo meminfo;
	struct kvlist vmstat;
	struct buddyinfo buddy;
	struct pagetypeinfo pt;
	struct zoneinfo zi;
	struct sysvm vm;
	struct numa numa;
	struct input_status in[IN__COUNT];

	uint64_t page_size;
	enum page_size_source page_size_src;
	char kernel_release[128]; /* "" when unknown */
	bool live;
};

/* Name of an input for messages ("meminfo") and its path under the root. */
const char *input_name(enum input_id id);
const char *input_relpath(enum input_id id);

/*
 * Load the inputs in mask (IN_BIT()s) from src into *m (zeroed first).
 * Returns 0, or -ENOMEM; everything else is recorded per input in m->in.
 * The page size and kernel release are always determined.
 */
int machine_load(struct source *src, unsigned mask, struct machine *m);
void machine_free(struct machine *m);

#endif
