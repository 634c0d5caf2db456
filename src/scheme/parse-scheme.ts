// parseScheme: text (YAML or JSON) → a validated Scheme with every value parsed. Pure. All problems are
// collected and reported together, each naming the row, the column and the line in the file.
import { isMap, isScalar, isSeq, LineCounter, parseDocument, Scalar, type Document } from 'yaml';
import type { Condition } from '../connectors/kingdee/filter-string';
import { SchemeLoadError, ValueSyntaxError, type SchemeIssue } from './errors';
import { walkExpr } from './expression/ast';
import { parseExpression } from './expression/parser';
import { schemeFileSchema, type SchemeFile } from './file-schema';
import type { CollectionCatalog } from './lookup-spec';
import { parseTemplate } from './paths';
import { unknownSourceFields } from './check-source-fields';
import { nearestName } from './source-fields';
import type { Collection, FilterRule, MappingRow, Scheme } from './types';
import { parseValue } from './value';

type IssuePath = ReadonlyArray<string | number>;

const SEGMENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Options the engine writes itself. */
const RESERVED_OPTIONS = new Set(['Model', 'IsAutoSubmitAndAudit']);

class IssueList {
  readonly issues: SchemeIssue[] = [];
  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
    private readonly raw: unknown,
  ) {}

  add(path: IssuePath, message: string, offset?: number): void {
    const { row, column } = this.describe(path);
    this.issues.push({ row, column, message: offset === undefined ? message : `${message} (at character ${offset + 1})`, ...this.position(path, offset) });
  }

  /** An unrecognised key: reported at the key itself (not its parent), naming the nearest allowed key. */
  addUnknownKey(parent: IssuePath, key: string): void {
    const { row } = this.describe([...parent, key]);
    const allowed = allowedKeysAt(this.raw, parent);
    const near = nearestName(key, allowed);
    const map = parent.length === 0 ? this.doc.contents : this.doc.getIn(parent, true);
    const pair = isMap(map) ? map.items.find((p) => isScalar(p.key) && p.key.value === key) : undefined;
    const range = (pair?.key as { range?: [number, number, number] } | undefined)?.range;
    const pos = range ? this.lines.linePos(range[0]) : undefined;
    this.issues.push({
      row,
      column: key,
      message: `unknown key "${key}"${near ? `; did you mean "${near}"?` : ''}${allowed.length ? ` (allowed here: ${allowed.join(', ')})` : ''}`,
      ...(pos ? { line: pos.line, col: pos.col } : this.position([...parent, key])),
    });
  }

  addError(path: IssuePath, err: unknown): void {
    if (err instanceof ValueSyntaxError) this.add(path, err.message, err.offset);
    else throw err;
  }

  private describe(path: IssuePath): { row: string; column: string } {
    const [head, second, ...rest] = path;
    const restText = (parts: ReadonlyArray<string | number>): string => (parts.length ? parts.join('.') : '(whole entry)');
    if (head === 'mapping' && typeof second === 'number') {
      const field = fieldOf(this.raw, second);
      return { row: `mapping row ${second + 1}${field ? ` (${field})` : ''}`, column: restText(rest) };
    }
    if (head === 'filter' && typeof second === 'number') return { row: `filter rule ${second + 1}`, column: restText(rest) };
    if (head === 'collections' && second !== undefined) return { row: `collection ${second}`, column: restText(rest) };
    if (head === undefined) return { row: 'scheme', column: '(whole file)' };
    if (second === undefined) return { row: 'scheme', column: String(head) };
    return { row: String(head), column: restText([second, ...rest]) };
  }

  private position(path: IssuePath, offset?: number): { line?: number; col?: number } {
    for (let n = path.length; n >= 0; n--) {
      const node = n === 0 ? this.doc.contents : this.doc.getIn(path.slice(0, n), true);
      const range = (node as { range?: [number, number, number] | null } | undefined)?.range;
      if (!range) continue;
      let at = range[0];
      if (n === path.length && offset !== undefined && isScalar(node)) {
        const quoted = node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE;
        if (quoted || node.type === Scalar.PLAIN) at += offset + (quoted ? 1 : 0);
      }
      const pos = this.lines.linePos(at);
      return { line: pos.line, col: pos.col };
    }
    return {};
  }
}

/** The keys the file schema allows in the object at `path` (for "did you mean" on an unknown key). */
function allowedKeysAt(_raw: unknown, path: IssuePath): string[] {
  let schema: unknown = schemeFileSchema;
  for (const segment of path) {
    schema = unwrap(schema);
    const shape = (schema as { shape?: Record<string, unknown> }).shape;
    const element = (schema as { element?: unknown }).element;
    const valueType = (schema as { def?: { valueType?: unknown } }).def?.valueType;
    schema = typeof segment === 'number' ? element : shape?.[segment] ?? valueType;
    if (schema === undefined) return [];
  }
  const shape = (unwrap(schema) as { shape?: Record<string, unknown> }).shape;
  return shape ? Object.keys(shape) : [];
}

/** Through .default(), .optional() and the like to the object or array underneath. */
function unwrap(schema: unknown): unknown {
  let s = schema as { def?: { innerType?: unknown; in?: unknown } } | undefined;
  for (let i = 0; i < 10 && s?.def && (s.def.innerType || s.def.in); i++) s = (s.def.innerType ?? s.def.in) as typeof s;
  return s;
}

function fieldOf(raw: unknown, index: number): string | undefined {
  const rows = (raw as { mapping?: unknown } | null)?.mapping;
  const field = Array.isArray(rows) ? (rows[index] as { field?: unknown } | undefined)?.field : undefined;
  return typeof field === 'string' ? field : undefined;
}

function buildCollections(file: SchemeFile, issues: IssueList): Collection[] {
  const collections: Collection[] = [];
  const seen = new Map<string, string>();
  for (const [id, c] of Object.entries(file.collections)) {
    for (const label of new Set([id, c.name])) {
      const other = seen.get(label);
      if (other !== undefined) issues.add(['collections', id, label === id ? '(id)' : 'name'], `"${label}" already names collection ${other}`);
      seen.set(label, id);
    }
    const fields = Object.keys(c.fields);
    let kingdee: Collection['kingdee'];
    if (c.kingdee) {
      const keys: Record<string, string> = {};
      for (const [field, key] of Object.entries(c.fields)) {
        if (key === null) issues.add(['collections', id, 'fields', field], 'needs a Kingdee field key: the collection is read from Kingdee');
        else keys[field] = key;
      }
      kingdee = { formId: c.kingdee.formId, keys, filter: c.kingdee.filter as Condition[] };
    }
    collections.push({ id, name: c.name, noun: c.noun, fields, kingdee });
  }
  return collections;
}

function catalogOf(collections: readonly Collection[]): CollectionCatalog {
  return {
    find: (ref) => {
      const c = collections.find((x) => x.id === ref) ?? collections.find((x) => x.name === ref);
      return c && { id: c.id, name: c.name, fields: c.fields };
    },
  };
}

function buildFilter(file: SchemeFile, catalog: CollectionCatalog, issues: IssueList): FilterRule[] {
  const rules: FilterRule[] = [];
  file.filter.forEach((r, index) => {
    let reason: FilterRule['reason'] | undefined;
    try {
      reason = parseTemplate(r.reason);
    } catch (err) {
      issues.addError(['filter', index, 'reason'], err);
    }
    try {
      const start = /^\s*_function/i.exec(r.rule)?.[0].length ?? 0;
      const expr = parseExpression(r.rule, start, catalog);
      if ([...walkExpr(expr)].some((e) => e.k === 'lookup')) {
        issues.add(['filter', index, 'rule'], 'filter rules cannot use lookups: eligibility is decided from the record alone');
      } else if (reason) {
        rules.push({ index, text: r.rule, expr, reason });
      }
    } catch (err) {
      issues.addError(['filter', index, 'rule'], err);
    }
  });
  return rules;
}

function buildMapping(file: SchemeFile, catalog: CollectionCatalog, issues: IssueList): { mapping: MappingRow[]; rows: MappingRow[] } {
  const byPath = new Map<string, MappingRow>();
  const mapping: MappingRow[] = [];
  const rows: MappingRow[] = [];
  file.mapping.forEach((r, index) => {
    const at = (column: string): IssuePath => ['mapping', index, column];
    const segments = r.field.split('.');
    if (!segments.every((s) => SEGMENT.test(s))) {
      issues.add(at('field'), `"${r.field}" is not a field path (names joined by dots)`);
      return;
    }
    if (byPath.has(r.field)) {
      issues.add(at('field'), `${r.field} is mapped twice (first in mapping row ${byPath.get(r.field)!.index + 1})`);
      return;
    }
    const parentPath = segments.slice(0, -1).join('.');
    const parent = parentPath ? byPath.get(parentPath) : undefined;
    if (parentPath && !parent) {
      issues.add(at('field'), `row under a missing parent: no earlier row maps ${parentPath} (an object or array row)`);
      return;
    }
    if (parent && parent.type !== 'object' && parent.type !== 'array') {
      issues.add(at('field'), `row under ${parentPath}, which is a ${parent.type} row, not an object or array`);
      return;
    }
    const text = r.value === undefined || r.value === null ? '' : String(r.value);
    if (r.basedata && (r.type === 'object' || r.type === 'array')) {
      issues.add(at('basedata'), `a ${r.type} row cannot be base data`);
    }
    let value: MappingRow['value'];
    try {
      value = parseValue(text, r.type, catalog);
    } catch (err) {
      issues.addError(at('value'), err);
      value = { kind: 'empty' };
    }
    if (r.required && value.kind === 'empty' && r.type !== 'object' && r.type !== 'array') {
      issues.add(at('value'), 'a required row needs a value');
    }
    const row: MappingRow = {
      index, path: r.field, key: segments[segments.length - 1]!, title: r.name, type: r.type, text, value,
      ...(r.basedata ? { basedata: r.basedata } : {}), required: r.required, children: [],
      ...(r.min !== undefined ? { min: r.min } : {}), ...(r.max !== undefined ? { max: r.max } : {}),
    };
    byPath.set(r.field, row);
    rows.push(row);
    (parent ? parent.children : mapping).push(row);
  });
  return { mapping, rows };
}

/**
 * Where the flow collection that YAML found unclosed was opened: YAML notices only at the next line, so the
 * error would point a line late. Scans back from `offset` for the last line with more `{` (or `[`) than closers.
 */
function unclosedFlowOpener(text: string, offset: number): { line: number; col: number; char: string } | undefined {
  const lines = text.slice(0, offset).split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!.replace(/"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'/g, (q) => ' '.repeat(q.length)).replace(/#.*$/, '');
    for (const [open, close] of [['{', '}'], ['[', ']']] as const) {
      const opens = line.split(open).length - 1;
      if (opens > line.split(close).length - 1) return { line: i + 1, col: line.lastIndexOf(open) + 1, char: open };
    }
  }
  return undefined;
}

/** A 配置值 is text as written: YAML would read `0.10` as 0.1 and `001` as 1, so plain scalars keep their source. */
function keepValuesAsWritten(doc: Document): void {
  const mapping = doc.get('mapping', true);
  if (!isSeq(mapping)) return;
  for (const item of mapping.items) {
    const value = isMap(item) ? item.get('value', true) : undefined;
    if (isScalar(value) && value.type === Scalar.PLAIN && value.value !== null && typeof value.value !== 'string' && value.source !== undefined) {
      value.value = value.source;
    }
  }
}

export function parseScheme(text: string, sourceName: string): Scheme {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new SchemeLoadError(
      sourceName,
      doc.errors.map((e) => {
        const message = e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
        const unclosed = /end with a [}\]]/.test(message) ? unclosedFlowOpener(text, e.pos[0]) : undefined;
        if (unclosed) return { row: 'file', column: 'syntax', message: `this ${unclosed.char} is never closed: ${message}`, line: unclosed.line, col: unclosed.col };
        return { row: 'file', column: 'syntax', message, ...(e.linePos ? { line: e.linePos[0].line, col: e.linePos[0].col } : {}) };
      }),
    );
  }
  keepValuesAsWritten(doc);
  const raw: unknown = doc.toJS({ maxAliasCount: 100 });
  const issues = new IssueList(doc, lines, raw);
  const parsed = schemeFileSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
      if (issue.code === 'unrecognized_keys') {
        // One issue per unknown key, at the key's own line, with the nearest allowed key.
        for (const key of issue.keys) issues.addUnknownKey(path, key);
        continue;
      }
      const isValue = path[0] === 'mapping' && path[2] === 'value';
      issues.add(path, isValue ? `${issue.message}: a 配置值 is text (quote values that start with {{ or contain ": ")` : issue.message);
    }
    throw new SchemeLoadError(sourceName, issues.issues);
  }
  const file = parsed.data;

  const collections = buildCollections(file, issues);
  const catalog = catalogOf(collections);
  const filter = buildFilter(file, catalog, issues);
  const { mapping, rows } = buildMapping(file, catalog, issues);
  for (const p of unknownSourceFields(file.source, mapping, file.filter)) issues.add(p.path, p.message, p.offset);

  const numberRow = mapping.find((r) => r.path === file.target.numberField);
  if (!numberRow || numberRow.type === 'object' || numberRow.type === 'array') {
    issues.add(['target', 'numberField'], `${file.target.numberField} must be a header mapping row with a scalar value`);
  }
  for (const key of Object.keys(file.target.options)) {
    if (RESERVED_OPTIONS.has(key)) {
      issues.add(['target', 'options', key], key === 'Model' ? 'Model is the mapped document' : 'use target.autoSubmitAndAudit');
    }
  }
  if (issues.issues.length > 0) throw new SchemeLoadError(sourceName, issues.issues);

  return {
    id: file.id,
    workflowIdPrefix: file.workflowIdPrefix ?? `${file.id}-`,
    name: file.name,
    sourceName,
    source: { ...file.source },
    target: {
      system: file.target.system, formId: file.target.formId, operation: file.target.operation, numberField: file.target.numberField,
      options: file.target.options as Scheme['target']['options'], endState: file.target.endState, autoSubmitAndAudit: file.target.autoSubmitAndAudit,
    },
    filter,
    collections,
    mapping,
    rows,
  };
}
