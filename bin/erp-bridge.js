#!/usr/bin/env node
// The erp-bridge command. Production runs the built JavaScript (`npm run build` → dist/, no dev tools needed);
// a development checkout, where tsx is installed, runs the TypeScript sources directly so they are never stale.
// ERP_BRIDGE_RUN=dist or ERP_BRIDGE_RUN=src forces one of the two.
const path = require('node:path');
const fs = require('node:fs');

const root = path.join(__dirname, '..');
const built = path.join(root, 'dist', 'cli', 'main.js');
const source = path.join(root, 'src', 'cli', 'main.ts');

function hasTsx() {
  try {
    require.resolve('tsx/cjs', { paths: [root] });
    return true;
  } catch {
    return false;
  }
}

const wanted = process.env.ERP_BRIDGE_RUN;
const useSource = wanted === 'src' || (wanted !== 'dist' && fs.existsSync(source) && hasTsx());
if (useSource) {
  require('tsx/cjs');
  require(source);
} else if (fs.existsSync(built)) {
  require(built);
} else {
  console.error('erp-bridge: no built JavaScript in dist/ and no tsx to run the sources. Run `npm run build` (or `npm ci` for development).');
  process.exit(1);
}
