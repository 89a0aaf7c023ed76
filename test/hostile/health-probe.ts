// "One request must never hurt every other user" (issue 9): while an attack runs, a real HTTP listener of the
// same process is asked for /health every 25 ms; the slowest answer is the verdict. The probe shares the event
// loop with the sandbox, so a blocked loop shows up as a slow (or missing) answer.
import http from 'node:http';
import { httpLimits, listenHttp, portOf } from '../../src/net/limits.js';
import type { Sandbox } from '../helpers.js';

/**
 * The budget for the slowest /health answer during an attack: 200 ms (issue 9). HOSTILE_HEALTH_MS widens it on a
 * machine so overloaded that an idle sandbox misses it too (the lead's full run uses the default).
 */
export const HEALTH_MS = Number(process.env.HOSTILE_HEALTH_MS ?? 200);

export interface HealthProbe {
  /** Stop probing; the slowest /health round trip seen (ms) and how many answers were not 200. */
  stop(): Promise<{ maxMs: number; answers: number; failures: number }>;
}

export async function probeHealth(sb: Sandbox): Promise<HealthProbe> {
  const server = await listenHttp(sb.app, httpLimits(sb.config), 0, '127.0.0.1');
  const agent = new http.Agent({ keepAlive: false });
  let stopped = false;
  let maxMs = 0;
  let answers = 0;
  let failures = 0;
  const once = () =>
    new Promise<void>((resolve) => {
      const t0 = performance.now();
      const req = http.get({ host: '127.0.0.1', port: portOf(server), path: '/health', agent, timeout: 5000 }, (res) => {
        res.resume();
        res.on('end', () => {
          maxMs = Math.max(maxMs, performance.now() - t0);
          answers++;
          if (res.statusCode !== 200) failures++;
          resolve();
        });
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', () => {
        maxMs = Math.max(maxMs, performance.now() - t0);
        failures++;
        resolve();
      });
    });
  await once(); // warm-up: the first request pays for lazy set-up, not for the attack
  maxMs = 0;
  answers = 0;
  failures = 0;
  const loop = (async () => {
    while (!stopped) {
      await once();
      await new Promise((r) => setTimeout(r, 25));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      agent.destroy();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      return { maxMs, answers, failures };
    },
  };
}
