// Storage behind one small interface. The default adapter is a lowdb JSON file: lowdb (via steno)
// serialises writes and writes a temporary file then renames it, so the file is always valid JSON and
// an acknowledged write survives a kill -9. Only durable things live here (registrations);
// sessions, pending requests and events are in memory with expiry.
import fs from 'node:fs';
import path from 'node:path';
import { Low, Memory } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import type { Service } from '../registry/service.js';

export interface Data {
  services: Service[];
}

export interface Store {
  services(): readonly Service[];
  /** Insert or replace by id; resolves once durable. */
  putService(service: Service): Promise<void>;
  removeService(id: string): Promise<boolean>;
  /** Replace the whole list (reset). */
  replaceServices(services: Service[]): Promise<void>;
}

export async function openStore(dataDir: string | null): Promise<Store> {
  let db: Low<Data>;
  if (dataDir === null) db = new Low<Data>(new Memory<Data>(), { services: [] });
  else {
    fs.mkdirSync(dataDir, { recursive: true });
    const file = path.join(dataDir, 'sandbox.json');
    db = new Low<Data>(new JSONFile<Data>(file), { services: [] });
    try {
      await db.read();
    } catch (e) {
      throw new Error(`DATA_DIR: cannot read ${file} (${(e as Error).message}). Fix or move the file; the sandbox will not overwrite it.`);
    }
  }
  if (dataDir === null) await db.read();
  db.data ??= { services: [] };
  db.data.services ??= [];
  return {
    services: () => db.data.services,
    async putService(service) {
      const list = db.data.services;
      const i = list.findIndex((s) => s.id === service.id);
      if (i >= 0) list[i] = service;
      else list.push(service);
      await db.write();
    },
    async removeService(id) {
      const before = db.data.services.length;
      db.data.services = db.data.services.filter((s) => s.id !== id);
      if (db.data.services.length === before) return false;
      await db.write();
      return true;
    },
    async replaceServices(services) {
      db.data.services = services;
      await db.write();
    },
  };
}
