// What a protocol core (MPass, MSign) is built from; src/sandbox.ts provides it.
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { EventLog } from './events.js';
import type { Logger } from './log.js';
import type { Persona } from './personas.js';
import type { Pki } from './pki/index.js';
import type { Registry } from './registry/index.js';

export interface ProtocolDeps {
  config: Config;
  clock: Clock;
  pki: Pki;
  registry: Registry;
  personas: Persona[];
  events: EventLog;
  log: Logger;
}
