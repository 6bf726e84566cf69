export interface SourceRow {
  /** The parsed row: an object for valid files, anything for JSON(L) (checked later). */
  value: unknown;
  /** 1-based line on which the row starts. */
  line: number;
  /** 0-based position among the data rows (blank lines and the CSV header excluded). */
  index: number;
}
