/*
 * json.h - a small streaming JSON writer (RFC 8259).
 *
 * Values are queued in a 64 KiB buffer and written to a FILE when it is
 * full, at json_finish() and at json_free(); nothing else may write to
 * that FILE while a document is open.  The writer keeps only a nesting
 * stack to place commas, colons and (in pretty mode)
 * newlines and indentation.  Strings are escaped per RFC 8259: '"', '\\'
 * and every control character below 0x20 (plus 0x7f) are escaped; bytes
 * that are not valid UTF-8 are replaced by U+FFFD so the output is always
 * valid UTF-8 JSON.  Example:
 *
 *	struct json *j = json_new(stdout, false);
 *	json_begin_object(j);
 *	json_key(j, "schema_version"); json_u64(j, 1);
 *	json_key(j, "free_pages"); json_begin_array(j);
 *	json_u64(j, 3); json_u64(j, 5);
 *	json_end_array(j);
 *	json_end_object(j);
 *	json_finish(j);     writes the final newline
 *	json_free(j);
 *
 * prints {"schema_version":1,"free_pages":[3,5]}\n
 *
 * Misuse (a key outside an object, a value where a key is due, unbalanced
 * ends, nesting deeper than JSON_MAX_DEPTH) is a programming error: the
 * writer sets an internal error flag, writes nothing more, and
 * json_finish() returns -EINVAL.  Write errors are left in the FILE's
 * error indicator for the caller to check with ferror().
 */
#ifndef FRAGSCOPE_JSON_H
#define FRAGSCOPE_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 64
/* Bytes queued before they go to the FILE. */
#define JSON_BUF (64 * 1024)

struct json;

/* pretty: newlines and two-space indentation; otherwise compact. NULL on ENOMEM. */
struct json *json_new(FILE *f, bool pretty);
void json_free(struct json *j);

void json_begin_object(struct json *j);
void json_end_object(struct json *j);
void json_begin_array(struct json *j);
void json_end_array(struct json *j);
/* A member name inside an object; the next call writes its value. */
void json_key(struct json *j, const char *key);
void json_string(struct json *j, const char *s);       /* NULL writes null */
void json_string_len(struct json *j, const char *s, size_t n);
void json_u64(struct json *j, uint64_t v);
void json_i64(struct json *j, int64_t v);
/* A finite double with the given digits after the point (0..17); NaN and
 * infinities are written as null, since JSON cannot represent them. */
void json_double(struct json *j, double v, int decimals);
void json_bool(struct json *j, bool v);
void json_null(struct json *j);

/* Convenience: key + value. */
void json_kv_string(struct json *j, const char *key, const char *s);
void json_kv_u64(struct json *j, const char *key, uint64_t v);
void json_kv_i64(struct json *j, const char *key, int64_t v);
void json_kv_bool(struct json *j, const char *key, bool v);

/*
 * A complete value (a number, string, object, array...) given as compact
 * JSON text, which the caller guarantees is valid (strings escaped with
 * json_escape()) and has no blanks outside strings.  It is copied as it
 * is; in pretty mode it is laid out as the calls above would have.  For
 * callers that format many similar values themselves (maps -J: 60,000
 * mapping objects).
 */
void json_raw(struct json *j, const char *s, size_t n);

/*
 * A point to go back to: json_rollback() forgets everything written since
 * json_mark(), as long as none of it has reached the FILE yet (true), and
 * otherwise changes nothing (false).  The nesting at the rollback must be
 * at least as deep as at the mark.
 */
struct json_mark {
	unsigned long flushes;
	size_t nout, count;
	unsigned depth;
	bool key_pending, done;
	int error;
};
void json_mark(const struct json *j, struct json_mark *m);
bool json_rollback(struct json *j, const struct json_mark *m);

/* Terminate the document with a newline and flush.  0; -EINVAL if the
 * writer was misused or the document is not complete; -ENOMEM if escaping
 * ran out of memory.  After a successful call the writer may start the
 * next document (one JSON object per line for live streams). */
int json_finish(struct json *j);

/* Escape s[0..n) as the body of a JSON string (no surrounding quotes)
 * into out, per the rules above.  Used by json_string_len and the fuzzer. */
struct buf;
int json_escape(const char *s, size_t n, struct buf *out);

#endif
