/*
 * vigil_bins: a DuckDB extension (C extension API, stable v1.2.0) with two aggregates for the
 * window profiles of packages/server/src/storage/duckdb/profiles.ts: vigil_profile here and
 * vigil_fine_bins further down (each a state, update, combine and finalize).
 *
 *   vigil_profile(x DOUBLE, edges DOUBLE[]) -> STRUCT(count UBIGINT, sum DOUBLE, bin_counts UBIGINT[])
 *
 * is what a window profile's first pass asks of each numeric value, in one pass over it: the number
 * of non-NULL values (`count(x)`), their sum (the mean is sum / count, as DuckDB's `avg(DOUBLE)`
 * computes it, to within the rounding of the order of addition) and the counts of a histogram on
 * sorted inner edges: bin k holds the values with exactly k edges at or below them, so the bins
 * are [edge k-1, edge k) with bin 0 below the first edge and the last bin at or above the last
 * one. NULL values are left out of all three (a group of NULLs gives a count of 0, a sum of 0
 * and zero counts; a group without rows gives NULL); -inf counts in bin 0, +inf in the last bin,
 * NaN in bin 0 (no edge is at or below it), as in DuckDB's `histogram`; NaN and infinities enter
 * the sum as they do `sum`. The edges must be sorted (not NaN), and the same on every row (the
 * store passes them as one parameter); no edges give the count and sum alone.
 *
 * Why: DuckDB's `histogram(x, bounds)` gives the same counts on bounds just below the edges, but
 * finds each value's bin by `std::lower_bound`, a branch per step that the processor cannot
 * predict on real data (deciles): about 25 ns per value. Here nothing depends on the data: for
 * each edge, the values at or above it are counted by comparisons, four values at a time in one
 * SIMD register (AVX2 where the processor has it), and bin k is the difference of the counts of
 * edges k-1 and k. And `count(x)`, `avg(x)` and a binning aggregate each cost a call per vector
 * and a pass over the values: a statement with a C aggregate runs as a hash aggregate (C
 * aggregates have no "simple update"), so every aggregate in it is updated through a vector of
 * state pointers, and a C aggregate's constant edges are first flattened to one list entry per
 * row (about 3 us per vector and aggregate, measured with an aggregate that does nothing); one
 * aggregate does it once (docs/benchmarks.md, "The first pass in one aggregate").
 */
#define DUCKDB_EXTENSION_NAME vigil_bins
#include "duckdb_extension.h"
/* The API struct is defined by DUCKDB_EXTENSION_ENTRYPOINT at the end of the file. */
DUCKDB_EXTENSION_EXTERN

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "vigil_columns.h"

/* The store sends at most this many edges (NATIVE_BINS_MAX_EDGES in native-bins.ts); a multiple
 * of EDGES_PER_PASS. */
#define MAX_EDGES 64
/* DuckDB's vectors hold at most this many rows (STANDARD_VECTOR_SIZE). */
#define MAX_CHUNK 2048

typedef struct {
	/* -1 until the first row sets the edges. */
	int64_t edge_count;
	uint64_t count;
	double sum;
	double edges[MAX_EDGES];
	/* Values counted by runs (profile_values): vector_count of them, at_or_above[k] with edge k at
	 * or below them (NaN: none). */
	uint64_t vector_count;
	uint64_t at_or_above[MAX_EDGES];
	/* Values counted one row at a time, by bin (one increment a row instead of one an edge). */
	uint64_t row_bins[MAX_EDGES + 1];
} profile_state;

static idx_t profile_state_size(duckdb_function_info info) {
	(void)info;
	return sizeof(profile_state);
}

static void profile_init(duckdb_function_info info, duckdb_aggregate_state state) {
	(void)info;
	profile_state *s = (profile_state *)state;
	s->edge_count = -1;
	s->count = 0;
	s->sum = 0;
	s->vector_count = 0;
	memset(s->at_or_above, 0, sizeof(s->at_or_above));
	memset(s->row_bins, 0, sizeof(s->row_bins));
}

static int same_edges(const double *a, idx_t a_count, const double *b, idx_t b_count) {
	return a_count == b_count && memcmp(a, b, a_count * sizeof(double)) == 0;
}

/* The first row of a group sets its edges (at most `capacity`, sorted numbers, and finite when
 * `finite` is set: the bins are found from them); a later row with other edges is an error.
 * `stored_count` is -1 until then. Returns 0 after setting the error. */
static int adopt_edges(duckdb_function_info info, const char *const errors[3], int64_t *stored_count, double *stored,
                       idx_t capacity, int finite, const double *edges, idx_t edge_count) {
	if (*stored_count >= 0) {
		if (same_edges(stored, (idx_t)*stored_count, edges, edge_count)) {
			return 1;
		}
		duckdb_aggregate_function_set_error(info, errors[2]);
		return 0;
	}
	if (edge_count > capacity) {
		duckdb_aggregate_function_set_error(info, errors[0]);
		return 0;
	}
	for (idx_t k = 0; k < edge_count; k++) {
		if ((finite ? !isfinite(edges[k]) : isnan(edges[k])) || (k > 0 && !(edges[k - 1] <= edges[k]))) {
			duckdb_aggregate_function_set_error(info, errors[1]);
			return 0;
		}
	}
	*stored_count = (int64_t)edge_count;
	memcpy(stored, edges, edge_count * sizeof(double));
	return 1;
}

/* Too many edges, unsorted (or NaN), different on a later row. */
static const char *const PROFILE_EDGE_ERRORS[3] = {
    "vigil_profile: at most 64 edges",
    "vigil_profile: the edges must be sorted numbers",
    "vigil_profile: the edges must be the same on every row",
};

/* vigil_profile's edges: the bins are differences of the counts at each edge. */
static int take_edges(duckdb_function_info info, profile_state *s, const double *edges, idx_t edge_count) {
	return adopt_edges(info, PROFILE_EDGE_ERRORS, &s->edge_count, s->edges, MAX_EDGES, 0, edges, edge_count);
}

static int is_valid(const uint64_t *validity, idx_t row) {
	return !validity || ((validity[row >> 6] >> (row & 63)) & 1);
}

/* Four doubles, and the 0 / -1 masks of comparing them, in GCC and Clang vector extensions: one
 * AVX2 register in the AVX2 copy of the functions below, two SSE2 registers (which every x86-64
 * has) or NEON ones otherwise, plain code elsewhere. */
typedef double double4 __attribute__((vector_size(32)));
typedef int64_t mask4 __attribute__((vector_size(32)));
/* Edges compared in one pass over the values: four accumulators, four broadcast edges and the
 * values fit in the 16 registers; the values are read from L1 once per pass. */
#define EDGES_PER_PASS 4

/*
 * at_or_above[k] += how many of the n values are >= edge k, and *sum += their sum. The values
 * stay in memory (a vector's 16 KB fit in L1) and each edge's count in a register: no branch and
 * no store depends on a value. `inline` into the two copies below, compiled for two instruction
 * sets.
 */
static inline __attribute__((always_inline)) void
profile_values_body(const double *x, idx_t n, const double *edges, idx_t edge_count, uint64_t *at_or_above,
                    double *sum) {
	idx_t whole = n - n % 16;
	/* Four running sums of four lanes each: an addition waits on the one four values back, not
	 * on the previous one (the sum's order differs from `sum`'s only by rounding). */
	double4 s0 = {0, 0, 0, 0}, s1 = {0, 0, 0, 0}, s2 = {0, 0, 0, 0}, s3 = {0, 0, 0, 0};
	for (idx_t i = 0; i < whole; i += 16) {
		double4 v0, v1, v2, v3;
		memcpy(&v0, x + i, sizeof v0);
		memcpy(&v1, x + i + 4, sizeof v1);
		memcpy(&v2, x + i + 8, sizeof v2);
		memcpy(&v3, x + i + 12, sizeof v3);
		s0 += v0;
		s1 += v1;
		s2 += v2;
		s3 += v3;
	}
	double4 s = (s0 + s1) + (s2 + s3);
	double total = (s[0] + s[1]) + (s[2] + s[3]);
	for (idx_t i = whole; i < n; i++) {
		total += x[i];
	}
	*sum += total;

	/* Edges padded with NaN to whole passes: no value is >= NaN. */
	double padded[MAX_EDGES];
	idx_t passes = (edge_count + EDGES_PER_PASS - 1) / EDGES_PER_PASS;
	memcpy(padded, edges, edge_count * sizeof(double));
	for (idx_t k = edge_count; k < passes * EDGES_PER_PASS; k++) {
		padded[k] = NAN;
	}
	idx_t vectors = n - n % 4;
	for (idx_t p = 0; p < passes; p++) {
		const double *e = padded + p * EDGES_PER_PASS;
		const double4 e0 = {e[0], e[0], e[0], e[0]}, e1 = {e[1], e[1], e[1], e[1]};
		const double4 e2 = {e[2], e[2], e[2], e[2]}, e3 = {e[3], e[3], e[3], e[3]};
		mask4 c0 = {0, 0, 0, 0}, c1 = {0, 0, 0, 0}, c2 = {0, 0, 0, 0}, c3 = {0, 0, 0, 0};
		for (idx_t i = 0; i < vectors; i += 4) {
			double4 v;
			memcpy(&v, x + i, sizeof v);
			c0 -= (mask4)(v >= e0);
			c1 -= (mask4)(v >= e1);
			c2 -= (mask4)(v >= e2);
			c3 -= (mask4)(v >= e3);
		}
		int64_t counts[EDGES_PER_PASS] = {c0[0] + c0[1] + c0[2] + c0[3], c1[0] + c1[1] + c1[2] + c1[3],
		                                  c2[0] + c2[1] + c2[2] + c2[3], c3[0] + c3[1] + c3[2] + c3[3]};
		for (idx_t i = vectors; i < n; i++) {
			for (idx_t j = 0; j < EDGES_PER_PASS; j++) {
				counts[j] += x[i] >= e[j];
			}
		}
		for (idx_t j = 0; j < EDGES_PER_PASS && p * EDGES_PER_PASS + j < edge_count; j++) {
			at_or_above[p * EDGES_PER_PASS + j] += (uint64_t)counts[j];
		}
	}
}

static void profile_values_generic(const double *x, idx_t n, const double *edges, idx_t edge_count,
                                   uint64_t *at_or_above, double *sum) {
	profile_values_body(x, n, edges, edge_count, at_or_above, sum);
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
/* Chosen at load time on processors with AVX2 (no -march: the file may run on another processor
 * of the same platform than the one that built it). */
__attribute__((target("avx2"))) static void profile_values_avx2(const double *x, idx_t n, const double *edges,
                                                                idx_t edge_count, uint64_t *at_or_above,
                                                                double *sum) {
	profile_values_body(x, n, edges, edge_count, at_or_above, sum);
}
#endif

typedef void (*profile_values_fn)(const double *, idx_t, const double *, idx_t, uint64_t *, double *);
static profile_values_fn profile_values = profile_values_generic;

/* Whether the n items of `size` bytes at `items` are all the same: each equal to the one before
 * it, compared by memcmp (SIMD in the C library, no branch per row). */
static int all_same(const void *items, idx_t n, size_t size) {
	return n < 2 || memcmp(items, (const char *)items + size, (n - 1) * size) == 0;
}

/* Whether the n rows of a chunk all have the same list entry of edges, none NULL. */
static int one_list_of_edges(const duckdb_list_entry *lists, const uint64_t *lists_validity, idx_t n) {
	for (idx_t word = 0; lists_validity && word * 64 < n; word++) {
		uint64_t rows = n - word * 64 >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << (n - word * 64)) - 1;
		if ((lists_validity[word] & rows) != rows) {
			return 0;
		}
	}
	return all_same(lists, n, sizeof(*lists));
}

/* A group's slot in a table of 64 groups whose edges were compared in this vector (by address:
 * a multiplicative hash; two groups in one slot only compare again). */
static idx_t compared_slot(duckdb_aggregate_state state) {
	return (idx_t)(((uintptr_t)state * UINT64_C(0x9E3779B97F4A7C15)) >> 58);
}

/* Runs of fewer rows are added one row at a time. */
#define SHORT_RUN 16

/*
 * Adds rows [from, to) of the chunk, all of one group (whose edges are the rows'). NULL rows hold
 * no value: the others are gathered first (a copy of the values, only for runs with NULLs).
 */
static void profile_run(profile_state *s, const double *x, const uint64_t *x_validity, idx_t from, idx_t to) {
	if (to - from < SHORT_RUN) {
		/* Rows of groups in no order (runs of a row or two): one row at a time, no vector set-up. */
		for (idx_t i = from; i < to; i++) {
			if (!is_valid(x_validity, i)) {
				continue;
			}
			int64_t bin = 0;
			for (int64_t k = 0; k < s->edge_count; k++) {
				bin += x[i] >= s->edges[k];
			}
			s->row_bins[bin]++;
			s->count++;
			s->sum += x[i];
		}
		return;
	}
	idx_t nulls = 0;
	if (x_validity) {
		for (idx_t word = from / 64; word * 64 < to; word++) {
			uint64_t rows = ~(uint64_t)0;
			if (word * 64 < from) {
				rows &= ~(uint64_t)0 << (from - word * 64);
			}
			if (to - word * 64 < 64) {
				rows &= ((uint64_t)1 << (to - word * 64)) - 1;
			}
			nulls += (idx_t)__builtin_popcountll(~x_validity[word] & rows);
		}
	}
	if (nulls == 0) {
		s->count += to - from;
		s->vector_count += to - from;
		profile_values(x + from, to - from, s->edges, (idx_t)s->edge_count, s->at_or_above, &s->sum);
		return;
	}
	double present[MAX_CHUNK];
	idx_t m = 0;
	for (idx_t i = from; i < to; i++) {
		present[m] = x[i];
		m += is_valid(x_validity, i);
	}
	s->count += m;
	s->vector_count += m;
	profile_values(present, m, s->edges, (idx_t)s->edge_count, s->at_or_above, &s->sum);
}

static void profile_update(duckdb_function_info info, duckdb_data_chunk input, duckdb_aggregate_state *states) {
	idx_t n = duckdb_data_chunk_get_size(input);
	if (n == 0) {
		return;
	}
	if (n > MAX_CHUNK) {
		duckdb_aggregate_function_set_error(info, "vigil_profile: a chunk larger than expected");
		return;
	}
	/* DuckDB flattens an aggregate's inputs before calling a C extension: a constant list of
	 * edges arrives as one list entry per row, all pointing at the same child values, and the
	 * state of an ungrouped aggregate as the same pointer on every row. */
	duckdb_vector x_vector = duckdb_data_chunk_get_vector(input, 0);
	duckdb_vector edges_vector = duckdb_data_chunk_get_vector(input, 1);
	const double *x = (const double *)duckdb_vector_get_data(x_vector);
	const uint64_t *x_validity = duckdb_vector_get_validity(x_vector);
	const duckdb_list_entry *lists = (const duckdb_list_entry *)duckdb_vector_get_data(edges_vector);
	const uint64_t *lists_validity = duckdb_vector_get_validity(edges_vector);
	const double *edge_values = (const double *)duckdb_vector_get_data(duckdb_list_vector_get_child(edges_vector));

	const int one_list = one_list_of_edges(lists, lists_validity, n);
	if (one_list && all_same(states, n, sizeof(*states))) {
		/* One group and one list of edges for the whole chunk (always so for one window). */
		profile_state *s = (profile_state *)states[0];
		if (take_edges(info, s, edge_values + lists[0].offset, lists[0].length)) {
			profile_run(s, x, x_validity, 0, n);
		}
		return;
	}
	/* Several groups (GROUP BY): runs of rows of one group, as rows ordered by time come, or
	 * single rows. With one list of edges for the chunk, each group's edges are compared with it
	 * once: the groups already compared are kept by address in a small table (a miss compares
	 * again). */
	duckdb_aggregate_state compared[64] = {0};
	for (idx_t from = 0; from < n;) {
		if (!is_valid(lists_validity, from)) {
			duckdb_aggregate_function_set_error(info, "vigil_profile: the edges cannot be NULL");
			return;
		}
		idx_t to = from + 1;
		while (to < n && states[to] == states[from] && lists[to].offset == lists[from].offset &&
		       lists[to].length == lists[from].length && is_valid(lists_validity, to)) {
			to++;
		}
		profile_state *s = (profile_state *)states[from];
		idx_t slot = compared_slot(states[from]);
		if (!one_list || compared[slot] != states[from]) {
			if (!take_edges(info, s, edge_values + lists[from].offset, lists[from].length)) {
				return;
			}
			compared[slot] = states[from];
		}
		profile_run(s, x, x_validity, from, to);
		from = to;
	}
}

static void profile_combine(duckdb_function_info info, duckdb_aggregate_state *source, duckdb_aggregate_state *target,
                            idx_t count) {
	for (idx_t i = 0; i < count; i++) {
		const profile_state *from = (const profile_state *)source[i];
		profile_state *to = (profile_state *)target[i];
		if (from->edge_count < 0) {
			continue;
		}
		if (to->edge_count < 0) {
			memcpy(to, from, sizeof(profile_state));
			continue;
		}
		if (!same_edges(from->edges, (idx_t)from->edge_count, to->edges, (idx_t)to->edge_count)) {
			duckdb_aggregate_function_set_error(info, PROFILE_EDGE_ERRORS[2]);
			return;
		}
		to->count += from->count;
		to->sum += from->sum;
		to->vector_count += from->vector_count;
		for (int64_t k = 0; k < to->edge_count; k++) {
			to->at_or_above[k] += from->at_or_above[k];
		}
		for (int64_t k = 0; k <= to->edge_count; k++) {
			to->row_bins[k] += from->row_bins[k];
		}
	}
}

/* Row `row` of each vector (a struct result and its fields) set to NULL. */
static void set_null(duckdb_vector *vectors, int count, idx_t row) {
	for (int v = 0; v < count; v++) {
		duckdb_vector_ensure_validity_writable(vectors[v]);
		duckdb_validity_set_row_invalid(duckdb_vector_get_validity(vectors[v]), row);
	}
}

static void profile_finalize(duckdb_function_info info, duckdb_aggregate_state *source, duckdb_vector result,
                             idx_t count, idx_t offset) {
	duckdb_vector count_vector = duckdb_struct_vector_get_child(result, 0);
	duckdb_vector sum_vector = duckdb_struct_vector_get_child(result, 1);
	duckdb_vector bins_vector = duckdb_struct_vector_get_child(result, 2);
	uint64_t *counts = (uint64_t *)duckdb_vector_get_data(count_vector);
	double *sums = (double *)duckdb_vector_get_data(sum_vector);
	duckdb_list_entry *lists = (duckdb_list_entry *)duckdb_vector_get_data(bins_vector);
	duckdb_vector bin_values = duckdb_list_vector_get_child(bins_vector);
	for (idx_t i = 0; i < count; i++) {
		const profile_state *s = (const profile_state *)source[i];
		idx_t row = offset + i;
		lists[row].offset = 0;
		lists[row].length = 0;
		if (s->edge_count < 0) {
			/* No rows: NULL, as `sum` and `histogram` (the fields NULL too, as DuckDB keeps them). */
			duckdb_vector fields[4] = {result, count_vector, sum_vector, bins_vector};
			set_null(fields, 4, row);
			continue;
		}
		counts[row] = s->count;
		sums[row] = s->sum;
		idx_t bins = (idx_t)s->edge_count + 1;
		idx_t start = duckdb_list_vector_get_size(bins_vector);
		if (duckdb_list_vector_reserve(bins_vector, start + bins) != DuckDBSuccess ||
		    duckdb_list_vector_set_size(bins_vector, start + bins) != DuckDBSuccess) {
			duckdb_aggregate_function_set_error(info, "vigil_profile: could not grow the result");
			return;
		}
		/* Reserving may move the child's data: read its address after. Bin k holds the values
		 * at or above edge k-1 but not edge k (sorted edges: the second are among the first),
		 * and those counted one row at a time in it. */
		uint64_t *values = (uint64_t *)duckdb_vector_get_data(bin_values) + start;
		uint64_t above = s->vector_count;
		for (int64_t k = 0; k < s->edge_count; k++) {
			values[k] = s->row_bins[k] + above - s->at_or_above[k];
			above = s->at_or_above[k];
		}
		values[s->edge_count] = s->row_bins[s->edge_count] + above;
		lists[row].offset = start;
		lists[row].length = bins;
	}
}

/*
 *   vigil_fine_bins(x DOUBLE, edges DOUBLE[]) -> STRUCT(bin_counts UBIGINT[], bin_sums DOUBLE[])
 *
 * a histogram of many bins (performance estimation's 1,000 score bins) with each bin's count and
 * sum: the same bins as vigil_profile's (bin k holds the values with exactly k edges at or below
 * them; NULL values left out, NaN in bin 0), on sorted edges meant to be evenly spaced. Comparing
 * each value with every edge would cost a thousand comparisons; here the bin is found by
 * arithmetic (the offset from the first edge over the mean step) and then moved until the edges
 * agree, so any sorted edges give the exact bins, and evenly spaced ones take one or no step.
 * Why: a GROUP BY on that bin in SQL hashes every value's bin and updates a count and a sum per
 * row and histogram; here a value costs a division, two comparisons and two stores.
 */
#define FINE_MAX_EDGES 1024

typedef struct {
	/* -1 until the first row sets the edges. */
	int64_t edge_count;
	double first, step;
	double edges[FINE_MAX_EDGES];
	uint64_t counts[FINE_MAX_EDGES + 1];
	double sums[FINE_MAX_EDGES + 1];
} fine_state;

static idx_t fine_state_size(duckdb_function_info info) {
	(void)info;
	return sizeof(fine_state);
}

static void fine_init(duckdb_function_info info, duckdb_aggregate_state state) {
	(void)info;
	fine_state *s = (fine_state *)state;
	s->edge_count = -1;
	memset(s->counts, 0, sizeof(s->counts));
	memset(s->sums, 0, sizeof(s->sums));
}

static const char *const FINE_EDGE_ERRORS[3] = {
    "vigil_fine_bins: at most 1024 edges",
    "vigil_fine_bins: the edges must be sorted finite numbers",
    "vigil_fine_bins: the edges must be the same on every row",
};

/* vigil_fine_bins' edges, and the grid that guesses a value's bin from them. */
static int fine_take_edges(duckdb_function_info info, fine_state *s, const double *edges, idx_t edge_count) {
	const int first_row = s->edge_count < 0;
	if (!adopt_edges(info, FINE_EDGE_ERRORS, &s->edge_count, s->edges, FINE_MAX_EDGES, 1, edges, edge_count)) {
		return 0;
	}
	if (first_row) {
		s->first = edge_count > 0 ? edges[0] : 0;
		s->step = edge_count > 1 ? (edges[edge_count - 1] - edges[0]) / (double)(edge_count - 1) : 0;
	}
	return 1;
}

/* The number of edges at or below v: guessed by arithmetic, then checked against the edges. */
static idx_t fine_bin(const fine_state *s, double v) {
	idx_t m = (idx_t)s->edge_count;
	double guess = s->step > 0 ? floor((v - s->first) / s->step) + 1 : 0;
	/* NaN, and values far outside (where the conversion to an integer would overflow), clamped. */
	idx_t k = !(guess > 0) ? 0 : guess >= (double)m ? m : (idx_t)guess;
	while (k < m && v >= s->edges[k]) {
		k++;
	}
	while (k > 0 && !(v >= s->edges[k - 1])) {
		k--;
	}
	return k;
}

static void fine_update(duckdb_function_info info, duckdb_data_chunk input, duckdb_aggregate_state *states) {
	idx_t n = duckdb_data_chunk_get_size(input);
	duckdb_vector x_vector = duckdb_data_chunk_get_vector(input, 0);
	duckdb_vector edges_vector = duckdb_data_chunk_get_vector(input, 1);
	const double *x = (const double *)duckdb_vector_get_data(x_vector);
	const uint64_t *x_validity = duckdb_vector_get_validity(x_vector);
	const duckdb_list_entry *lists = (const duckdb_list_entry *)duckdb_vector_get_data(edges_vector);
	const uint64_t *lists_validity = duckdb_vector_get_validity(edges_vector);
	const double *edge_values = (const double *)duckdb_vector_get_data(duckdb_list_vector_get_child(edges_vector));
	/* A group's edges are compared with the row's when the group or the list changes from the
	 * row before (rows of one group come in runs), and with one list for the vector only once
	 * per group (as in profile_update). */
	const int one_list = one_list_of_edges(lists, lists_validity, n);
	duckdb_aggregate_state compared[64] = {0};
	fine_state *s = NULL;
	for (idx_t i = 0; i < n; i++) {
		if (!one_list && !is_valid(lists_validity, i)) {
			duckdb_aggregate_function_set_error(info, "vigil_fine_bins: the edges cannot be NULL");
			return;
		}
		if (i == 0 || states[i] != states[i - 1] ||
		    (!one_list && (lists[i].offset != lists[i - 1].offset || lists[i].length != lists[i - 1].length))) {
			s = (fine_state *)states[i];
			idx_t slot = compared_slot(states[i]);
			if (!one_list || compared[slot] != states[i]) {
				if (!fine_take_edges(info, s, edge_values + lists[i].offset, lists[i].length)) {
					return;
				}
				compared[slot] = states[i];
			}
		}
		if (!is_valid(x_validity, i)) {
			continue;
		}
		idx_t k = fine_bin(s, x[i]);
		s->counts[k]++;
		s->sums[k] += x[i];
	}
}

static void fine_combine(duckdb_function_info info, duckdb_aggregate_state *source, duckdb_aggregate_state *target,
                         idx_t count) {
	for (idx_t i = 0; i < count; i++) {
		const fine_state *from = (const fine_state *)source[i];
		fine_state *to = (fine_state *)target[i];
		if (from->edge_count < 0) {
			continue;
		}
		if (to->edge_count < 0) {
			memcpy(to, from, sizeof(fine_state));
			continue;
		}
		if (!same_edges(from->edges, (idx_t)from->edge_count, to->edges, (idx_t)to->edge_count)) {
			duckdb_aggregate_function_set_error(info, FINE_EDGE_ERRORS[2]);
			return;
		}
		for (int64_t b = 0; b <= to->edge_count; b++) {
			to->counts[b] += from->counts[b];
			to->sums[b] += from->sums[b];
		}
	}
}

/* Appends `count` items of `size` bytes to list vector `list` as row `row`'s list (0 on failure). */
static int append_list(duckdb_vector list, idx_t row, const void *items, idx_t count, size_t size) {
	duckdb_list_entry *entries = (duckdb_list_entry *)duckdb_vector_get_data(list);
	idx_t start = duckdb_list_vector_get_size(list);
	if (duckdb_list_vector_reserve(list, start + count) != DuckDBSuccess ||
	    duckdb_list_vector_set_size(list, start + count) != DuckDBSuccess) {
		return 0;
	}
	/* Reserving may move the child's data: read its address after. */
	memcpy((char *)duckdb_vector_get_data(duckdb_list_vector_get_child(list)) + start * size, items, count * size);
	entries[row].offset = start;
	entries[row].length = count;
	return 1;
}

static void fine_finalize(duckdb_function_info info, duckdb_aggregate_state *source, duckdb_vector result,
                          idx_t count, idx_t offset) {
	duckdb_vector counts_vector = duckdb_struct_vector_get_child(result, 0);
	duckdb_vector sums_vector = duckdb_struct_vector_get_child(result, 1);
	for (idx_t i = 0; i < count; i++) {
		const fine_state *s = (const fine_state *)source[i];
		idx_t row = offset + i;
		if (s->edge_count < 0) {
			/* No rows: NULL. */
			duckdb_vector fields[3] = {result, counts_vector, sums_vector};
			set_null(fields, 3, row);
			((duckdb_list_entry *)duckdb_vector_get_data(counts_vector))[row] = (duckdb_list_entry){0, 0};
			((duckdb_list_entry *)duckdb_vector_get_data(sums_vector))[row] = (duckdb_list_entry){0, 0};
			continue;
		}
		idx_t bins = (idx_t)s->edge_count + 1;
		if (!append_list(counts_vector, row, s->counts, bins, sizeof(uint64_t)) ||
		    !append_list(sums_vector, row, s->sums, bins, sizeof(double))) {
			duckdb_aggregate_function_set_error(info, "vigil_fine_bins: could not grow the result");
			return;
		}
	}
}

/* Registers one aggregate of (DOUBLE, DOUBLE[]) returning a STRUCT of the given fields. */
static int register_aggregate(duckdb_connection connection, const char *name, duckdb_logical_type *fields,
                              const char **field_names, idx_t field_count, duckdb_aggregate_state_size state_size,
                              duckdb_aggregate_init_t init, duckdb_aggregate_update_t update,
                              duckdb_aggregate_combine_t combine, duckdb_aggregate_finalize_t finalize) {
	duckdb_aggregate_function function = duckdb_create_aggregate_function();
	duckdb_aggregate_function_set_name(function, name);
	duckdb_logical_type number = duckdb_create_logical_type(DUCKDB_TYPE_DOUBLE);
	duckdb_logical_type numbers = duckdb_create_list_type(number);
	duckdb_logical_type result = duckdb_create_struct_type(fields, field_names, field_count);
	duckdb_aggregate_function_add_parameter(function, number);
	duckdb_aggregate_function_add_parameter(function, numbers);
	duckdb_aggregate_function_set_return_type(function, result);
	duckdb_aggregate_function_set_functions(function, state_size, init, update, combine, finalize);
	duckdb_state registered = duckdb_register_aggregate_function(connection, function);
	duckdb_destroy_logical_type(&number);
	duckdb_destroy_logical_type(&numbers);
	duckdb_destroy_logical_type(&result);
	duckdb_destroy_aggregate_function(&function);
	return registered == DuckDBSuccess;
}

DUCKDB_EXTENSION_ENTRYPOINT(duckdb_connection connection, duckdb_extension_info info,
                            struct duckdb_extension_access *access) {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
	__builtin_cpu_init();
	if (__builtin_cpu_supports("avx2")) {
		profile_values = profile_values_avx2;
	}
#endif
	duckdb_logical_type count = duckdb_create_logical_type(DUCKDB_TYPE_UBIGINT);
	duckdb_logical_type counts = duckdb_create_list_type(count);
	duckdb_logical_type number = duckdb_create_logical_type(DUCKDB_TYPE_DOUBLE);
	duckdb_logical_type numbers = duckdb_create_list_type(number);
	duckdb_logical_type profile_fields[3] = {count, number, counts};
	const char *profile_names[3] = {"count", "sum", "bin_counts"};
	duckdb_logical_type fine_fields[2] = {counts, numbers};
	const char *fine_names[2] = {"bin_counts", "bin_sums"};
	int registered = register_aggregate(connection, "vigil_profile", profile_fields, profile_names, 3,
	                                    profile_state_size, profile_init, profile_update, profile_combine,
	                                    profile_finalize) &&
	                 register_aggregate(connection, "vigil_fine_bins", fine_fields, fine_names, 2, fine_state_size,
	                                    fine_init, fine_update, fine_combine, fine_finalize) &&
	                 register_columns_scan(connection);
	duckdb_destroy_logical_type(&count);
	duckdb_destroy_logical_type(&counts);
	duckdb_destroy_logical_type(&number);
	duckdb_destroy_logical_type(&numbers);
	if (!registered) {
		access->set_error(info, "vigil_bins: could not register its functions");
		return false;
	}
	return true;
}
