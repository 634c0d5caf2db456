// Every `{{field}}` of a scheme checked against the fields its source declares (source-fields.ts): an unknown
// one is a load error at its own position, with the nearest known name. Pure.
import { fieldsOfPath } from './fields';
import { parsePath, type RowSourceName } from './paths';
import { knownFieldPaths, nearestName, sourceFieldsOf, spellings } from './source-fields';
import type { MappingRow } from './types';

export interface UnknownFieldProblem {
  /** Where in the scheme file: e.g. ['mapping', 3, 'value'] or ['filter', 0, 'rule']. */
  path: Array<string | number>;
  message: string;
  /** 0-based character position of the placeholder in that value. */
  offset: number;
}

interface Located {
  path: Array<string | number>;
  text: string;
  context: RowSourceName | undefined;
}

const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;

export function unknownSourceFields(
  source: { system: string; api: string },
  mapping: readonly MappingRow[],
  filter: ReadonlyArray<{ rule: string; reason: string }>,
): UnknownFieldProblem[] {
  const fields = sourceFieldsOf(source);
  if (!fields) return []; // a source this project does not describe: nothing to check against
  const known = knownFieldPaths(fields);
  const derived = new Set(fields.derived);
  const names = spellings(fields);

  const values: Located[] = [];
  const visit = (rows: readonly MappingRow[], context: RowSourceName | undefined): void => {
    for (const row of rows) {
      values.push({ path: ['mapping', row.index, 'value'], text: row.text, context });
      visit(row.children, row.value.kind === 'source' ? row.value.source : context);
    }
  };
  visit(mapping, undefined);
  filter.forEach((r, index) => {
    values.push({ path: ['filter', index, 'rule'], text: r.rule, context: undefined });
    values.push({ path: ['filter', index, 'reason'], text: r.reason, context: undefined });
  });

  const problems: UnknownFieldProblem[] = [];
  for (const { path, text, context } of values) {
    for (const match of text.matchAll(PLACEHOLDER)) {
      let ref;
      try {
        ref = parsePath(match[1]!);
      } catch {
        continue; // a syntax error is reported by the value's own parser
      }
      const candidates = [...fieldsOfPath(ref, context), ...fieldsOfPath(ref, undefined)];
      if (derived.has(ref.field) || candidates.some((c) => known.has(c))) continue;
      const near = nearestName(ref.field, names);
      const shown = ref.source ? `${ref.source}.${ref.field}` : ref.field;
      const hint = near ? `; did you mean \`${ref.source ? `${ref.source}.` : ''}${near}\`?` : '';
      problems.push({
        path,
        message: `unknown field {{${shown}}}: ${source.system} ${source.api} has no field ${ref.field}${hint}`,
        offset: match.index,
      });
    }
  }
  return problems;
}
