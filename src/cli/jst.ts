// `erp-bridge jst refunds`: lists after-sales records through the real client (config from JST_*), for
// checking credentials and data by hand. --json prints one record per line; the count goes to stderr.
import type { Command } from 'commander';
import { iterateRefunds, JushuitanClient, jushuitanConfigFromEnv, readOnlyTokenKeeper, type JstRefund } from '../connectors/jushuitan';
import { codecConfigFromEnv } from '../config/codec-config';
import { openStateStore, storeConfigFromEnv } from '../store';
import { storedTokenKeeper } from '../store/tokens';
import { parseTimeFlag, TIME_FLAG_HELP } from './time-flag';

interface RefundsOptions {
  from: string;
  to: string;
  status?: string;
  json?: boolean;
}


const COLUMNS: Array<[string, number, (r: JstRefund) => unknown]> = [
  ['as_id', 10, (r) => r.as_id],
  ['modified', 19, (r) => r.modified],
  ['status', 11, (r) => r.status],
  ['good_status', 20, (r) => r.good_status],
  ['type', 6, (r) => r.type],
  ['shop', 14, (r) => r.shop_name],
  ['refund', 9, (r) => r.refund],
  ['items', 5, (r) => r.items.length],
  ['batchs', 6, (r) => r.batchs.length],
];

/** Terminal columns of a character: CJK and full-width forms take two. */
function columnsOf(char: string): number {
  return /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(char) ? 2 : 1;
}

function cell(value: unknown, width: number): string {
  let text = '';
  let used = 0;
  for (const char of value === undefined || value === null ? '' : String(value)) {
    if (used + columnsOf(char) > width) {
      text = text.slice(0, -1) + '…';
      break;
    }
    text += char;
    used += columnsOf(char);
  }
  return text + ' '.repeat(Math.max(0, width - used));
}

function tableRow(values: unknown[]): string {
  return values.map((v, i) => cell(v, COLUMNS[i]![1])).join('  ').trimEnd();
}

export function registerJstCommand(program: Command): void {
  const jst = program.command('jst').description('Jushuitan tools (config from JST_BASE_URL, JST_APP_KEY, JST_APP_SECRET, JST_ACCESS_TOKEN, JST_REFRESH_TOKEN)');
  jst
    .command('refunds')
    .description('List after-sales records modified in [--from, --to] (Beijing time, inclusive)')
    .requiredOption('--from <time>', TIME_FLAG_HELP)
    .requiredOption('--to <time>', TIME_FLAG_HELP)
    .option('--status <status>', 'WaitConfirm, Confirmed, Cancelled or Merged')
    .option('--json', 'one JSON record per line')
    .action(async (opts: RefundsOptions) => {
      const from = parseTimeFlag('--from', opts.from);
      const to = parseTimeFlag('--to', opts.to);
      if (to < from) throw new Error('--to is before --from');
      // `| head` closes stdout early: stop quietly instead of crashing on EPIPE.
      process.stdout.on('error', (err: NodeJS.ErrnoException) => {
        if (err.code === 'EPIPE') process.exit(0);
        throw err;
      });
      const config = jushuitanConfigFromEnv(process.env);
      const configured = { accessToken: config.accessToken, refreshToken: config.refreshToken ?? '' };
      // The workers' pair when they share a PostgreSQL store; never a refresh from here either way.
      const store = storeConfigFromEnv();
      const db = store.databaseUrl ? await openStateStore(store) : undefined;
      const tokens = readOnlyTokenKeeper(
        db ? storedTokenKeeper({ store: db, appKey: config.appKey, configured, keyring: codecConfigFromEnv().keyring, readOnly: true }) : configured,
      );
      const client = new JushuitanClient(config, { tokens });
      let count = 0;
      if (!opts.json) console.log(tableRow(COLUMNS.map(([name]) => name)));
      try {
        for await (const record of iterateRefunds(client, { from, to, status: opts.status })) {
          count++;
          console.log(opts.json ? JSON.stringify(record) : tableRow(COLUMNS.map(([, , get]) => get(record))));
        }
      } finally {
        await db?.close();
      }
      console.error(`${count} refund(s) modified ${opts.from} .. ${opts.to}${opts.status ? ` with status ${opts.status}` : ''}`);
    });
}
