// Issue 12 §3: `npm start` and the Docker image run node with the same V8 heap flags. What they buy is measured by
// `npm run bench` (its SSO child reads them from package.json; bench/RESULTS.md "Memory"), not here: this file
// only keeps the three places (package.json, Dockerfile, bench) from drifting apart.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers.js';

function npmStartFlags(): string[] {
  const start = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.start!;
  // The same pattern bench/run.ts parses: the launcher must stay `node [--flags] bin/start.mjs`.
  const m = /^node((?: --[\w-]+(?:=\S+)?)*) bin\/start\.mjs$/.exec(start);
  expect(m, `package.json "start" is ${start}`).not.toBeNull();
  return m![1]!.split(' ').filter(Boolean);
}

function dockerCmd(): string[] {
  const lines = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8').split('\n');
  const cmd = lines.filter((l) => l.startsWith('CMD ')).at(-1)!;
  return JSON.parse(cmd.slice(4)) as string[];
}

describe('V8 heap flags of npm start and the image (issue 12 §3)', () => {
  it('npm start bounds the young generation, and sets no old-space cap that a 50 MB SOAP message could hit', () => {
    const flags = npmStartFlags();
    expect(flags).toContain('--max-semi-space-size=1');
    expect(flags.some((f) => f.startsWith('--max-old-space-size'))).toBe(false);
  });

  it('the Docker image runs dist/src/main.js with the same flags as npm start', () => {
    expect(dockerCmd()).toEqual(['node', ...npmStartFlags(), 'dist/src/main.js']);
  });
});
