/*
 * stream.h - read a file in chunks while the caller works on the chunks
 * already read: a reader thread and a small ring of buffers.
 *
 * Why: a /proc file such as /proc/PID/maps or smaps does not exist until
 * it is read.  The kernel generates its text in read() (seq_file: about
 * one page per call, each call walking to the next VMA under its lock),
 * and for a process with 60,000 VMAs that is most of the cost of
 * printing its maps: `cat` itself spends ~15 ms in the kernel on 3 MB of
 * maps, ~90 ms on 45 MB of smaps.  Read whole and then parsed, a reader
 * pays the kernel's time plus its own, and also touches a buffer as big
 * as the file (on this VM every fresh page costs a fault of a few µs).
 * With a reader thread the two overlap on two CPUs: the thread stays in
 * read() while the caller parses (and prints) the previous chunk, and
 * the buffers are reused, so they stay in the cache and fault once.
 *
 *                 reader thread                     caller
 *        read() x N into buf[i] --full--> stream_next() -> parse, print
 *        (waits when all buffers            (waits when none is full)
 *         are full)              <--free-- (buf[i] released at the next
 *                                           stream_next())
 *
 * Each buffer is filled to STREAM_CHUNK bytes (or EOF) before it is handed
 * over, so the two threads meet a few dozen times per MB, not once per
 * read().  read() is asked for everything left in the buffer: seq_file
 * files still return a page or so per call (so the size asked for does
 * not change how often the kernel restarts its walk), regular files
 * (snapshots) fill it in one.  The thread starts at once, so that the
 * caller can do other work (read the command line) while the kernel
 * generates the first chunk.
 *
 * A read error (-ESRCH when the process was reaped mid-read, -EIO, ...)
 * is returned by stream_next() after the chunks read before it: what
 * came first was good data.  The thread blocks every signal, so signals
 * keep going to the main thread.
 *
 * This is part of the source layer (it reads files); it knows nothing of
 * what the bytes mean.
 */
#ifndef FRAGSCOPE_STREAM_H
#define FRAGSCOPE_STREAM_H

#include <stddef.h>

/* Bytes per chunk, and chunks in the ring. */
#define STREAM_CHUNK (128u * 1024u)
#define STREAM_BUFS  3u

struct stream;

/*
 * Start reading fd (owned from now on: closed by stream_close(), also on
 * failure).  0 or -ENOMEM / -EAGAIN (no thread could be made).
 */
int stream_open(int fd, struct stream **ret);

/*
 * The next chunk: 1 with *data and *len set (len > 0; valid until the
 * next call), 0 at the end of the file, or -errno of a failed read()
 * (every later call returns it too).
 */
int stream_next(struct stream *s, const char **data, size_t *len);

/*
 * Stop the reader (it may be mid-file), close the fd and free.  NULL is a
 * no-op.  A read() in progress is waited for: meant for files whose
 * read() returns without waiting for a writer (/proc, regular files).
 */
void stream_close(struct stream *s);

#endif
