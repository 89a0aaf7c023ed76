// `npm run build` once for the test files that need dist/ (the packed tarball, the Compose topology's processes),
// even when vitest runs them at the same time: a lock directory makes the second wait for the first.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../helpers.js';

const LOCK = path.join(ROOT, 'dist', '.build-lock');

export async function ensureBuilt(): Promise<void> {
  fs.mkdirSync(path.dirname(LOCK), { recursive: true });
  for (;;) {
    try {
      fs.mkdirSync(LOCK);
      break;
    } catch {
      // Another test file is building: wait for it, then build again (cheap: tsc rewrites what changed).
      await new Promise((r) => setTimeout(r, 500));
      const age = (() => {
        try {
          return Date.now() - fs.statSync(LOCK).mtimeMs;
        } catch {
          return 0;
        }
      })();
      if (age > 300_000) fs.rmSync(LOCK, { recursive: true, force: true }); // a crashed run's lock
    }
  }
  try {
    await new Promise<void>((resolve, reject) =>
      execFile(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: ROOT }, (err, stdout) => (err ? reject(new Error(`build failed:\n${stdout}`)) : resolve())),
    );
  } finally {
    fs.rmSync(LOCK, { recursive: true, force: true });
  }
}
