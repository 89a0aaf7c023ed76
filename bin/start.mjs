#!/usr/bin/env node
// `npm start`: run the compiled sandbox. The TypeScript is compiled once (npm's `prepare`, at `npm ci`),
// and again here only when a source file is newer than the last build — never on every start, because
// every CI job pays the start-up (issue: start in under a second).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const entry = path.join(root, 'dist', 'src', 'main.js');

/** Newest modification time (ms) under a folder, files ending in `ext` only. */
function newest(dir, ext) {
  let max = 0;
  let entries;
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) max = Math.max(max, newest(p, ext));
    else if (e.name.endsWith(ext)) max = Math.max(max, fs.statSync(p).mtimeMs);
  }
  return max;
}

const builtAt = fs.existsSync(entry) ? fs.statSync(entry).mtimeMs : 0;
// The Docker image ships dist/ without src/: nothing to compare, nothing to build.
const sourcesAt = Math.max(newest(path.join(root, 'src'), '.ts'), fs.existsSync(path.join(root, 'tsconfig.json')) ? fs.statSync(path.join(root, 'tsconfig.json')).mtimeMs : 0);
if (builtAt === 0 || sourcesAt > builtAt) {
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  if (!fs.existsSync(tsc)) {
    if (builtAt === 0) {
      process.stderr.write('The sandbox is not built (dist/ is missing) and TypeScript is not installed. Run `npm ci` (it builds), or `npm run build`.\n');
      process.exit(1);
    }
  } else {
    process.stderr.write(builtAt === 0 ? 'Building the sandbox (first start)…\n' : 'Sources changed since the last build: rebuilding…\n');
    const r = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.json')], { stdio: 'inherit', cwd: root });
    if (r.status !== 0) process.exit(r.status ?? 1);
    // tsc leaves unchanged outputs alone; mark the build time so the next start does not compile again.
    const now = new Date();
    fs.utimesSync(entry, now, now);
  }
}
await import(pathToFileURL(entry).href);
