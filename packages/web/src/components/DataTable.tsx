/**
 * A plain data table: columns declared once (header, cell, alignment), a caption for screen
 * readers, and the same markup and classes on every page.
 */
import type { ReactNode } from 'react';

export interface Column<T> {
  /** Header text; also the column's key. */
  header: string;
  /** Header read by screen readers only (e.g. "Actions" over a column of buttons). */
  hiddenHeader?: boolean;
  cell: (row: T) => ReactNode;
  numeric?: boolean;
  /** The row's name: rendered as a row header (`<th scope="row">`). */
  rowHeader?: boolean;
}

export function DataTable<T>({
  caption,
  columns,
  rows,
  rowKey,
  testId,
  rowTestId,
  rowClassName,
  scroll,
}: {
  caption: string;
  columns: Column<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string | number;
  testId?: string;
  rowTestId?: string;
  rowClassName?: (row: T) => string | undefined;
  /** Wide tables scroll sideways on a narrow screen. */
  scroll?: boolean;
}) {
  const table = (
    <table className="table" data-testid={testId}>
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          {columns.map((column) => (
            <th key={column.header} scope="col" className={column.numeric ? 'numeric' : undefined}>
              {column.hiddenHeader ? <span className="visually-hidden">{column.header}</span> : column.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={rowKey(row)} data-testid={rowTestId} className={rowClassName?.(row)}>
            {columns.map((column) =>
              column.rowHeader ? (
                <th key={column.header} scope="row">
                  {column.cell(row)}
                </th>
              ) : (
                <td key={column.header} className={column.numeric ? 'numeric' : undefined}>
                  {column.cell(row)}
                </td>
              ),
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
  return scroll ? <div className="table-scroll">{table}</div> : table;
}
