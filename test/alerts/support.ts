// Test doubles for the alerter: a clock that moves only when told, and a local robot webhook receiver.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AlertClock } from '../../src/alerts';

export class FakeClock implements AlertClock {
  private timers: Array<{ id: number; at: number; fn: () => void }> = [];
  private nextId = 1;
  constructor(private t: number) {}

  now(): number {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.push({ id, at: this.t + ms, fn });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }
  get pending(): number {
    return this.timers.length;
  }
  /** Moves time forward, firing due timers in order at their own time. */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.t = Math.max(this.t, due.at);
      due.fn();
    }
    this.t = end;
  }
}

export interface ReceivedRequest {
  method: string;
  path: string;
  /** The raw query string, as sent (still URL-encoded). */
  rawQuery: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: unknown;
}

export type Responder = (req: ReceivedRequest) => { status: number; body: unknown };

/** The platforms' success replies, by path prefix. */
export const robotOk: Responder = (req) => {
  if (req.path.startsWith('/dingtalk') || req.path.startsWith('/wecom')) return { status: 200, body: { errcode: 0, errmsg: 'ok' } };
  if (req.path.startsWith('/feishu')) return { status: 200, body: { code: 0, msg: 'success', data: {} } };
  return { status: 200, body: { ok: true } };
};

export class WebhookReceiver {
  readonly requests: ReceivedRequest[] = [];
  respond: Responder = robotOk;
  baseUrl = '';
  private readonly server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const [path = '', rawQuery = ''] = (req.url ?? '').split('?', 2);
      let body: unknown = raw;
      try {
        body = JSON.parse(raw);
      } catch {
        /* keep the raw text: the assertion on its shape will fail */
      }
      const received: ReceivedRequest = { method: req.method ?? '', path, rawQuery, query: new URLSearchParams(rawQuery), headers: req.headers, body };
      this.requests.push(received);
      const reply = this.respond(received);
      res.writeHead(reply.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(reply.body));
    });
  });

  static async start(): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver();
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
    const { port } = receiver.server.address() as AddressInfo;
    receiver.baseUrl = `http://127.0.0.1:${port}`;
    return receiver;
  }

  on(pathPrefix: string): ReceivedRequest[] {
    return this.requests.filter((r) => r.path.startsWith(pathPrefix));
  }

  close(): Promise<void> {
    // undici keeps connections alive; drop them so close() does not wait for their idle timeout.
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    return closed;
  }
}

/** Captures JSON log lines. */
export function captureLines(): { lines: string[]; write: (line: string) => void; parsed: () => Array<Record<string, unknown>> } {
  const lines: string[] = [];
  return { lines, write: (line) => lines.push(line), parsed: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}
