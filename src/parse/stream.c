/*
 * stream.c - chunked reading on a reader thread (see stream.h for the
 * pipeline and why).
 *
 * The ring: buffer i % STREAM_BUFS holds chunk i.  Three counters, all
 * under the mutex, say where each side is: filled (chunks the reader has
 * completed), taken (chunks handed to the caller) and released (chunks
 * the caller is done with: all taken but the one it holds).  The reader
 * may fill while filled - released < STREAM_BUFS; the caller may take
 * while taken < filled.  With three buffers one is being filled, one is
 * being parsed and one is ready, so neither side waits while the other
 * keeps up.
 *
 * Without a thread (pthread_create failed) the same ring is filled by
 * stream_next() itself, one chunk at a time.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "stream.h"

#define RING_BYTES ((size_t)STREAM_BUFS * STREAM_CHUNK)

struct stream {
	int fd;
	bool threaded;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t more;     /* a chunk was filled, or the reader is done */
	pthread_cond_t room;     /* a buffer was released, or stop was set */
	char *mem;               /* STREAM_BUFS buffers of STREAM_CHUNK bytes */
	size_t len[STREAM_BUFS];
	unsigned long filled, taken, released;
	bool holding;            /* the caller holds chunk taken - 1 */
	bool done;               /* the reader saw the end or an error */
	int err;                 /* 0 or -errno of the failed read() */
	bool stop;               /* stream_close(): the reader should quit */
};

static char *slot_buf(struct stream *s, unsigned long i)
{
	return s->mem + (size_t)(i % STREAM_BUFS) * STREAM_CHUNK;
}

static bool stopping(struct stream *s)
{
	return __atomic_load_n(&s->stop, __ATOMIC_RELAXED);
}

/*
 * read() into b until want bytes are there, the end of the file or an
 * error.  Returns the bytes read; *eof or *err say why it stopped short.
 */
static size_t fill(struct stream *s, char *b, size_t have, size_t want, bool *eof, int *err)
{
	while (have < want && !stopping(s)) {
		ssize_t n = read(s->fd, b + have, want - have);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			*err = -errno;
			break;
		}
		if (n == 0) {
			*eof = true;
			break;
		}
		have += (size_t)n;
	}
	return have;
}

/* Fill the next free buffer (called with the lock not held). */
static void fill_next(struct stream *s, unsigned long slot)
{
	bool eof = false;
	int err = 0;
	size_t n = fill(s, slot_buf(s, slot), 0, STREAM_CHUNK, &eof, &err);

	pthread_mutex_lock(&s->lock);
	if (n) {
		s->len[slot % STREAM_BUFS] = n;
		s->filled++;
	}
	if (eof || err || s->stop) {
		s->err = err;
		s->done = true;
	}
	pthread_cond_signal(&s->more);
	pthread_mutex_unlock(&s->lock);
}

static void *reader(void *arg)
{
	struct stream *s = arg;

	for (;;) {
		unsigned long slot;

		pthread_mutex_lock(&s->lock);
		while (s->filled - s->released >= STREAM_BUFS && !s->stop)
			pthread_cond_wait(&s->room, &s->lock);
		if (s->stop || s->done) {
			s->done = true;
			pthread_cond_signal(&s->more);
			pthread_mutex_unlock(&s->lock);
			return NULL;
		}
		slot = s->filled;
		pthread_mutex_unlock(&s->lock);
		fill_next(s, slot);
	}
}

int stream_open(int fd, struct stream **ret)
{
	struct stream *s = calloc(1, sizeof(*s));
	sigset_t all, old;

	/*
	 * The ring is mapped populated: one call sets up its pages, where
	 * touching them one by one costs a page fault each (several µs
	 * apiece in a VM: most of the cost of a fresh buffer).
	 */
	if (s) {
		s->mem = mmap(NULL, RING_BYTES, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
		if (s->mem == MAP_FAILED)
			s->mem = NULL;
	}
	if (!s || !s->mem) {
		free(s);
		close(fd);
		return -ENOMEM;
	}
	s->fd = fd;
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->more, NULL);
	pthread_cond_init(&s->room, NULL);
	/* Signals stay with the main thread. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	s->threaded = pthread_create(&s->thread, NULL, reader, s) == 0;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	*ret = s;
	return 0;
}

int stream_next(struct stream *s, const char **data, size_t *len)
{
	int r;

	pthread_mutex_lock(&s->lock);
	if (s->holding) {
		s->holding = false;
		s->released++;
		pthread_cond_signal(&s->room);
	}
	if (!s->threaded && s->taken == s->filled && !s->done) {
		/* No reader thread: read the next chunk here. */
		unsigned long slot = s->filled;

		pthread_mutex_unlock(&s->lock);
		fill_next(s, slot);
		pthread_mutex_lock(&s->lock);
	}
	while (s->taken == s->filled && !s->done)
		pthread_cond_wait(&s->more, &s->lock);
	if (s->taken < s->filled) {
		unsigned long i = s->taken++;

		*data = slot_buf(s, i);
		*len = s->len[i % STREAM_BUFS];
		s->holding = true;
		r = 1;
	} else {
		r = s->err;
	}
	pthread_mutex_unlock(&s->lock);
	return r;
}

void stream_close(struct stream *s)
{
	if (!s)
		return;
	pthread_mutex_lock(&s->lock);
	__atomic_store_n(&s->stop, true, __ATOMIC_RELAXED);
	pthread_cond_signal(&s->room);
	pthread_mutex_unlock(&s->lock);
	if (s->threaded)
		pthread_join(s->thread, NULL);
	pthread_cond_destroy(&s->more);
	pthread_cond_destroy(&s->room);
	pthread_mutex_destroy(&s->lock);
	close(s->fd);
	munmap(s->mem, RING_BYTES);
	free(s);
}
