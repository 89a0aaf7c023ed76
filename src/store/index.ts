// Storage behind one small interface. Only durable things live here (registrations); sessions, pending
// requests and events are in memory with expiry.
//
// A 201 is a promise (issue 9), so every change follows one order: build the next state beside the current
// one → write it durably (a journal line with fsync; see StoreFile) → only then make it the state
// everyone reads. A failed write (full or read-only disk) leaves memory as it was and answers 507
// ERR_STORE_UNWRITABLE naming DATA_DIR. sandbox.json stays the same JSON document ({"services": [...]}), brought
// up to date at start-up and every JOURNAL_COMPACT_AFTER changes; each service's JSON text is kept, so that
// fold joins strings instead of re-serialising 10 000 services.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../config.js';
import { SandboxError } from '../errors.js';
import type { Service } from '../registry/service.js';

export interface Data {
  services: Service[];
}

export interface Store {
  services(): readonly Service[];
  get(id: string): Service | undefined;
  /** Add a new registration; refuses an id already present (a create never replaces). Resolves once durable. */
  insertService(service: Service): Promise<void>;
  /** Insert or replace by id (updates, fixtures); resolves once durable. */
  putService(service: Service): Promise<void>;
  removeService(id: string): Promise<boolean>;
  /** Replace the whole list (reset). */
  replaceServices(services: Service[]): Promise<void>;
  /** Fold the journal into a fresh snapshot (start-up, after the fixtures are loaded). */
  compact(): Promise<void>;
}

/**
 * Where the bytes go. A snapshot (sandbox.json, the same {"services": [...]} document as always) plus a journal
 * of the changes since (sandbox.json.journal, one JSON line each): a registration appends ~2 KB and fsyncs,
 * instead of rewriting a 20 MB file at 10 000 services (2.8 s per registration, issue 9). The journal is folded
 * into a new snapshot at start-up and every JOURNAL_COMPACT_AFTER changes.
 */
export interface StoreFile {
  /** Snapshot text and journal text, each undefined when absent. */
  read(): Promise<{ snapshot?: string; journal?: string }>;
  /** One journal line; durable when it resolves. */
  append(line: string): Promise<void>;
  /** Replace the snapshot durably, then empty the journal. */
  snapshot(text: string): Promise<void>;
  /** Named in ERR_STORE_UNWRITABLE. */
  readonly location: string;
}

export const JOURNAL_COMPACT_AFTER = 1000;

type JournalEntry = { put: Service } | { del: string } | { all: Service[] };

async function readIfPresent(file: string): Promise<string | undefined> {
  try {
    return await fsp.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

async function syncDir(dir: string): Promise<void> {
  const fh = await fsp.open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Snapshot: tmp + fsync + rename + fsync(dir), so after a crash it is the old or the new document, never half of one. */
export function jsonFile(file: string): StoreFile {
  const tmp = `${file}.tmp`;
  const journal = `${file}.journal`;
  return {
    location: file,
    read: async () => ({ snapshot: await readIfPresent(file), journal: await readIfPresent(journal) }),
    async append(line) {
      const fh = await fsp.open(journal, 'a');
      try {
        await fh.writeFile(`${line}\n`, 'utf8');
        await fh.sync();
      } finally {
        await fh.close();
      }
    },
    async snapshot(text) {
      const fh = await fsp.open(tmp, 'w');
      try {
        await fh.writeFile(text, 'utf8');
        await fh.sync();
      } finally {
        await fh.close();
      }
      await fsp.rename(tmp, file);
      await syncDir(path.dirname(file));
      // A crash before this truncation replays entries the snapshot already holds: every entry is idempotent.
      const j = await fsp.open(journal, 'w');
      try {
        await j.sync();
      } finally {
        await j.close();
      }
    },
  };
}

const memoryFile = (): StoreFile => ({ location: '(memory)', read: async () => ({}), append: async () => undefined, snapshot: async () => undefined });

export async function openStore(dataDir: string | null, opts: { file?: StoreFile } = {}): Promise<Store> {
  let file: StoreFile;
  if (opts.file) file = opts.file;
  else if (dataDir === null) file = memoryFile();
  else {
    const location = path.join(dataDir, 'sandbox.json');
    // Refuse to start rather than accept registrations that cannot be kept (main.ts exits with the message).
    try {
      fs.mkdirSync(dataDir, { recursive: true });
      const probe = path.join(dataDir, `.write-test-${process.pid}`);
      fs.writeFileSync(probe, 'ok');
      fs.rmSync(probe);
    } catch (e) {
      throw new ConfigError([`DATA_DIR="${dataDir}": not a writable directory (${(e as Error).message}). Point DATA_DIR at a writable directory (the registrations live in ${location}).`]);
    }
    file = jsonFile(location);
  }
  let list: Service[] = [];
  let replayed = 0;
  const byIdStart = new Map<string, Service>();
  try {
    const { snapshot, journal } = await file.read();
    if (snapshot !== undefined) list = ((JSON.parse(snapshot) as Partial<Data>).services ?? []) as Service[];
    if (!Array.isArray(list)) throw new Error('no "services" list');
    for (const s of list) byIdStart.set(s.id, s);
    const lines = (journal ?? '').split('\n');
    for (const [i, line] of lines.entries()) {
      if (!line.trim()) continue;
      let entry: JournalEntry;
      try {
        entry = JSON.parse(line) as JournalEntry;
      } catch (e) {
        // Only the last line can be torn (a crash mid-append): that change was never acknowledged.
        if (i >= lines.length - 2) break;
        throw e;
      }
      if ('put' in entry) byIdStart.set(entry.put.id, entry.put);
      else if ('del' in entry) byIdStart.delete(entry.del);
      else {
        byIdStart.clear();
        for (const s of entry.all) byIdStart.set(s.id, s);
      }
      replayed++;
    }
  } catch (e) {
    throw new Error(`DATA_DIR: cannot read ${file.location} (${(e as Error).message}). Fix or move the file; the sandbox will not overwrite it.`);
  }

  // The state everyone reads; replaced (never mutated) after each successful write.
  let byId = byIdStart;
  let json = new Map<string, string>([...byId.values()].map((s) => [s.id, JSON.stringify(s)]));
  // The list in registration order, rebuilt on the first read after a change.
  let view: readonly Service[] | undefined;
  let journalled = replayed;
  let queue: Promise<unknown> = Promise.resolve();
  const unwritable = (e: unknown) =>
    new SandboxError(507, {
      code: 'ERR_STORE_UNWRITABLE',
      where: 'DATA_DIR',
      message: `The registry could not be saved to ${file.location} (${(e as Error).message}); nothing was changed.`,
      found: file.location,
      fix: 'Free disk space or make DATA_DIR writable, then send the request again. The previous registrations are intact.',
    });
  const snapshotText = (texts: Map<string, string>) => `{"services":[${[...texts.values()].join(',')}]}`;

  // Each change is decided against the state at the moment it runs (after the writes queued before it) and
  // applied to the maps only once its journal line is durable. Applying touches one entry: no copy of 10 000.
  type Decision = { entry: JournalEntry; apply: () => void } | false;
  const change = (decide: () => Decision): Promise<boolean> => {
    let changed = true;
    const run = async () => {
      const d = decide();
      if (d === false) {
        changed = false;
        return;
      }
      try {
        await file.append(JSON.stringify(d.entry));
      } catch (e) {
        throw unwritable(e);
      }
      d.apply();
      view = undefined;
      if (++journalled >= JOURNAL_COMPACT_AFTER) {
        // Folding costs one full write every JOURNAL_COMPACT_AFTER changes; a failure leaves the journal to replay.
        try {
          await file.snapshot(snapshotText(json));
          journalled = 0;
        } catch {
          /* the journal still holds every change; the next change retries */
        }
      }
    };
    const next = queue.then(run, run);
    queue = next.catch(() => undefined);
    return next.then(() => changed);
  };
  const put = (service: Service): Decision => ({
    entry: { put: service },
    apply: () => {
      byId.set(service.id, service);
      json.set(service.id, JSON.stringify(service));
    },
  });
  const compact = () => {
    const run = async () => {
      try {
        await file.snapshot(snapshotText(json));
      } catch (e) {
        throw unwritable(e);
      }
      journalled = 0;
    };
    const next = queue.then(run, run);
    queue = next.catch(() => undefined);
    return next;
  };
  return {
    compact,
    services: () => (view ??= [...byId.values()]),
    get: (id) => byId.get(id),
    async insertService(service) {
      await change(() => {
        if (byId.has(service.id)) {
          throw new SandboxError(409, { code: 'ERR_SERVICE_ID_TAKEN', where: 'id', message: `A service with id "${service.id}" already exists; a registration never replaces another.`, found: service.id, fix: 'Register again (a new id is drawn), or update the existing service with PUT /api/services/:id.' });
        }
        return put(service);
      });
    },
    async putService(service) {
      await change(() => put(service));
    },
    removeService(id) {
      return change(() =>
        byId.has(id)
          ? {
              entry: { del: id },
              apply: () => {
                byId.delete(id);
                json.delete(id);
              },
            }
          : false,
      );
    },
    async replaceServices(services) {
      await change(() => ({
        entry: { all: services },
        apply: () => {
          byId = new Map(services.map((s) => [s.id, s]));
          json = new Map(services.map((s) => [s.id, JSON.stringify(s)]));
        },
      }));
    },
  };
}
