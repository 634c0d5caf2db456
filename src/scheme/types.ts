// The loaded, validated form of a scheme: every value already parsed, every reference already resolved.
import type { Condition } from '../connectors/kingdee/filter-string';
import type { Expr } from './expression/ast';
import type { LookupSpec } from './lookup-spec';
import type { RowSourceName, TemplatePart } from './paths';

export type RowType = 'string' | 'number' | 'bool' | 'object' | 'array';
export type EndState = 'saved' | 'submitted' | 'audited';
export type JsonScalar = string | number | boolean | null;
export type JsonValue = JsonScalar | JsonValue[] | { [key: string]: JsonValue };

/** A mapping row's value (the 配置值), parsed. */
export type ValueAst =
  | { kind: 'empty' }
  | { kind: 'constant'; value: string | number | boolean }
  | { kind: 'template'; parts: TemplatePart[] }
  | { kind: 'lookup'; spec: LookupSpec }
  | { kind: 'expression'; expr: Expr }
  /** An array row over a row source. */
  | { kind: 'source'; source: RowSourceName };

export interface MappingRow {
  /** 0-based position in the file's mapping list. */
  index: number;
  /** Full target path, e.g. `FEntity.FMaterialId`. */
  path: string;
  /** Last path segment: the key written into the document. */
  key: string;
  /** Display name (字段名称). */
  title: string;
  type: RowType;
  /** The 配置值 exactly as written. */
  text: string;
  value: ValueAst;
  /** Wrap the value as `{ [basedata]: value }` (Kingdee base-data reference). */
  basedata?: string;
  required: boolean;
  /** Bounds a numeric value must respect (scheme-declared: e.g. no negative price). */
  min?: number;
  max?: number;
  children: MappingRow[];
}

export interface Collection {
  /** The id mapping rows use (kept so tables copied from elsewhere still resolve). */
  id: string;
  /** Readable name, also accepted in lookups and collection files. */
  name: string;
  /** What one record is, for messages ("no customer in Kingdee BD_Customer …"). */
  noun: string;
  /** Collection field names in declared order (the stable order of matches follows it). */
  fields: string[];
  /** How to read it from Kingdee, when it can be. */
  kingdee?: {
    formId: string;
    /** Collection field → Kingdee field key (`FMaterialID_FNumber` → `FMaterialID.FNumber`). */
    keys: Record<string, string>;
    /** Fixed conditions over Kingdee field keys, ANDed to every query (e.g. only audited bills). */
    filter: Condition[];
  };
}

export interface FilterRule {
  index: number;
  text: string;
  expr: Expr;
  /** Human reason, may hold header placeholders. */
  reason: TemplatePart[];
}

export interface Scheme {
  id: string;
  /** Workflow ids of this scheme's records are `<workflowIdPrefix><key>` (declared, or `<id>-`). */
  workflowIdPrefix: string;
  name: string;
  /** Where it was loaded from (file path or a label), for messages. */
  sourceName: string;
  source: {
    system: string;
    api: string;
    params: Record<string, JsonScalar>;
    keyField: string;
    versionField: string;
  };
  target: {
    system: string;
    formId: string;
    operation: 'Save' | 'BatchSave';
    /** The mapped header field that is the document number and idempotency key. */
    numberField: string;
    /** Control options sent beside `Model` (e.g. IsVerifyBaseDataField). */
    options: Record<string, JsonValue>;
    endState: EndState;
    /** Reach the end state with Kingdee's one-call save-submit-audit (discouraged; default false). */
    autoSubmitAndAudit: boolean;
  };
  filter: FilterRule[];
  collections: Collection[];
  /** Top-level mapping rows, children nested, in file order. */
  mapping: MappingRow[];
  /** Every mapping row in file order. */
  rows: MappingRow[];
}
