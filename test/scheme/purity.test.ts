// The scheme engine must stay importable from workflow code: no Node built-ins, no clock, no randomness,
// no process access anywhere it reaches (following relative imports), except the file loader.
import assert from 'node:assert/strict';
import { builtinModules } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

const ENTRY = path.join(__dirname, '..', '..', 'src', 'scheme', 'index.ts');
const ALLOWED_PACKAGES = new Set(['decimal.js', 'yaml', 'zod']);
const FORBIDDEN = [/\bDate\.now\b/, /\bnew Date\(\)/, /\bMath\.random\b/, /\bprocess\./, /\bsetTimeout\b/, /\bfetch\(/, /\brequire\(/];

function resolve(from: string, spec: string): string {
  const base = path.resolve(path.dirname(from), spec);
  for (const candidate of [`${base}.ts`, path.join(base, 'index.ts')]) if (existsSync(candidate)) return candidate;
  throw new Error(`cannot resolve ${spec} from ${from}`);
}

test('src/scheme/index.ts reaches only pure modules', () => {
  const seen = new Set<string>();
  const problems: string[] = [];
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    const code = text.replace(/\/\/.*$/gm, '').replace(/\/\*[\s\S]*?\*\//g, '');
    for (const re of FORBIDDEN) if (re.test(code)) problems.push(`${path.relative(process.cwd(), file)} uses ${re.source}`);
    for (const m of text.matchAll(/^(?:import|export)\s[^'"]*?from\s+'([^']+)'/gm)) {
      const spec = m[1]!;
      if (spec.startsWith('.')) visit(resolve(file, spec));
      else if (builtinModules.includes(spec.replace(/^node:/, ''))) problems.push(`${path.relative(process.cwd(), file)} imports ${spec}`);
      else if (!ALLOWED_PACKAGES.has(spec)) problems.push(`${path.relative(process.cwd(), file)} imports package ${spec}`);
    }
  };
  visit(ENTRY);
  assert.ok(seen.size > 15, `followed ${seen.size} modules`);
  assert.ok(![...seen].some((f) => f.endsWith('load-file.ts')), 'the file loader is not reachable from the pure API');
  assert.deepEqual(problems, []);
});
