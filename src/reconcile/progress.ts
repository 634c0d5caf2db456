// A one-line progress bar for `reconcile` on a terminal (stderr), silent when output is piped or captured.

export interface Progress {
  /** Work of known size: a bar. */
  step(label: string, done: number, total: number): void;
  /** Work of unknown size: a running count. */
  count(label: string, done: number): void;
  done(): void;
}

const WIDTH = 30;

export function terminalProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return { step() {}, count() {}, done() {} };
  let shown = false;
  const show = (text: string) => {
    stream.write(`\r\x1b[2K${text}`);
    shown = true;
  };
  return {
    step(label, done, total) {
      const filled = total === 0 ? WIDTH : Math.round((done / total) * WIDTH);
      show(`${label.padEnd(22)} [${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${done}/${total}`);
    },
    count(label, done) {
      show(`${label.padEnd(22)} ${done}`);
    },
    done() {
      if (shown) stream.write('\r\x1b[2K');
      shown = false;
    },
  };
}

export const silentProgress: Progress = { step() {}, count() {}, done() {} };
