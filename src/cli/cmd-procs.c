/* cmd-procs.c - placeholder while the command is being written (issue 5). */
#include "cli.h"

int cmd_procs(struct options *o)
{
	(void)o;
	cli_error("procs: not written yet");
	return EXIT_USAGE;
}
