// Structured logs: one JSON object per line (ts, level, msg, then fields), so a log shipper can index
// asId / workflowId without parsing prose. Secret-bearing keys are dropped before anything is written.
import type { Logger as TemporalLogger, LogLevel as TemporalLogLevel, LogMetadata } from '@temporalio/common';

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

const LEVEL_RANK: Record<LogLevel, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50 };

export interface JsonLogger {
  log(level: LogLevel, msg: string, fields?: LogFields): void;
  trace(msg: string, fields?: LogFields): void;
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger that adds these fields to every line (e.g. `{ asId, workflowId }` for one refund). */
  child(fields: LogFields): JsonLogger;
}

export interface JsonLoggerOptions {
  /** Lines below this level are not written. Default `info`. */
  level?: LogLevel;
  /** Where a finished line goes (without the newline). Default: process.stdout. */
  write?: (line: string) => void;
  now?: () => Date;
  /** Fields on every line, e.g. `{ service: 'erp-bridge-worker' }`. */
  base?: LogFields;
}

export function parseLogLevel(text: string | undefined, fallback: LogLevel = 'info'): LogLevel {
  if (text === undefined || text === '') return fallback;
  const level = text.toLowerCase();
  if (level in LEVEL_RANK) return level as LogLevel;
  throw new Error(`log level must be one of ${Object.keys(LEVEL_RANK).join(', ')} (got ${JSON.stringify(text)})`);
}

export function createJsonLogger(options: JsonLoggerOptions = {}): JsonLogger {
  const threshold = LEVEL_RANK[options.level ?? 'info'];
  const write = options.write ?? ((line: string) => void process.stdout.write(`${line}\n`));
  const now = options.now ?? (() => new Date());

  const make = (bound: LogFields): JsonLogger => {
    const log = (level: LogLevel, msg: string, fields?: LogFields): void => {
      if (LEVEL_RANK[level] < threshold) return;
      write(formatLine(now(), level, msg, { ...bound, ...fields }));
    };
    return {
      log,
      trace: (msg, fields) => log('trace', msg, fields),
      debug: (msg, fields) => log('debug', msg, fields),
      info: (msg, fields) => log('info', msg, fields),
      warn: (msg, fields) => log('warn', msg, fields),
      error: (msg, fields) => log('error', msg, fields),
      child: (fields) => make({ ...bound, ...fields }),
    };
  };
  return make(options.base ?? {});
}

/** A logger that writes nothing: the default where a module takes an optional logger. */
export const silentLogger: JsonLogger = {
  log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {},
  child: () => silentLogger,
};

/** The one JSON line: ts, level and msg first (they cannot be overwritten by fields), then redacted fields. */
export function formatLine(ts: Date, level: LogLevel, msg: string, fields: LogFields): string {
  const { ts: _ts, level: _level, msg: _msg, ...rest } = redact(fields) as LogFields;
  return safeStringify({ ts: ts.toISOString(), level, msg: redactText(msg), ...rest });
}

// ---- redaction -------------------------------------------------------------------------------------

/** Normalised (lower case, no `_`/`-`) key fragments that mark a value as a credential. */
const SECRET_KEY_FRAGMENTS = ['password', 'passwd', 'secret', 'token', 'apikey', 'authorization', 'cookie', 'privatekey'];
/** Keys that are secrets only as a whole word (`sign` must not catch `signal` or `assignee`). */
const SECRET_KEYS_EXACT = new Set(['sign', 'signature', 'pwd', 'accesskey', 'sessionid', 'kdservicesessionid']);

export function isSecretKey(key: string): boolean {
  const k = key.toLowerCase().replace(/[_\-\s.]/g, '');
  return SECRET_KEYS_EXACT.has(k) || SECRET_KEY_FRAGMENTS.some((f) => k.includes(f));
}

// Query parameters that carry credentials in webhook and API URLs (DingTalk access_token, WeCom key, our sign).
const SECRET_QUERY = /([?&](?:access_token|accesstoken|token|key|sign|secret|app_secret|appsecret|password|refresh_token)=)[^&\s"'#]+/gi;

/** Masks credential query parameters inside free text (error messages, URLs). */
export function redactText(text: string): string {
  return text.replace(SECRET_QUERY, '$1[redacted]');
}

const MAX_DEPTH = 8;

/**
 * A copy of `value` without secret-bearing keys (at any depth), with Errors made plain, bigints as strings,
 * symbol keys dropped and credential query parameters masked in strings. Cycles become "[circular]".
 */
export function redact(value: unknown): unknown {
  return redactValue(value, 0, new WeakSet());
}

function redactValue(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return redactText(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'function' || typeof value === 'symbol') return undefined;
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? String(value) : value.toISOString();
  if (seen.has(value)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[too deep]';
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1, seen));
    if (value instanceof Error) return redactError(value, depth, seen);
    const out: LogFields = {};
    for (const [k, v] of Object.entries(value)) {
      if (isSecretKey(k)) continue;
      const r = redactValue(v, depth + 1, seen);
      if (r !== undefined) out[k] = r;
    }
    return out;
  } finally {
    seen.delete(value);
  }
}

function redactError(err: Error, depth: number, seen: WeakSet<object>): LogFields {
  const out: LogFields = { name: err.name, message: redactText(err.message) };
  if (err.stack) out.stack = redactText(err.stack);
  for (const [k, v] of Object.entries(err)) {
    if (isSecretKey(k) || k in out) continue;
    const r = redactValue(v, depth + 1, seen);
    if (r !== undefined) out[k] = r;
  }
  if (err.cause !== undefined) out.cause = redactValue(err.cause, depth + 1, seen);
  return out;
}

function safeStringify(obj: LogFields): string {
  try {
    return JSON.stringify(obj);
  } catch (err) {
    return JSON.stringify({ ts: obj.ts, level: obj.level, msg: obj.msg, logError: err instanceof Error ? err.message : String(err) });
  }
}

// ---- Temporal adapter ------------------------------------------------------------------------------

const FROM_TEMPORAL: Record<TemporalLogLevel, LogLevel> = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' };
const REFUND_WORKFLOW_ID = /^jst-refund-(.+)$/;

/**
 * Temporal's `Logger` on top of a JsonLogger, for `Runtime.install({ logger })`: SDK, workflow (`log` from
 * @temporalio/workflow) and activity (`log` from @temporalio/activity) lines all come out as JSON. Their meta
 * already carries workflowId, runId, activityType, taskQueue…; a refund workflow's line also gets its `asId`.
 */
export function temporalLogger(logger: JsonLogger): TemporalLogger {
  const log = (level: TemporalLogLevel, message: string, meta?: LogMetadata): void => {
    const fields: LogFields = {};
    if (meta) for (const [k, v] of Object.entries(meta)) fields[k] = v; // Object.entries skips symbol keys
    const workflowId = typeof fields.workflowId === 'string' ? fields.workflowId : undefined;
    const asId = workflowId ? REFUND_WORKFLOW_ID.exec(workflowId)?.[1] : undefined;
    if (asId !== undefined && fields.asId === undefined) fields.asId = asId;
    logger.log(FROM_TEMPORAL[level] ?? 'info', message, fields);
  };
  return {
    log,
    trace: (message, meta) => log('TRACE', message, meta),
    debug: (message, meta) => log('DEBUG', message, meta),
    info: (message, meta) => log('INFO', message, meta),
    warn: (message, meta) => log('WARN', message, meta),
    error: (message, meta) => log('ERROR', message, meta),
  };
}
