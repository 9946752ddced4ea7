/*
 * main.c - parse the command line, run the command, map its result to
 * the exit status.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"

int main(int argc, char **argv)
{
	static char outbuf[1 << 16];
	struct options o;
	int rc;

	/* Full buffering even on a terminal: output is produced in one go. */
	setvbuf(stdout, outbuf, _IOFBF, sizeof(outbuf));
	rc = options_parse(argc, argv, &o);
	if (rc == -1) {
		options_free(&o);
		return cli_finish(EXIT_OK);
	}
	if (rc != EXIT_OK) {
		options_free(&o);
		return rc;
	}
	rc = o.cmd->exec(&o);
	options_free(&o);
	return cli_finish(rc);
}
