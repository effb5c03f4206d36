/* The table function vigil_columns (vigil_columns.c), registered by the extension's entry point. */
#ifndef VIGIL_COLUMNS_H
#define VIGIL_COLUMNS_H

#include "duckdb_extension.h"

/* Registers vigil_columns(body BLOB) on the connection; 0 when DuckDB refused it. */
int register_columns_scan(duckdb_connection connection);

#endif
