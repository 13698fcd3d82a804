import type { RowList } from './row-list.js';
import type { TextColumn } from './table.js';

/**
 * The model keys as a text column (each distinct key once, by first appearance), so that
 * configurations compare keys, not the names as written.
 *
 * @example
 * keyColumn(['a', 'b', 'a']) // { texts: ['a', 'b'], codes: Int32Array [0, 1, 0] }
 */
export function keyColumn(keys: RowList<string>): TextColumn {
  const ids = new Map<string, number>();
  const codes = new Int32Array(keys.length);
  let last: string | undefined;
  let lastId = -1;
  for (let i = 0; i < keys.length; i++) {
    const k = keys.at(i)!;
    // Rows of one model come in runs: the last key is compared before the map is asked.
    if (k !== last) {
      let id = ids.get(k);
      if (id === undefined) ids.set(k, (id = ids.size));
      last = k;
      lastId = id;
    }
    codes[i] = lastId;
  }
  return { texts: [...ids.keys()], codes };
}
