// `erp-bridge kingdee query|view`: reads any Kingdee K/3 Cloud through the real client (config from KINGDEE_*),
// for checking credentials, field keys and data by hand. Tab-separated rows, or one JSON object per line.
import type { Command } from 'commander';
import { KingdeeClient, kingdeeConfigFromEnv } from '../connectors/kingdee';

interface QueryOptions {
  form: string;
  fields: string;
  filter: string;
  order?: string;
  start: string;
  limit: string;
  json?: boolean;
}

function count(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${flag} must be a non-negative integer, got ${JSON.stringify(value)}`);
  return n;
}

function tsvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return text.replace(/[\t\r\n]+/g, ' ');
}

async function withClient<T>(run: (client: KingdeeClient) => Promise<T>): Promise<T> {
  const client = new KingdeeClient(kingdeeConfigFromEnv(process.env));
  try {
    return await run(client);
  } finally {
    await client.close();
  }
}

export function registerKingdeeCommand(program: Command): void {
  const kingdee = program
    .command('kingdee')
    .description('Read Kingdee K/3 Cloud through the client (KINGDEE_BASE_URL, KINGDEE_ACCT_ID, KINGDEE_USERNAME, KINGDEE_PASSWORD or app credentials)');

  kingdee
    .command('query')
    .description('ExecuteBillQuery: rows of a form, one per entry when an entry field is asked for')
    .requiredOption('--form <formId>', 'form id, e.g. SAL_OUTSTOCK, BD_Customer')
    .requiredOption('--fields <keys>', 'comma-separated field keys, e.g. FBillNo,FEntity_FEntryID,FMaterialID.FNumber')
    .option('--filter <text>', 'FilterString as typed (quote literals yourself, doubling any \')', '')
    .option('--order <text>', 'OrderString, e.g. "FID ASC"')
    .option('--start <n>', 'first row (0-based)', '0')
    .option('--limit <n>', 'at most this many rows', '100')
    .option('--json', 'one JSON object per row, keyed by field key')
    .action(async (opts: QueryOptions) => {
      const keys = opts.fields.split(',').map((k) => k.trim()).filter((k) => k !== '');
      const rows = await withClient((client) =>
        client.executeBillQuery({
          FormId: opts.form,
          FieldKeys: keys.join(','),
          FilterString: opts.filter,
          OrderString: opts.order,
          StartRow: count(opts.start, '--start'),
          Limit: count(opts.limit, '--limit'),
        }),
      );
      if (opts.json) {
        for (const row of rows) console.log(JSON.stringify(Object.fromEntries(keys.map((k, i) => [k, row[i] ?? null]))));
      } else {
        console.log(keys.join('\t'));
        for (const row of rows) console.log(row.map(tsvCell).join('\t'));
      }
      console.error(`${rows.length} row(s)`);
    });

  kingdee
    .command('view')
    .description('View: one bill (or base-data record) by number, as the server returns it')
    .requiredOption('--form <formId>', 'form id, e.g. SAL_RETURNSTOCK')
    .requiredOption('--number <billNo>', 'FBillNo (or FNumber for base data)')
    .action(async (opts: { form: string; number: string }) => {
      const bill = await withClient((client) => client.view(opts.form, { number: opts.number }));
      console.log(JSON.stringify(bill, null, 2));
    });
}
