// Top self-time functions of a V8 .cpuprofile (from `node --cpu-prof`):
//   node dist/bench/profile-top.js <file.cpuprofile> [N]
// Self time per node = its share of samples; nodes are merged by function name + script + line.
import fs from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, n = '30'] = process.argv.slice(2);
if (!file) throw new Error('usage: profile-top <file.cpuprofile> [N]');
const prof = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
const byId = new Map(prof.nodes.map((x) => [x.id, x]));
const self = new Map<number, number>();
prof.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0)));
const total = [...self.values()].reduce((a, b) => a + b, 0);

const short = (url: string) => {
  const u = url.replace(/^file:\/\//, '');
  const i = u.indexOf('node_modules/');
  return i >= 0 ? u.slice(i + 'node_modules/'.length) : u.startsWith('/') ? path.relative(process.cwd(), u) : u;
};
const merged = new Map<string, number>();
const byPackage = new Map<string, number>();
for (const [id, us] of self) {
  const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
  const key = `${functionName || '(anonymous)'}  ${short(url)}${url ? `:${lineNumber + 1}` : ''}`;
  merged.set(key, (merged.get(key) ?? 0) + us);
  const s = short(url);
  const pkg = !url ? functionName : s.startsWith('dist/') || s.startsWith('src/') ? 'sandbox (dist/src)' : url.startsWith('node:') ? 'node core' : s.split('/')[0]!.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]!;
  byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
}
const show = (m: Map<string, number>, k: number) =>
  [...m.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, k)
    .forEach(([name, us]) => console.log(`${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${name}`));
console.log(`total sampled ${(total / 1e6).toFixed(1)} s\n\ntop self time by function:`);
show(merged, Number(n));
console.log('\nself time by package:');
show(byPackage, 15);

// Who calls the heaviest functions: the three parent frames that account for most of each one's self time.
const parent = new Map<number, number>();
for (const x of prof.nodes) for (const c of x.children ?? []) parent.set(c, x.id);
const frame = (id: number | undefined) => {
  if (id === undefined) return '(root)';
  const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
  return `${functionName || '(anonymous)'} ${short(url)}${url ? `:${lineNumber + 1}` : ''}`;
};
const callers = new Map<string, Map<string, number>>();
for (const [id, us] of self) {
  const key = frame(id);
  // Up to three frames: the caller, its caller, and the first frame of the sandbox itself.
  const chain: string[] = [];
  let p = parent.get(id);
  for (let i = 0; i < 3 && p !== undefined; i++, p = parent.get(p)) chain.push(frame(p));
  for (; p !== undefined; p = parent.get(p)) if (short(byId.get(p)!.callFrame.url).startsWith('dist/src')) { chain.push(`… ${frame(p)}`); break; }
  const m = callers.get(key) ?? new Map<string, number>();
  const c = chain.join('  ←  ');
  m.set(c, (m.get(c) ?? 0) + us);
  callers.set(key, m);
}
console.log('\ncallers of the heaviest functions:');
for (const [name] of [...merged.entries()].sort((a, b) => b[1] - a[1]).slice(0, 12)) {
  const key = name.replace('  ', ' ');
  const m = callers.get(key);
  if (!m) continue;
  console.log(`  ${key}`);
  for (const [c, us] of [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, 3)) console.log(`    ${((100 * us) / total).toFixed(1).padStart(5)}%  ← ${c}`);
}
