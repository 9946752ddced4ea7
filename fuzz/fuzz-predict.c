/*
 * fuzz-predict.c - libFuzzer harness for the analysis layer on parsed
 * input: the allocation model and predictor (alloc.h), the watermark
 * recomputation (watermark.h) and the fragmentation indices (frag.h).
 *
 * The input is up to three files separated by a line "%%": zoneinfo,
 * buddyinfo and optionally pagetypeinfo.  When zoneinfo and buddyinfo
 * parse, every class is predicted at every order with a short --count
 * run, the watermarks are recomputed with sysctls taken from the input's
 * first bytes, and the indices are computed for every zone.  Beyond "no
 * crash, no sanitizer report" it checks the promises the commands rely
 * on: a served allocation names a zone of the zonelist, the run never
 * serves more than asked, reasons are terminated strings, and the
 * indices stay in the kernel's ranges.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz-check.h"
#include "analysis/alloc.h"
#include "analysis/frag.h"
#include "analysis/watermark.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The next "%%\n"-separated section of [*p, end). */
static const char *section(const char **p, const char *end, size_t *len)
{
	const char *s = *p, *q = s;

	while (q < end) {
		const char *nl = memchr(q, '\n', (size_t)(end - q));
		const char *line_end = nl ? nl : end;

		if (line_end - q == 2 && q[0] == '%' && q[1] == '%') {
			*len = (size_t)(q - s);
			*p = nl ? nl + 1 : end;
			return s;
		}
		q = nl ? nl + 1 : end;
	}
	*len = (size_t)(end - s);
	*p = end;
	return s;
}

static void check_prediction(const struct alloc_model *am, const struct alloc_prediction *p)
{
	char buf[1024];

	if (p->served > p->req.count)
		fuzz_fail("predict: served more than the count");
	if (p->served_by >= (int)p->nzl)
		fuzz_fail("predict: served by a zone outside the zonelist");
	if ((p->served_by >= 0) != (p->outcome == ALLOC_OK_FAST || p->outcome == ALLOC_OK_SLOW))
		fuzz_fail("predict: outcome and serving zone disagree");
	if (p->served_slow > p->served)
		fuzz_fail("predict: more slow-path allocations than allocations");
	alloc_explain(am, p, buf, sizeof(buf));
	if (!memchr(buf, '\0', sizeof(buf)))
		fuzz_fail("predict: reason not terminated");
	for (size_t i = 0; i < p->nzl; i++) {
		alloc_explain_zone(am, p, &p->zl[i], buf, sizeof(buf));
		if (!memchr(buf, '\0', sizeof(buf)))
			fuzz_fail("predict: zone reason not terminated");
	}
}

static void run_predictions(const struct alloc_model *am)
{
	for (size_t k = 0; k < am->nn && k < 4; k++) {
		for (size_t c = 0; c < alloc_nr_classes; c++) {
			for (unsigned o = 0; o < am->nr_orders; o++) {
				struct alloc_request req = { 0 };
				struct alloc_prediction p;

				req.cls = &alloc_classes[c];
				req.gfp = req.cls->gfp;
				req.order = o;
				req.node = am->nodes[k].id;
				req.count = 8;
				if (alloc_predict(am, &req, &p) < 0)
					continue;
				check_prediction(am, &p);
				alloc_prediction_free(&p);
			}
		}
	}
}

static void run_indices(const struct buddyinfo *bi)
{
	for (size_t i = 0; i < bi->n; i++) {
		for (unsigned o = 0; o <= bi->nr_orders; o++) {
			int u = frag_unusable_index(bi->z[i].free, bi->nr_orders, o);
			int e = frag_extfrag_index(bi->z[i].free, bi->nr_orders, o);

			if (u < 0 || u > 1000)
				fuzz_fail("frag: unusable index out of 0..1000");
			if (e < -1000 || e > 1000)
				fuzz_fail("frag: extfrag index out of -1000..1000");
			if (frag_extfrag_percent(bi->z[i].free, bi->nr_orders, o) > 100)
				fuzz_fail("frag: percent above 100");
		}
	}
}

static void run_watermarks(const struct zoneinfo *zi, const uint8_t *data, size_t size)
{
	struct sysvm vm;
	struct wmark_result r;

	memset(&vm, 0, sizeof(vm));
	vm.have = SYSVM_MIN_FREE_KBYTES | SYSVM_WATERMARK_SCALE_FACTOR | SYSVM_LOWMEM_RESERVE_RATIO;
	vm.min_free_kbytes = size > 0 ? (int64_t)data[0] << 12 : 67584;
	vm.watermark_scale_factor = size > 1 ? data[1] : 10;
	vm.nr_lowmem_reserve_ratio = size > 2 ? data[2] % (FS_MAX_ZONES + 1) : 5;
	for (unsigned i = 0; i < vm.nr_lowmem_reserve_ratio; i++)
		vm.lowmem_reserve_ratio[i] = size > 3 + i ? data[3 + i] : 32;
	if (wmark_compute(zi, &vm, 4096, &r) == 0) {
		if (r.n != zi->n || r.checked > r.n || r.mismatches > r.checked)
			fuzz_fail("watermark: counts out of range");
		wmark_result_free(&r);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size;
	const char *zs, *bs, *ps;
	size_t zl, bl, pl;
	struct parse_error perr;
	struct zoneinfo zi;
	struct buddyinfo bi;
	struct pagetypeinfo pt;
	bool have_pt;
	struct alloc_model am;

	zs = section(&p, end, &zl);
	bs = section(&p, end, &bl);
	ps = section(&p, end, &pl);
	memset(&perr, 0, sizeof(perr));
	if (zoneinfo_parse(zs, zl, fuzz_file, &zi, &perr) < 0)
		return 0;
	run_watermarks(&zi, data, size);
	if (buddyinfo_parse(bs, bl, fuzz_file, &bi, &perr) < 0) {
		zoneinfo_free(&zi);
		return 0;
	}
	run_indices(&bi);
	have_pt = pl > 0 && pagetypeinfo_parse(ps, pl, fuzz_file, &pt, &perr) == 0;
	if (alloc_model_build(&zi, &bi, have_pt ? &pt : NULL, NULL, NULL, "6.18.0", &am) == 0) {
		run_predictions(&am);
		alloc_model_free(&am);
	}
	if (have_pt)
		pagetypeinfo_free(&pt);
	buddyinfo_free(&bi);
	zoneinfo_free(&zi);
	return 0;
}
