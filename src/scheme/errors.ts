// Errors of the scheme engine, typed where they are born. Load errors name the row and the column;
// evaluation errors are business errors naming the mapping row; the others are programming errors.

/** One problem in a scheme file: which row (e.g. `mapping row 27 FEntity.FLot`), which key (`column`), and where in the file. */
export interface SchemeIssue {
  row: string;
  column: string;
  message: string;
  line?: number;
  col?: number;
}

export function formatIssue(sourceName: string, issue: SchemeIssue): string {
  const where = issue.line === undefined ? sourceName : `${sourceName}:${issue.line}:${issue.col ?? 1}`;
  if (issue.row === 'file' && issue.column === 'syntax') return `${where}: YAML syntax: ${issue.message}`;
  return `${where}: ${issue.row}, key ${issue.column}: ${issue.message}`;
}

export class SchemeLoadError extends Error {
  override readonly name = 'SchemeLoadError';
  constructor(
    readonly sourceName: string,
    readonly issues: readonly SchemeIssue[],
  ) {
    super(`invalid scheme ${sourceName}:\n${issues.map((i) => `  ${formatIssue(sourceName, i)}`).join('\n')}`);
  }
}

/** A syntax problem inside one value (template, lookup or expression); `offset` is the 0-based character position. */
export class ValueSyntaxError extends Error {
  override readonly name = 'ValueSyntaxError';
  constructor(
    message: string,
    readonly offset?: number,
  ) {
    super(message);
  }
}

/** A value could not be evaluated for this record (e.g. text where a number is needed). */
export class EvaluationError extends Error {
  override readonly name = 'EvaluationError';
}

/** A filter rule could not be evaluated for a record: a data or scheme problem, not a reason to skip silently. */
export class FilterEvaluationError extends Error {
  override readonly name = 'FilterEvaluationError';
  constructor(
    readonly ruleIndex: number,
    message: string,
  ) {
    super(`filter rule ${ruleIndex + 1}: ${message}`);
  }
}

/** mapRecord was given answers that do not cover a lookup the record needs (answers from another record or scheme). */
export class LookupAnswersMissingError extends Error {
  override readonly name = 'LookupAnswersMissingError';
}

/** A collection could not be read (no source configured, or the query failed). */
export class LookupSourceError extends Error {
  override readonly name = 'LookupSourceError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
