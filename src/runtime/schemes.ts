// Adapts the scheme engine to what the activities need (ports.Schemes): schemes loaded once by id,
// lookups against Kingdee through one shared cache, and the Save body split into model and call options.
import {
  createLookupCache,
  evaluateFilter,
  mapRecord,
  projectRecord,
  resolveLookups,
  resolveLookupsForMany,
  type BillQueryClient,
  type CollectionSources,
  type LookupAnswers,
  type Scheme,
} from '../scheme';
import { findScheme } from '../scheme/load-file';
import type { PreparedBill, Schemes } from '../activities/ports';
import type { SourceRecord } from '../workflows/messages';

const MAX_PAGE_SIZE = 50;

/** `IsVerifyBaseDataField` → `isVerifyBaseDataField`: the Kingdee client takes its options in camelCase. */
function clientOption(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

export function createSchemes(options: { kingdee: BillQueryClient; preload?: string[]; now?: () => number }): Schemes {
  const loaded = new Map<string, Scheme>();
  const scheme = (id: string): Scheme => {
    let s = loaded.get(id);
    if (!s) {
      s = findScheme(id);
      loaded.set(id, s);
    }
    return s;
  };
  for (const id of options.preload ?? []) scheme(id); // fail at start-up, not on the first record
  const sources: CollectionSources = {
    kingdee: options.kingdee,
    cache: createLookupCache({ now: options.now ?? Date.now }),
  };

  return {
    sourceConfig(id) {
      const s = scheme(id);
      const requested = Number(s.source.params.page_size ?? MAX_PAGE_SIZE);
      return { keyField: s.source.keyField, versionField: s.source.versionField, pageSize: Math.min(MAX_PAGE_SIZE, requested || MAX_PAGE_SIZE) };
    },
    workflowIdPrefix: (id) => scheme(id).workflowIdPrefix,
    eligibility: (id, record) => evaluateFilter(scheme(id), record),
    project: (id, record) => projectRecord(scheme(id), record),
    lookups: (id, record) => resolveLookups(scheme(id), record, sources),
    lookupsForMany: (id, records) => resolveLookupsForMany(scheme(id), records, sources),
    prepare(id, record: SourceRecord, answers): PreparedBill {
      const s = scheme(id);
      const result = mapRecord(s, record, answers as LookupAnswers);
      if (!result.ok) return { ok: false, errors: result.errors.map((e) => e.message) };
      const { Model, ...packetOptions } = result.body.data;
      const billNo = Model[s.target.numberField];
      if (typeof billNo !== 'string' || billNo === '') {
        return { ok: false, errors: [`${s.target.numberField}: the document number mapped to ${JSON.stringify(billNo ?? null)}`] };
      }
      const clientOptions = Object.fromEntries(Object.entries(packetOptions).map(([k, v]) => [clientOption(k), v]));
      if (s.target.autoSubmitAndAudit) clientOptions.isAutoSubmitAndAudit = true;
      return {
        ok: true,
        formId: result.body.formid,
        billNo,
        endState: s.target.endState,
        model: Model,
        options: clientOptions,
        warnings: result.warnings,
      };
    },
  };
}
