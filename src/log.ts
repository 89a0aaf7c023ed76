import type { Config } from './config.js';

const levels = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;
export type Level = keyof typeof levels;

export interface Logger {
  debug(msg: string, data?: object): void;
  info(msg: string, data?: object): void;
  warn(msg: string, data?: object): void;
  error(msg: string, data?: object): void;
}

/** One JSON line per entry on stdout: greppable by people, parseable by CI. */
export function createLogger(level: Config['logLevel']): Logger {
  const min = levels[level];
  const write = (lvl: Exclude<Level, 'silent'>, msg: string, data?: object) => {
    if (levels[lvl] < min) return;
    process.stdout.write(JSON.stringify({ t: new Date().toISOString(), level: lvl, msg, ...data }) + '\n');
  };
  return {
    debug: (m, d) => write('debug', m, d),
    info: (m, d) => write('info', m, d),
    warn: (m, d) => write('warn', m, d),
    error: (m, d) => write('error', m, d),
  };
}
