import { kindOf } from '../../arguments.js';
import { SweetspotInputError } from '../../errors.js';
import type { Measurement } from './measurement.js';
import { checkTableShape, isMeasurementTable, type MeasurementTable } from './table.js';

/**
 * `rows` when it is an array of objects, else an error naming the argument (or the first row that
 * is not an object). A shallow check, one `typeof` per row: the rows' fields are the schema's
 * business (`readMeasurements`, `calibrate` validate them); this stops `undefined` or a string
 * before it fails inside as a TypeError.
 *
 * @throws {SweetspotInputError} naming `where`.
 * @example
 * checkMeasurementRows('groupRepeats(rows)', rows) // rows
 */
export function checkMeasurementRows(where: string, rows: readonly Measurement[]): readonly Measurement[] {
  if (!Array.isArray(rows)) throw new SweetspotInputError(`${where}: expected an array of measurements, got ${kindOf(rows)}`);
  for (let i = 0; i < rows.length; i++) {
    const r: unknown = rows[i];
    if (typeof r !== 'object' || r === null || Array.isArray(r)) throw new SweetspotInputError(`${where}[${i}]: expected a measurement (an object), got ${kindOf(r)}`);
  }
  return rows;
}

/**
 * `table` when it is a {@link MeasurementTable} whose columns have their types and the table's
 * length, else an error naming the argument. O(columns): the values are `checkTable`'s business.
 *
 * @throws {SweetspotInputError} naming `where`.
 * @example
 * checkTableArgument('tableRows(table)', tableFromRows(rows)) // the table
 */
export function checkTableArgument(where: string, table: MeasurementTable): MeasurementTable {
  if (!isMeasurementTable(table)) throw new SweetspotInputError(`${where}: expected a MeasurementTable (from tableFromRows or loadMeasurementTable), got ${kindOf(table)}`);
  checkTableShape(table, where);
  return table;
}

/**
 * {@link checkTableArgument} for a table, {@link checkMeasurementRows} for rows.
 *
 * @throws {SweetspotInputError} naming `where`.
 * @example
 * checkRowsOrTable('noiseFloor(rows)', rows) // rows
 */
export function checkRowsOrTable<T extends readonly Measurement[] | MeasurementTable>(where: string, input: T): T {
  if (isMeasurementTable(input)) checkTableArgument(where, input);
  else checkMeasurementRows(where, input as readonly Measurement[]);
  return input;
}
