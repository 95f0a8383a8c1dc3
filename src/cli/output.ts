import { withoutControlCharacters } from '../text/control-characters.js';

/** Where a CLI command writes: standard output and error in the real CLI, arrays in tests. */
export interface Output {
  out(line: string): void;
  err(line: string): void;
}

/**
 * One tab-separated row of a table the CLI prints. Stored text may hold control characters (names from before
 * they were refused, a platform's error text): stripped, so no value can move the cursor, colour the terminal,
 * or forge a row or a column.
 */
export function tableRow(cells: readonly (string | number)[]): string {
  return cells.map((cell) => withoutControlCharacters(String(cell))).join('\t');
}
