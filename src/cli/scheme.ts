// `erp-bridge scheme check FILE`: validates a scheme file and prints a summary, or every load error with
// its row, column and line. `erp-bridge scheme list`: the schemes in the project's schemes/ folder.
import type { Command } from 'commander';
import { schemeFields, SchemeLoadError, formatIssue, type MappingRow, type Scheme } from '../scheme';
import { listSchemes, loadSchemeFile, SCHEMES_DIR } from '../scheme/load-file';

function rowTree(rows: readonly MappingRow[], indent: string): string[] {
  return rows.flatMap((r) => {
    const source = r.value.kind === 'source' ? ` over ${r.value.source}` : '';
    const flags = [r.basedata ? `basedata ${r.basedata}` : '', r.required ? 'required' : '', r.value.kind === 'empty' && r.type !== 'object' && r.type !== 'array' ? 'empty' : '']
      .filter(Boolean)
      .join(', ');
    const line = `${indent}${r.key} (${r.type}${source}${r.value.kind !== 'source' && r.value.kind !== 'empty' ? `, ${r.value.kind}` : ''})${flags ? ` [${flags}]` : ''}`;
    return [line, ...rowTree(r.children, `${indent}  `)];
  });
}

export function schemeSummary(scheme: Scheme): string[] {
  const { source, target } = scheme;
  const steps = target.autoSubmitAndAudit
    ? 'one-call save, submit and audit'
    : { saved: 'Save', submitted: 'Save, then Submit', audited: 'Save, Submit, Audit as separate steps' }[target.endState];
  const params = Object.entries(source.params).map(([k, v]) => `${k}=${String(v)}`).join(', ');
  const options = Object.entries(target.options).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ');
  return [
    `ok: ${scheme.sourceName}`,
    `  id           ${scheme.id}`,
    `  name         ${scheme.name}`,
    `  source       ${source.system} ${source.api} (key ${source.keyField}, version ${source.versionField}${params ? `, params ${params}` : ''})`,
    `  target       ${target.system} ${target.formId} by ${target.operation}, number ${target.numberField}, end state ${target.endState} (${steps})`,
    `  options      ${options || '(none)'}`,
    `  filter       ${scheme.filter.length} rule(s)`,
    ...scheme.filter.map((r) => `    ${r.index + 1}. ${r.text.trim()}`),
    `  collections  ${scheme.collections.length}`,
    ...scheme.collections.map((c) => {
      const from = c.kingdee ? `Kingdee ${c.kingdee.formId}${c.kingdee.filter.length ? ` (fixed filter on ${c.kingdee.filter.map((f) => f.key).join(', ')})` : ''}` : 'rows only';
      return `    ${c.name} = ${c.id}: ${from}; fields ${c.fields.join(', ')}`;
    }),
    `  mapping      ${scheme.rows.length} rows`,
    ...rowTree(scheme.mapping, '    '),
    `  reads        ${schemeFields(scheme).join(', ')}`,
  ];
}

export function runSchemeCheck(file: string, io: { out(line: string): void; err(line: string): void }): number {
  let scheme: Scheme;
  try {
    scheme = loadSchemeFile(file);
  } catch (err) {
    if (err instanceof SchemeLoadError) {
      io.err(`invalid scheme ${file}: ${err.issues.length} problem(s)`);
      for (const issue of err.issues) io.err(`  ${formatIssue(file, issue)}`);
      return 1;
    }
    throw err;
  }
  for (const line of schemeSummary(scheme)) io.out(line);
  return 0;
}

export function registerSchemeCommand(program: Command): void {
  const scheme = program.command('scheme').description('Integration schemes: check a scheme file, list the known schemes');
  scheme
    .command('check <file>')
    .description('Validate a scheme file (YAML or JSON): prints a summary, or every error with its row, column and line')
    .action((file: string) => {
      process.exitCode = runSchemeCheck(file, { out: (l) => console.log(l), err: (l) => console.error(l) });
    });
  scheme
    .command('list')
    .description(`The schemes in ${SCHEMES_DIR}`)
    .action(() => {
      for (const s of listSchemes()) console.log(`${s.id}\t${s.file}`);
    });
}
