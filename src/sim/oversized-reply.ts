// A hostile peer's reply for tests of the client's byte cap: a JSON body of `bytes` bytes, streamed in chunks
// without a Content-Length (so only counting protects the reader) and generated on the fly (so the
// simulator itself stays small). Stops when the reader hangs up.
import type { ServerResponse } from 'node:http';

const CHUNK = Buffer.alloc(64 * 1024, 'x');

export async function streamOversizedReply(res: ServerResponse, bytes: number): Promise<void> {
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
  const head = '{"padding":"';
  const tail = '"}';
  res.write(head);
  let left = Math.max(0, bytes - head.length - tail.length);
  let closed = false;
  res.once('close', () => {
    closed = true;
  });
  while (left > 0 && !closed) {
    const chunk = left >= CHUNK.length ? CHUNK : CHUNK.subarray(0, left);
    left -= chunk.length;
    if (!res.write(chunk)) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          res.off('drain', done);
          res.off('close', done);
          resolve();
        };
        res.once('drain', done);
        res.once('close', done);
      });
    }
  }
  if (!closed) res.end(tail);
}
