/** Where a CLI command writes: standard output and error in the real CLI, arrays in tests. */
export interface Output {
  out(line: string): void;
  err(line: string): void;
}
