// The shape of a scheme file (YAML or JSON), validated with zod before any value is parsed.
import { z } from 'zod';

const KINGDEE_KEY = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const json: z.ZodType<unknown> = z.lazy(() => z.union([scalar, z.array(json), z.record(z.string(), json)]));

const fixedCondition = z.union([
  z.strictObject({
    key: z.string().regex(KINGDEE_KEY, 'not a Kingdee field key'),
    op: z.enum(['=', '<>', '>', '<', '>=', '<=']),
    value: z.union([z.string(), z.number(), z.boolean()]),
  }),
  z.strictObject({
    key: z.string().regex(KINGDEE_KEY, 'not a Kingdee field key'),
    op: z.literal('in'),
    values: z.array(z.union([z.string(), z.number(), z.boolean()])),
  }),
  z.strictObject({ key: z.string().regex(KINGDEE_KEY, 'not a Kingdee field key'), op: z.enum(['is null', 'is not null']) }),
]);

const collection = z.strictObject({
  name: z.string().regex(/^[A-Za-z_][\w-]*$/, 'a readable name: letters, digits, _ and -'),
  noun: z.string().min(1).default('row'),
  title: z.string().optional(),
  /** Collection field → Kingdee field key (null for a collection only ever given as rows). */
  fields: z.record(z.string().regex(IDENT, 'not a field name'), z.string().regex(KINGDEE_KEY, 'not a Kingdee field key').nullable()),
  kingdee: z
    .strictObject({
      formId: z.string().regex(IDENT, 'not a Kingdee form id'),
      filter: z.array(fixedCondition).default([]),
    })
    .optional(),
});

const value = z.union([z.string(), z.number(), z.boolean(), z.null()]).optional();

const mappingRow = z.strictObject({
  field: z.string().min(1),
  name: z.string().default(''),
  type: z.enum(['string', 'number', 'bool', 'object', 'array']),
  value,
  basedata: z.string().regex(IDENT, 'not a base-data key (e.g. FNumber)').optional(),
  required: z.boolean().default(false),
  /** Bounds for a numeric value (money, quantities): a value outside parks the record naming the field. */
  min: z.number().optional(),
  max: z.number().optional(),
});

export const schemeFileSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9][\w.-]*$/, 'letters, digits, _, . and -'),
  name: z.string().min(1),
  description: z.string().optional(),
  /** Workflow ids are `<prefix><key>`: one workflow per scheme and record. Default `<id>-`; unique across schemes. */
  workflowIdPrefix: z.string().regex(/^[A-Za-z0-9][\w.:-]*$/, 'letters, digits, _, ., : and -').optional(),
  source: z.strictObject({
    system: z.string().min(1),
    api: z.string().min(1),
    params: z.record(z.string(), scalar).default({}),
    keyField: z.string().regex(IDENT, 'not a field name'),
    versionField: z.string().regex(IDENT, 'not a field name'),
  }),
  filter: z.array(z.strictObject({ rule: z.string().min(1), reason: z.string().min(1) })).default([]),
  target: z.strictObject({
    system: z.string().min(1),
    formId: z.string().regex(IDENT, 'not a Kingdee form id'),
    operation: z.enum(['Save', 'BatchSave']).default('Save'),
    numberField: z.string().regex(IDENT, 'not a field name'),
    options: z.record(z.string().regex(IDENT, 'not an option name'), json).default({}),
    endState: z.enum(['saved', 'submitted', 'audited']).default('saved'),
    autoSubmitAndAudit: z.boolean().default(false),
  }),
  collections: z.record(z.string().min(1), collection).default({}),
  mapping: z.array(mappingRow).min(1, 'a scheme needs at least one mapping row'),
});

export type SchemeFile = z.infer<typeof schemeFileSchema>;
