/* ugc_dcheck.c: the failure path of UGC_DCHECK (test builds only). */
#include "ugc_dcheck.h"
#include "ugc_testing.h"

int ugc_dcheck_enabled(void)
{
#ifdef UGC_DCHECK_ON
	return 1;
#else
	return 0;
#endif
}

#ifdef UGC_DCHECK_ON
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void put(const char *s)
{
	ssize_t r = write(2, s, strlen(s));
	(void)r;
}

void ugc_dcheck_fail(const char *file, int line, const char *cond, const char *msg)
{
	char num[12];
	int i = (int)sizeof(num) - 1;
	num[i] = '\0';
	unsigned v = line > 0 ? (unsigned)line : 0;
	do {
		num[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v && i > 0);
	put("uffdgc: DCHECK failed at ");
	put(file);
	put(":");
	put(num + i);
	put(": ");
	put(cond);
	put(": ");
	put(msg);
	put("\n");
	abort();
}
#endif
