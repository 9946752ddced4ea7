/*
 * cmd-top.c - "fragscope top": the live dashboard.
 */
#include "cli.h"

int cmd_top(struct options *o)
{
	(void)o;
	cli_error("top: not yet");
	return EXIT_USAGE;
}
