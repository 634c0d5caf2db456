// Run in a child process with a small heap (see oversized-reply.test.ts): one client call against a simulator
// that answers with a huge streamed body. Prints the outcome and the process's peak memory as one JSON line.
import { JushuitanClient } from '../../../src/connectors/jushuitan';
import { KingdeeClient } from '../../../src/connectors/kingdee';

const [system, configJson] = process.argv.slice(2);
const config = JSON.parse(configJson ?? '{}');

async function call(): Promise<void> {
  if (system === 'jushuitan') {
    const client = new JushuitanClient(config);
    await client.queryRefundPage({ modifiedBegin: '2026-01-01 00:00:00', modifiedEnd: '2026-01-02 00:00:00', pageIndex: 1 });
    return;
  }
  const client = new KingdeeClient(config);
  try {
    await client.executeBillQuery({ FormId: 'BD_STOCK', FieldKeys: 'FNumber' });
  } finally {
    await client.close();
  }
}

call().then(
  () => console.log(JSON.stringify({ ok: true, maxRssMb: process.resourceUsage().maxRSS / 1024 })),
  (err: unknown) => {
    const e = err as Error & { retryable?: boolean };
    console.log(JSON.stringify({ ok: false, name: e.name, message: e.message, retryable: e.retryable, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
  },
);
