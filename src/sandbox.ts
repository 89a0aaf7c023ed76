// Wires the protocol core together: configuration → store → PKI → registry → MPass, single logout, MSign.
// The HTTP app is built on top of it (src/http/app.ts), and main.ts listens.
import path from 'node:path';
import { Clock } from './clock.js';
import { ConformanceRunner } from './conformance/runner.js';
import type { Config } from './config.js';
import { EventLog } from './events.js';
import { createLogger, type Logger } from './log.js';
import { FAULT_IDS } from './mpass/faults.js';
import { MPassIdp } from './mpass/idp.js';
import { SingleLogout } from './mpass/logout.js';
import { MSign } from './msign/index.js';
import { loadPersonas, type Persona } from './personas.js';
import { Pki } from './pki/index.js';
import { Registry } from './registry/index.js';
import { openStore, type Store } from './store/index.js';

export interface Sandbox {
  config: Config;
  clock: Clock;
  log: Logger;
  store: Store;
  pki: Pki;
  registry: Registry;
  personas: Persona[];
  events: EventLog;
  mpass: MPassIdp;
  slo: SingleLogout;
  msign: MSign;
  /** Conformance runs against integrators' services (issue 10). */
  conformance: ConformanceRunner;
}

export async function createSandbox(config: Config, opts: { log?: Logger } = {}): Promise<Sandbox> {
  const log = opts.log ?? createLogger(config.logLevel);
  const clock = new Clock();
  const store = await openStore(config.dataDir);
  const pki = Pki.load(config.certsDir, new URL(config.mpassEntityId).hostname || 'mpass-sandbox');
  if (pki.generated.length) log.info('generated keys', { certsDir: config.certsDir, keys: pki.generated });
  const registry = new Registry(store, FAULT_IDS, () => clock.now());
  const loaded = await registry.loadFixtures(path.join(config.fixturesDir, 'services'), log);
  // sandbox.json is brought up to date once per start: the journal of the last run and the fixtures folded in.
  await store.compact();
  const personas = loadPersonas(config.fixturesDir);
  const events = new EventLog(() => clock.now(), config.eventLogMaxEntries, config.eventLogMaxBytes);
  const mpass = new MPassIdp({ config, clock, pki, registry, personas, events, log });
  const slo = new SingleLogout(mpass);
  const msign = new MSign({ config, clock, pki, registry, personas, events, log });
  const conformance = new ConformanceRunner({ config, clock, mpass, slo, personas, events });
  log.debug('sandbox ready', { fixtures: loaded, services: registry.list().length, personas: personas.length });
  return { config, clock, log, store, pki, registry, personas, events, mpass, slo, msign, conformance };
}
