// The only part of the scheme engine that touches the disk: reading scheme files and finding a scheme
// by id in the project's `schemes/` folder.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseScheme } from './parse-scheme';
import type { Scheme } from './types';

/** The project's `schemes/` folder. */
export const SCHEMES_DIR = path.resolve(__dirname, '..', '..', 'schemes');
export const DEFAULT_SCHEME_ID = 'jst-refund-to-sales-return';

const SCHEME_FILE = /\.(ya?ml|json)$/i;

export function loadSchemeFile(file: string): Scheme {
  return parseScheme(readFileSync(file, 'utf8'), file);
}

/** The ids of the schemes in a folder, with their files (files that fail to load are skipped). */
export function listSchemes(dir: string = SCHEMES_DIR): Array<{ id: string; file: string }> {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => SCHEME_FILE.test(f))
    .sort()
    .flatMap((f) => {
      const file = path.join(dir, f);
      try {
        return [{ id: loadSchemeFile(file).id, file }];
      } catch {
        return [];
      }
    });
}

/**
 * A scheme by file path, or by id in `dir`: first `<id>.yaml|.yml|.json`, then any file whose `id` matches.
 * Throws a clear error naming the ids that exist when none matches.
 */
export function findScheme(idOrFile: string, dir: string = SCHEMES_DIR): Scheme {
  if (SCHEME_FILE.test(idOrFile) || idOrFile.includes('/') || idOrFile.includes(path.sep)) {
    if (!existsSync(idOrFile) || !statSync(idOrFile).isFile()) throw new Error(`scheme file not found: ${idOrFile}`);
    return loadSchemeFile(idOrFile);
  }
  for (const ext of ['.yaml', '.yml', '.json']) {
    const file = path.join(dir, `${idOrFile}${ext}`);
    if (existsSync(file)) {
      const scheme = loadSchemeFile(file);
      if (scheme.id !== idOrFile) throw new Error(`${file} declares id ${scheme.id}, not ${idOrFile}`);
      checkWorkflowIdPrefixes(dir);
      return scheme;
    }
  }
  const all = listSchemes(dir);
  const match = all.find((s) => s.id === idOrFile);
  if (match) {
    checkWorkflowIdPrefixes(dir);
    return loadSchemeFile(match.file);
  }
  throw new Error(`no scheme with id ${idOrFile} in ${dir} (known: ${all.map((s) => s.id).join(', ') || 'none'})`);
}

/**
 * Two schemes whose workflow id prefixes are equal (or one starts the other) would share workflows for
 * the same record: refused at load, naming both files.
 */
export function checkWorkflowIdPrefixes(dir: string = SCHEMES_DIR): void {
  const schemes = listSchemes(dir).map((s) => ({ ...s, prefix: loadSchemeFile(s.file).workflowIdPrefix }));
  for (const a of schemes) {
    for (const b of schemes) {
      if (a.file < b.file && (a.prefix.startsWith(b.prefix) || b.prefix.startsWith(a.prefix))) {
        throw new Error(
          `schemes ${a.id} (${a.file}) and ${b.id} (${b.file}) have overlapping workflow id prefixes ` +
            `${JSON.stringify(a.prefix)} and ${JSON.stringify(b.prefix)}: give each a distinct workflowIdPrefix`,
        );
      }
    }
  }
}

const prefixes = new Map<string, string>();
/** The workflow id prefix of a scheme in the project's schemes/ folder (read once per process). */
export function schemeWorkflowIdPrefix(schemeId: string): string {
  let prefix = prefixes.get(schemeId);
  if (prefix === undefined) {
    prefix = findScheme(schemeId).workflowIdPrefix;
    prefixes.set(schemeId, prefix);
  }
  return prefix;
}
