import { SweetspotInputError } from '../../errors.js';
import type { MeasurementInput } from './measurement.js';
import { measurementRows, type DefaultedField } from './rows.js';
import { checkTable, isMeasurementTable, tableFromRows, type MeasurementTable } from './table.js';

/**
 * The measurements a fitting function was handed, as a table (docs/fitting.md#measurement-tables):
 * plain rows validated (bad ones named by index, defaults listed in `defaulted`), then turned into
 * a table; a table checked column by column, since its arrays may have been built or changed by
 * hand. `calibrate` and `evaluate` then run one code path whichever they were given.
 *
 * @throws {SweetspotInputError} naming the bad row (`caller(rows)[i]`) or cell (`line N: field`).
 * @example
 * const { table, defaulted } = measurementTable(rows, 'evaluate');
 */
export function measurementTable(input: readonly MeasurementInput[] | MeasurementTable, caller: string): { table: MeasurementTable; defaulted: DefaultedField[] } {
  if (isMeasurementTable(input)) {
    if (input.length === 0) throw new SweetspotInputError(`${caller}(rows): no rows left to use (check the filters)`);
    checkTable(input, `${caller}(table)`);
    return { table: input, defaulted: [] };
  }
  const { rows, defaulted } = measurementRows(input, caller);
  return { table: tableFromRows(rows), defaulted };
}
