// Issue 13 §2: the topology of examples/compose/compose.yaml without a Docker engine. The three parts run as
// processes — the sandbox (`node dist/src/main.js`, the image's CMD), the sample service (service/server.mjs, its
// image's CMD) and the Playwright container's suite (tests/, `node --test`) — with the environment, ports and
// volumes declared in TOPOLOGY below; Compose's network aliases become a DNS preload for Node and
// --host-resolver-rules for Chromium. A second test reads compose.yaml and checks it declares exactly TOPOLOGY.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, tempDir } from '../helpers.js';
import { ensureBuilt } from './build.js';

const COMPOSE_DIR = path.join(ROOT, 'examples/compose');

/** What the test runs; compose.yaml must say the same (the last test). */
const TOPOLOGY = {
  sandbox: {
    alias: 'sandbox.test',
    env: { PORT: '9443', PUBLIC_URL: 'https://sandbox.test:9443', MSIGN_TLS_PORT: '9444', HTTP_REDIRECT_PORT: '9080', ADMIN_TOKEN: 'compose-sandbox-admin-token', CERTS_DIR: '/certs', DATA_DIR: '/data' },
    ports: ['9443:9443', '9444:9444', '9080:9080'],
    volumes: ['sandbox-certs:/certs', 'sandbox-data:/data'],
  },
  service: {
    alias: 'service.test',
    env: { PORT: '9445', PUBLIC_URL: 'https://service.test:9445', SANDBOX_URL: 'https://sandbox.test:9443', ADMIN_TOKEN: 'compose-sandbox-admin-token', NODE_EXTRA_CA_CERTS: '/sandbox-certs/ca.cer.pem' },
    ports: ['9445:9445'],
    volumes: ['sandbox-certs:/sandbox-certs:ro'],
  },
  tests: {
    alias: undefined,
    env: { SANDBOX_URL: 'https://sandbox.test:9443', SERVICE_URL: 'https://service.test:9445', NODE_EXTRA_CA_CERTS: '/sandbox-certs/ca.cer.pem' },
    ports: [] as string[],
    volumes: ['./tests:/tests', 'sandbox-certs:/sandbox-certs:ro'],
  },
} as const;
type Part = keyof typeof TOPOLOGY;

// Named volumes become temporary directories; a container path inside a mounted volume becomes the same path
// inside that directory.
const volumeDirs: Record<string, string> = { 'sandbox-certs': tempDir('compose-certs'), 'sandbox-data': tempDir('compose-data'), './tests': path.join(COMPOSE_DIR, 'tests') };
function hostEnv(part: Part): Record<string, string> {
  const mounts = TOPOLOGY[part].volumes.map((v) => v.split(':')).map(([vol, target]) => [target!, volumeDirs[vol!]!] as const);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(TOPOLOGY[part].env)) {
    const mount = mounts.find(([target]) => v === target || v.startsWith(`${target}/`));
    out[k] = mount ? mount[1] + v.slice(mount[0].length) : v;
  }
  return out;
}
const ALIASES: string[] = Object.values(TOPOLOGY).flatMap((p) => (p.alias ? [p.alias] : []));
const baseEnv = (): NodeJS.ProcessEnv => {
  // Only what a container would have: PATH and HOME, no LOG_LEVEL/PUBLIC_URL leaking from the test runner.
  return { PATH: process.env.PATH, HOME: process.env.HOME, COMPOSE_HOSTS: ALIASES.join(','), NODE_OPTIONS: `--import=${path.join(ROOT, 'test/deploy/compose-hosts.mjs')}` };
};

const children: ChildProcess[] = [];
const logs: Record<string, string[]> = { sandbox: [], service: [] };
afterAll(async () => {
  for (const c of children) if (c.pid && c.exitCode === null) c.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 300));
});

function start(part: 'sandbox' | 'service', args: string[]): ChildProcess {
  const c = spawn(process.execPath, args, { cwd: ROOT, env: { ...baseEnv(), ...hostEnv(part) }, stdio: ['ignore', 'pipe', 'pipe'] });
  c.stdout!.on('data', (d: Buffer) => logs[part]!.push(d.toString()));
  c.stderr!.on('data', (d: Buffer) => logs[part]!.push(d.toString()));
  children.push(c);
  return c;
}

function run(args: string[], env: NodeJS.ProcessEnv, timeout = 120_000): Promise<{ status: number; out: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd: ROOT, env, timeout, maxBuffer: 16 * 2 ** 20 }, (err, stdout, stderr) => resolve({ status: err ? Number((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr }));
  });
}

async function until(what: string, check: () => Promise<boolean>, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${what} not ready after ${ms} ms\n--- sandbox\n${logs.sandbox!.join('')}\n--- service\n${logs.service!.join('')}`);
}

const portFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = net.createServer().once('error', () => resolve(false)).listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });

describe('the Compose topology, as processes', () => {
  it('sandbox healthy over TLS → sample service registered → the Playwright suite: SSO over POST, the sandbox\'s and the service\'s single logout', { timeout: 300_000 }, async () => {
    for (const p of [9443, 9444, 9080, 9445]) expect(await portFree(p), `port ${p} is taken: the topology uses compose.yaml's fixed ports`).toBe(true);
    await ensureBuilt();
    const sandbox = start('sandbox', ['dist/src/main.js']);
    // depends_on: service_healthy — the image's own HEALTHCHECK command, with the sandbox's environment.
    await until('sandbox health check', async () => sandbox.exitCode === null && (await run(['dist/src/healthcheck.js'], { ...baseEnv(), ...hostEnv('sandbox') }, 5000)).status === 0);
    // the log says where to trust the CA and does not warn about plain http
    expect(logs.sandbox!.join('')).toContain('"tls":true');
    expect(logs.sandbox!.join('')).not.toContain('WARN_PLAIN_HTTP_PUBLIC_URL');
    // HTTP_REDIRECT_PORT only redirects to the https PUBLIC_URL
    const redirect = await fetch('http://127.0.0.1:9080/health', { redirect: 'manual' });
    expect(redirect.status).toBe(308);
    expect(redirect.headers.get('location')).toBe('https://sandbox.test:9443/health');

    const service = start('service', ['examples/compose/service/server.mjs']);
    // the service Dockerfile's HEALTHCHECK: fetch(PUBLIC_URL/health), trusting the sandbox CA through NODE_EXTRA_CA_CERTS
    const serviceHealth = ['-e', "fetch(process.env.PUBLIC_URL+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"];
    await until('service health check', async () => service.exitCode === null && (await run(serviceHealth, { ...baseEnv(), ...hostEnv('service') }, 5000)).status === 0);

    const suite = await run(['--test', '--test-reporter=spec', 'examples/compose/tests/'], {
      ...baseEnv(),
      ...hostEnv('tests'),
      CHROMIUM_PATH: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      HOST_RESOLVER_RULES: ALIASES.map((a) => `MAP ${a} 127.0.0.1`).join(', '),
    }, 180_000);
    expect(suite.out, `${suite.out}\n--- sandbox\n${logs.sandbox!.join('')}\n--- service\n${logs.service!.join('')}`).toMatch(/[#ℹ] pass 4\n[\s\S]*[#ℹ] fail 0\n/);
    expect(suite.status).toBe(0);
    // the sandbox kept its state in the volumes
    expect(fs.existsSync(path.join(volumeDirs['sandbox-certs']!, 'tls-server.cer.pem'))).toBe(true);
    expect(fs.existsSync(path.join(volumeDirs['sandbox-data']!, 'sandbox.json'))).toBe(true);
  });

  it('compose.yaml declares the environment, ports, volumes and host names the test ran with', () => {
    const compose = parse(fs.readFileSync(path.join(COMPOSE_DIR, 'compose.yaml'), 'utf8')) as {
      services: Record<string, { environment?: Record<string, string>; ports?: string[]; volumes?: string[]; networks?: Record<string, { aliases?: string[] }> | string[]; depends_on?: Record<string, { condition: string }>; build?: { context: string } }>;
      volumes: Record<string, unknown>;
      networks: Record<string, unknown>;
    };
    expect(Object.keys(compose.services).sort()).toEqual(Object.keys(TOPOLOGY).sort());
    for (const [name, part] of Object.entries(TOPOLOGY)) {
      const s = compose.services[name]!;
      expect(s.environment, `${name}.environment`).toEqual(part.env);
      expect(s.ports ?? [], `${name}.ports`).toEqual(part.ports);
      expect(s.volumes, `${name}.volumes`).toEqual(part.volumes);
      const aliases = Array.isArray(s.networks) ? [] : Object.values(s.networks ?? {}).flatMap((n) => n?.aliases ?? []);
      expect(aliases, `${name} network aliases`).toEqual(part.alias ? [part.alias] : []);
    }
    // one network, the named volumes, start order by health
    expect(Object.keys(compose.networks)).toHaveLength(1);
    expect(Object.keys(compose.volumes).sort()).toEqual(['sandbox-certs', 'sandbox-data']);
    expect(compose.services.service!.depends_on).toEqual({ sandbox: { condition: 'service_healthy' } });
    expect(compose.services.tests!.depends_on).toEqual({ service: { condition: 'service_healthy' } });
    // the sandbox is the project's own image (Dockerfile at the root, HEALTHCHECK = dist/src/healthcheck.js)
    expect(path.resolve(COMPOSE_DIR, compose.services.sandbox!.build!.context)).toBe(ROOT);
    expect(fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8')).toMatch(/HEALTHCHECK[\s\S]*CMD \["node", "dist\/src\/healthcheck\.js"\]/);
    expect(fs.readFileSync(path.join(COMPOSE_DIR, 'service/Dockerfile'), 'utf8')).toContain('CMD ["node", "server.mjs"]');
  });
});
