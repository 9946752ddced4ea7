/* cmd-maps.c - placeholder while the command is being written (issue 5). */
#include "cli.h"

int cmd_maps(struct options *o)
{
	(void)o;
	cli_error("maps: not written yet");
	return EXIT_USAGE;
}
