/*
 * vigil_columns: a table function that reads a batch of rows laid out by column in one BLOB, so that
 * the store's INSERT of a batch runs in DuckDB's threads from start to end.
 *
 *   INSERT INTO t SELECT * FROM vigil_columns(body BLOB)
 *
 * Why: a table function written in JavaScript (the binding's) fills each 2,048-row chunk on the
 * server's event loop, so the INSERT waits for the event loop once per chunk; under load, the
 * event loop is busy reading and checking the next requests, and the single writer spent about
 * half of its append waiting for it (docs/benchmarks.md, "The batch's rows copied by DuckDB's
 * threads"). Here the event loop lays the batch out once (columns-blob.ts) and binds it as a
 * parameter; the chunks are copied from it with no call back into JavaScript.
 *
 * The body (little-endian, every section starting at a multiple of 8 bytes from the start):
 *   header: u32 magic "VGC1", u32 rows, u32 columns, u32 0
 *   per column: u8 kind, u8 nullable, u8 code width (1 or 2; dictionary), u8 output type (null
 *   columns), u32 dictionary size; then, if nullable, one byte per row (1 = a value); then by kind:
 *     1 DOUBLE     f64 per row
 *     2 TIMESTAMP  f64 per row: epoch microseconds, rounded half up as JavaScript's Math.round
 *     3 BOOLEAN    u8 per row (0 or 1)
 *     4 VARCHAR    u32 offsets (rows + 1), then the UTF-8 bytes of every row
 *     5 VARCHAR    a dictionary: u32 offsets (size + 1) and its UTF-8 bytes, then a code per row
 *     6 NULL       no data: every row NULL, of the output type (1 to 4, as the kinds above)
 * Every offset, code and length is checked at bind: a body that does not add up is refused with
 * the column and the reason, never read past its end.
 */
#include "duckdb_extension.h"
DUCKDB_EXTENSION_EXTERN

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "vigil_columns.h"

#define MAGIC 0x31434756u /* "VGC1" */
#define MAX_CHUNK 2048

enum kind { KIND_DOUBLE = 1, KIND_TIMESTAMP = 2, KIND_BOOLEAN = 3, KIND_TEXT = 4, KIND_DICTIONARY = 5, KIND_NULL = 6 };

typedef struct {
	uint8_t kind;
	/* The kind of the values (kind, or the output type of a NULL column). */
	uint8_t type;
	uint8_t code_width;
	const uint8_t *valid; /* NULL: every row has a value */
	const uint8_t *data;
	const uint32_t *offsets; /* TEXT: rows + 1; DICTIONARY: size + 1 */
	const uint8_t *bytes;
	uint32_t dictionary_size;
} column;

typedef struct {
	/* The body's bytes (a copy owned here) and the columns pointing into it. */
	uint8_t *body;
	idx_t rows;
	idx_t column_count;
	column *columns;
} batch;

typedef struct {
	idx_t offset;
} scan_state;

static void free_batch(void *data) {
	batch *b = (batch *)data;
	if (!b) return;
	duckdb_free(b->body);
	duckdb_free(b->columns);
	duckdb_free(b);
}

static uint32_t read_u32(const uint8_t *p) {
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

/* Row `row`'s code into a dictionary column's names (one or two bytes, little-endian). */
static uint32_t code_at(const column *c, idx_t row) {
	return c->code_width == 1 ? c->data[row] : (uint32_t)c->data[2 * row] | (uint32_t)c->data[2 * row + 1] << 8;
}

/* Row `i` of a vector: string `index` of UTF-8 bytes cut by `offsets` (checked at bind). */
static void assign_string(duckdb_vector vector, idx_t i, const uint32_t *offsets, const uint8_t *bytes, idx_t index) {
	uint32_t from = read_u32((const uint8_t *)(offsets + index));
	uint32_t to = read_u32((const uint8_t *)(offsets + index + 1));
	duckdb_vector_assign_string_element_len(vector, i, (const char *)bytes + from, to - from);
}

static idx_t align8(idx_t n) {
	return (n + 7) & ~(idx_t)7;
}

/* Takes `length` bytes at *at (aligned to 8), or fails when they pass the end. */
static const uint8_t *take(const uint8_t *body, idx_t size, idx_t *at, idx_t length) {
	idx_t start = align8(*at);
	if (start > size || length > size - start) return NULL;
	*at = start + length;
	return body + start;
}

/* Offsets must start at 0, never decrease and end within `available` bytes. */
static int offsets_ok(const uint32_t *offsets, idx_t count) {
	if (read_u32((const uint8_t *)offsets) != 0) return 0;
	for (idx_t i = 0; i < count; i++) {
		if (read_u32((const uint8_t *)(offsets + i + 1)) < read_u32((const uint8_t *)(offsets + i))) return 0;
	}
	return 1;
}

static duckdb_type output_type(uint8_t type) {
	switch (type) {
	case KIND_DOUBLE:
		return DUCKDB_TYPE_DOUBLE;
	case KIND_TIMESTAMP:
		return DUCKDB_TYPE_TIMESTAMP;
	case KIND_BOOLEAN:
		return DUCKDB_TYPE_BOOLEAN;
	default:
		return DUCKDB_TYPE_VARCHAR;
	}
}

/* Reads column `index` at *at; on a body that does not add up, writes why into `error`. */
static int read_column(const uint8_t *body, idx_t size, idx_t *at, idx_t rows, column *c, char *error,
                       size_t error_size) {
	const uint8_t *head = take(body, size, at, 8);
	if (!head) {
		snprintf(error, error_size, "the body ends in the column's header");
		return 0;
	}
	c->kind = head[0];
	c->code_width = head[2];
	c->dictionary_size = read_u32(head + 4);
	c->type = c->kind == KIND_NULL ? head[3] : (c->kind == KIND_DICTIONARY ? KIND_TEXT : c->kind);
	if (c->kind < KIND_DOUBLE || c->kind > KIND_NULL || c->type < KIND_DOUBLE || c->type > KIND_TEXT) {
		snprintf(error, error_size, "unknown kind %u (output type %u)", head[0], head[3]);
		return 0;
	}
	c->valid = NULL;
	if (head[1] && c->kind != KIND_NULL) {
		c->valid = take(body, size, at, rows);
		if (!c->valid) goto truncated;
	}
	switch (c->kind) {
	case KIND_DOUBLE:
	case KIND_TIMESTAMP:
		c->data = take(body, size, at, rows * 8);
		if (!c->data) goto truncated;
		return 1;
	case KIND_BOOLEAN:
		c->data = take(body, size, at, rows);
		if (!c->data) goto truncated;
		return 1;
	case KIND_TEXT:
	case KIND_DICTIONARY: {
		idx_t entries = c->kind == KIND_TEXT ? rows : c->dictionary_size;
		c->offsets = (const uint32_t *)take(body, size, at, (entries + 1) * 4);
		if (!c->offsets) goto truncated;
		if (!offsets_ok(c->offsets, entries)) {
			snprintf(error, error_size, "its string offsets do not start at 0 and grow");
			return 0;
		}
		c->bytes = take(body, size, at, read_u32((const uint8_t *)(c->offsets + entries)));
		if (!c->bytes) goto truncated;
		if (c->kind == KIND_TEXT) return 1;
		if (c->code_width != 1 && c->code_width != 2) {
			snprintf(error, error_size, "code width %u (1 or 2)", c->code_width);
			return 0;
		}
		c->data = take(body, size, at, rows * c->code_width);
		if (!c->data) goto truncated;
		for (idx_t row = 0; row < rows; row++) {
			uint32_t code = code_at(c, row);
			if ((c->valid == NULL || c->valid[row]) && code >= c->dictionary_size) {
				snprintf(error, error_size, "row %llu has code %u of a dictionary of %u", (unsigned long long)row, code,
				         c->dictionary_size);
				return 0;
			}
		}
		return 1;
	}
	default: /* KIND_NULL */
		return 1;
	}
truncated:
	snprintf(error, error_size, "the body ends inside the column's values");
	return 0;
}

static void columns_bind(duckdb_bind_info info) {
	duckdb_value parameter = duckdb_bind_get_parameter(info, 0);
	duckdb_blob blob = duckdb_get_blob(parameter);
	duckdb_destroy_value(&parameter);
	batch *b = (batch *)duckdb_malloc(sizeof(batch));
	if (!b) {
		duckdb_free(blob.data);
		duckdb_bind_set_error(info, "vigil_columns: out of memory");
		return;
	}
	b->body = (uint8_t *)blob.data;
	b->columns = NULL;
	char error[200];
	idx_t size = blob.size;
	if (!b->body || size < 16 || read_u32(b->body) != MAGIC || read_u32(b->body + 12) != 0) {
		free_batch(b);
		duckdb_bind_set_error(info, "vigil_columns: not a column batch (its header is missing or wrong)");
		return;
	}
	b->rows = read_u32(b->body + 4);
	b->column_count = read_u32(b->body + 8);
	if (b->column_count == 0 || b->column_count > 100000) {
		free_batch(b);
		duckdb_bind_set_error(info, "vigil_columns: a batch has 1 to 100,000 columns");
		return;
	}
	b->columns = (column *)duckdb_malloc(sizeof(column) * b->column_count);
	if (!b->columns) {
		free_batch(b);
		duckdb_bind_set_error(info, "vigil_columns: out of memory");
		return;
	}
	idx_t at = 16;
	for (idx_t i = 0; i < b->column_count; i++) {
		if (!read_column(b->body, size, &at, b->rows, &b->columns[i], error, sizeof(error))) {
			char message[300];
			snprintf(message, sizeof(message), "vigil_columns: column %llu: %s", (unsigned long long)i, error);
			free_batch(b);
			duckdb_bind_set_error(info, message);
			return;
		}
	}
	if (align8(at) != align8(size)) {
		free_batch(b);
		duckdb_bind_set_error(info, "vigil_columns: the body goes on after its last column");
		return;
	}
	for (idx_t i = 0; i < b->column_count; i++) {
		char name[24];
		snprintf(name, sizeof(name), "c%llu", (unsigned long long)i);
		duckdb_logical_type type = duckdb_create_logical_type(output_type(b->columns[i].type));
		duckdb_bind_add_result_column(info, name, type);
		duckdb_destroy_logical_type(&type);
	}
	duckdb_bind_set_cardinality(info, b->rows, true);
	duckdb_bind_set_bind_data(info, b, free_batch);
}

static void columns_init(duckdb_init_info info) {
	/* One thread, in order: the rows keep the batch's order. */
	duckdb_init_set_max_threads(info, 1);
	scan_state *s = (scan_state *)duckdb_malloc(sizeof(scan_state));
	if (!s) {
		duckdb_init_set_error(info, "vigil_columns: out of memory");
		return;
	}
	s->offset = 0;
	duckdb_init_set_init_data(info, s, duckdb_free);
}

static void fill_validity(duckdb_vector vector, const column *c, idx_t offset, idx_t count) {
	if (c->kind == KIND_NULL) {
		duckdb_vector_ensure_validity_writable(vector);
		uint64_t *validity = duckdb_vector_get_validity(vector);
		memset(validity, 0, ((count + 63) / 64) * 8);
		return;
	}
	if (!c->valid) return;
	duckdb_vector_ensure_validity_writable(vector);
	uint64_t *validity = duckdb_vector_get_validity(vector);
	for (idx_t word = 0; word * 64 < count; word++) {
		uint64_t bits = 0;
		idx_t end = count - word * 64 < 64 ? count - word * 64 : 64;
		const uint8_t *valid = c->valid + offset + word * 64;
		for (idx_t bit = 0; bit < end; bit++) bits |= (uint64_t)(valid[bit] != 0) << bit;
		validity[word] = bits;
	}
}

static int row_valid(const column *c, idx_t row) {
	return c->valid == NULL || c->valid[row];
}

static void fill_column(duckdb_vector vector, const column *c, idx_t offset, idx_t count) {
	switch (c->kind) {
	case KIND_DOUBLE:
		memcpy(duckdb_vector_get_data(vector), c->data + offset * 8, count * 8);
		break;
	case KIND_TIMESTAMP: {
		int64_t *out = (int64_t *)duckdb_vector_get_data(vector);
		for (idx_t i = 0; i < count; i++) {
			double micros;
			memcpy(&micros, c->data + (offset + i) * 8, 8);
			out[i] = (int64_t)floor(micros + 0.5);
		}
		break;
	}
	case KIND_BOOLEAN: {
		bool *out = (bool *)duckdb_vector_get_data(vector);
		for (idx_t i = 0; i < count; i++) out[i] = c->data[offset + i] != 0;
		break;
	}
	case KIND_TEXT:
	case KIND_DICTIONARY:
		for (idx_t i = 0; i < count; i++) {
			idx_t row = offset + i;
			if (!row_valid(c, row)) {
				duckdb_vector_assign_string_element_len(vector, i, "", 0);
			} else {
				assign_string(vector, i, c->offsets, c->bytes, c->kind == KIND_TEXT ? row : code_at(c, row));
			}
		}
		break;
	default:
		break;
	}
	fill_validity(vector, c, offset, count);
}

static void columns_scan(duckdb_function_info info, duckdb_data_chunk output) {
	const batch *b = (const batch *)duckdb_function_get_bind_data(info);
	scan_state *s = (scan_state *)duckdb_function_get_init_data(info);
	idx_t count = b->rows - s->offset < MAX_CHUNK ? b->rows - s->offset : MAX_CHUNK;
	for (idx_t i = 0; i < b->column_count; i++) {
		fill_column(duckdb_data_chunk_get_vector(output, i), &b->columns[i], s->offset, count);
	}
	s->offset += count;
	duckdb_data_chunk_set_size(output, count);
}

int register_columns_scan(duckdb_connection connection) {
	duckdb_table_function function = duckdb_create_table_function();
	duckdb_table_function_set_name(function, "vigil_columns");
	duckdb_logical_type blob = duckdb_create_logical_type(DUCKDB_TYPE_BLOB);
	duckdb_table_function_add_parameter(function, blob);
	duckdb_destroy_logical_type(&blob);
	duckdb_table_function_set_bind(function, columns_bind);
	duckdb_table_function_set_init(function, columns_init);
	duckdb_table_function_set_function(function, columns_scan);
	duckdb_state registered = duckdb_register_table_function(connection, function);
	duckdb_destroy_table_function(&function);
	return registered == DuckDBSuccess;
}
