/*
 * fuzz-status.c - libFuzzer harness for status_parse() (/proc/PID/status)
 * and passwd_parse() (a snapshot's etc/passwd).  The first input byte
 * picks the parser (byte % 2: 0 status, 1 passwd); the rest is the file.
 * Any input must parse and pass the checks below, or fail cleanly under
 * the error contract in fuzz-check.h with the output untouched.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz-check.h"
#include "parse/parse-procs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_status(const struct proc_status *s)
{
	static const unsigned bits[] = {
		STATUS_VM_RSS, STATUS_RSS_ANON, STATUS_RSS_FILE, STATUS_RSS_SHMEM, STATUS_VM_SWAP,
	};
	const uint64_t kb[] = { s->vm_rss_kb, s->rss_anon_kb, s->rss_file_kb, s->rss_shmem_kb, s->vm_swap_kb };
	const unsigned required = STATUS_NAME | STATUS_STATE | STATUS_UID | STATUS_THREADS;

	/* The lines every kernel prints must have been there. */
	if ((s->have & required) != required)
		fuzz_fail("status: parsed without Name, State, Uid or Threads");
	if (!s->name)
		fuzz_fail("status: no name string");
	if (!((s->state >= 'A' && s->state <= 'Z') || (s->state >= 'a' && s->state <= 'z')))
		fuzz_fail("status: state is not a letter");
	for (size_t i = 0; i < sizeof(kb) / sizeof(kb[0]); i++) {
		if (kb[i] > UINT64_MAX / 1024)
			fuzz_fail("status: kB value overflows as bytes");
		if (!(s->have & bits[i]) && kb[i])
			fuzz_fail("status: a value without its line");
	}
	if (!(s->have & STATUS_KTHREAD) && s->kthread)
		fuzz_fail("status: kthread set without a Kthread line");
	switch (proc_status_kind(s)) {
	case PROC_USER:
		if (!(s->have & STATUS_VM_RSS))
			fuzz_fail("status: a user process without VmRSS");
		break;
	case PROC_KTHREAD:
	case PROC_NO_MM:
		break;
	default:
		fuzz_fail("status: bad kind");
	}
}

static void check_passwd(const struct passwd_db *db)
{
	if (db->n > db->cap)
		fuzz_fail("passwd: n > cap");
	for (size_t i = 0; i < db->n; i++) {
		const char *name = db->e[i].name;

		if (!name || !*name)
			fuzz_fail("passwd: empty name");
		for (const char *c = name; *c; c++)
			if ((unsigned char)*c < 0x20 || *c == 0x7f || *c == ':')
				fuzz_fail("passwd: control character or ':' in a name");
		if (passwd_db_name(db, db->e[i].uid) == NULL)
			fuzz_fail("passwd: lookup misses an entry");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct parse_error perr;
	unsigned which;
	int rc;

	if (size < 1)
		return 0;
	which = data[0] % 2;
	data++;
	size--;
	memset(&perr, 0, sizeof(perr));
	if (which == 0) {
		struct proc_status s;

		memset(&s, FUZZ_POISON, sizeof(s));
		rc = status_parse((const char *)data, size, fuzz_file, &s, &perr);
		fuzz_check_result(rc, &perr, data, size);
		if (rc < 0) {
			if (!fuzz_is_poisoned(&s, sizeof(s)))
				fuzz_fail("status_parse changed *ret on failure");
			return 0;
		}
		check_status(&s);
		proc_status_free(&s);
	} else {
		struct passwd_db db;

		memset(&db, FUZZ_POISON, sizeof(db));
		rc = passwd_parse((const char *)data, size, fuzz_file, &db, &perr);
		if (rc != 0 && rc != -ENOMEM)
			fuzz_fail("passwd_parse returned an undocumented error code");
		if (rc < 0)
			return 0;
		check_passwd(&db);
		passwd_db_free(&db);
	}
	return 0;
}
