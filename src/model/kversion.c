/*
 * kversion.c - kernel release parsing (see kversion.h).
 */
#include <stdlib.h>

#include "kversion.h"

bool kversion_parse(const char *release, unsigned *major, unsigned *minor)
{
	char *end;
	unsigned long ma, mi;

	if (!release || release[0] < '0' || release[0] > '9')
		return false;
	ma = strtoul(release, &end, 10);
	if (*end != '.' || end[1] < '0' || end[1] > '9')
		return false;
	mi = strtoul(end + 1, &end, 10);
	if (ma > 1000 || mi > 1000)
		return false;
	*major = (unsigned)ma;
	*minor = (unsigned)mi;
	return true;
}

bool kversion_before(const char *release, unsigned major, unsigned minor)
{
	unsigned ma, mi;

	if (!kversion_parse(release, &ma, &mi))
		return false;
	return ma < major || (ma == major && mi < minor);
}
