/**
 * The one error every file reader in mlpkit throws for malformed input. Its
 * message always starts with the file (or buffer) name and ends with where in
 * it the problem was found, so a user can open the file and look.
 */
export interface FormatLocation {
  /** Byte offset from the start of the file (of the decompressed bytes for gzip files). */
  byte?: number;
  /** 1-based line number (text formats). */
  line?: number;
  /** Column name or 1-based column number (tabular formats). */
  column?: string | number;
}

export class FormatError extends Error {
  override readonly name = 'FormatError';
  /** The file path or buffer name given to the reader. */
  readonly file: string;
  /** What is wrong, without the file name and location. */
  readonly problem: string;
  readonly location: FormatLocation;

  constructor(file: string, problem: string, location: FormatLocation = {}) {
    super(`${file}: ${problem}${describeLocation(location)}`);
    this.file = file;
    this.problem = problem;
    this.location = location;
  }
}

function describeLocation({ byte, line, column }: FormatLocation): string {
  const parts: string[] = [];
  if (line !== undefined) parts.push(`line ${line}`);
  if (column !== undefined) parts.push(typeof column === 'number' ? `column ${column}` : `column '${column}'`);
  if (byte !== undefined) parts.push(`byte ${byte}`);
  return parts.length ? ` (at ${parts.join(', ')})` : '';
}
