// Our external key on a Kingdee bill: a header field the scheme fills with exactly the record's key
// (`{{as_id}}`), besides the document number. The flagship writes FHeadNote = as_id, so a bill typed in by
// hand with another number but our key is still found as ours.
import type { Scheme } from '../scheme/types';

export function externalKeyField(scheme: Scheme): string | undefined {
  const keyTemplate = `{{${scheme.source.keyField}}}`;
  const row = scheme.mapping.find((r) => r.path === r.key && r.key !== scheme.target.numberField && r.text.trim() === keyTemplate);
  return row?.key;
}
