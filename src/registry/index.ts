// The service registry: validated registrations, looked up by id, SAML issuer or certificate serial.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { SandboxError, ValidationError } from '../errors.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/index.js';
import { canonicalSerial } from '../pki/certificates.js';
import type { Service } from './service.js';
import { validateService, type ServiceInput } from './validate.js';

export class Registry {
  private byIssuer = new Map<string, Service>();
  private bySerial = new Map<string, Service[]>();
  /** Writes run one after another: validate → store → reindex is not atomic across an await. */
  private writes: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: Store,
    private readonly faultIds: ReadonlySet<string>,
    private readonly now: () => Date,
  ) {
    this.reindex();
  }

  list(): readonly Service[] {
    return this.store.services();
  }

  get(id: string): Service | undefined {
    return this.store.get(id);
  }

  /** One page of the registry, in registration order (GET /api/services?limit=&offset=). */
  page(offset: number, limit: number): { total: number; items: readonly Service[] } {
    const all = this.store.services();
    return { total: all.length, items: all.slice(offset, offset + limit) };
  }

  require(id: string): Service {
    const s = this.get(id);
    if (!s) throw new SandboxError(404, { code: 'ERR_SERVICE_NOT_FOUND', where: 'id', message: `No service with id "${id}".`, found: id, fix: 'List the registered services with GET /api/services.' });
    return s;
  }

  byMPassIssuer(issuer: string): Service | undefined {
    return this.byIssuer.get(issuer);
  }

  /** Services whose certificate has this serial (a system certificate may serve several registrations). */
  byCertificateSerial(serial: string): Service[] {
    // Matched canonically: `0A4C…`, `a4c…` and `0a:4c:…` are one serial.
    return this.bySerial.get(canonicalSerial(serial)) ?? [];
  }

  validate(body: unknown, editingId?: string): ServiceInput {
    const r = validateService(body, {
      issuerTaken: (issuer) => {
        const other = this.byIssuer.get(issuer);
        return !!other && other.id !== editingId;
      },
      faultIds: this.faultIds,
      now: this.now(),
    });
    if (!r.ok) throw new ValidationError(r.problems);
    return r.value;
  }

  /** Two concurrent registrations of one issuer must not both pass the duplicate-issuer check. */
  private serial<T>(write: () => Promise<T>): Promise<T> {
    const next = this.writes.then(write, write);
    this.writes = next.catch(() => undefined);
    return next;
  }

  create(body: unknown, opts: { id?: string; source?: Service['source'] } = {}): Promise<Service> {
    return this.serial(() => this.createNow(body, opts));
  }

  private async createNow(body: unknown, opts: { id?: string; source?: Service['source'] }): Promise<Service> {
    const input = this.validate(body, opts.id);
    const at = this.now().toISOString();
    const service: Service = { id: opts.id ?? this.newServiceId(input.name.en), ...input, source: opts.source ?? 'api', createdAt: at, updatedAt: at };
    // insert, never replace: a colliding id is refused by the store rather than overwriting a registration
    await this.store.insertService(service);
    this.index(service);
    return service;
  }

  update(id: string, body: unknown): Promise<Service> {
    return this.serial(() => this.updateNow(id, body));
  }

  private async updateNow(id: string, body: unknown): Promise<Service> {
    const existing = this.require(id);
    const input = this.validate(body, id);
    const service: Service = { id, ...input, source: existing.source, createdAt: existing.createdAt, updatedAt: this.now().toISOString() };
    await this.store.putService(service);
    this.unindex(existing);
    this.index(service);
    return service;
  }

  remove(id: string): Promise<void> {
    return this.serial(() => this.removeNow(id));
  }

  private async removeNow(id: string): Promise<void> {
    const existing = this.require(id);
    await this.store.removeService(id);
    this.unindex(existing);
  }

  /** Drop every registration that did not come from fixtures (POST /api/reset?registry=true). */
  async dropApiRegistrations(): Promise<number> {
    const keep = this.store.services().filter((s) => s.source === 'fixture');
    const dropped = this.store.services().length - keep.length;
    await this.store.replaceServices(keep);
    this.reindex();
    return dropped;
  }

  /**
   * FIXTURES_DIR/services/*.json are (re)loaded at every start; the file name is the service id.
   * A fixture whose certificate field names a file (`"file:official-sample-sp.cer.pem"`) reads it beside the JSON.
   */
  async loadFixtures(dir: string, log: Logger): Promise<number> {
    if (!fs.existsSync(dir)) return 0;
    let n = 0;
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
      const id = path.basename(file, '.json');
      try {
        const body = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
        if (typeof body.certificate === 'string' && body.certificate.startsWith('file:')) {
          body.certificate = fs.readFileSync(path.join(dir, body.certificate.slice(5)), 'utf8');
        }
        const input = this.validate(body, id);
        const existing = this.get(id);
        const at = this.now().toISOString();
        await this.store.putService({ id, ...input, source: 'fixture', createdAt: existing?.createdAt ?? at, updatedAt: at });
        this.reindex();
        n++;
      } catch (e) {
        const detail = e instanceof ValidationError ? e.problems.map((p) => `${p.where}: ${p.message} ${p.fix}`) : [(e as Error).message];
        log.error('fixture service rejected', { file: path.join(dir, file), problems: detail });
      }
    }
    return n;
  }

  /** One service in or out of the lookups, after its write succeeded (a full reindex is O(registry)). */
  private index(s: Service): void {
    if (s.mpass) this.byIssuer.set(s.mpass.issuer, s);
    const key = canonicalSerial(s.certificateSerial);
    const list = this.bySerial.get(key) ?? [];
    list.push(s);
    this.bySerial.set(key, list);
  }

  private unindex(s: Service): void {
    if (s.mpass && this.byIssuer.get(s.mpass.issuer)?.id === s.id) this.byIssuer.delete(s.mpass.issuer);
    const key = canonicalSerial(s.certificateSerial);
    const list = (this.bySerial.get(key) ?? []).filter((x) => x.id !== s.id);
    if (list.length) this.bySerial.set(key, list);
    else this.bySerial.delete(key);
  }

  private reindex(): void {
    this.byIssuer.clear();
    this.bySerial.clear();
    for (const s of this.store.services()) this.index(s);
  }

  /**
   * A readable slug plus random hex, checked against the registry and drawn again on a collision (writes are
   * serialised, so the check cannot race another create). Three bytes collided a few times in 10 000
   * registrations of one name (issue 9): four are drawn, and after 8 collisions in a row, eight.
   */
  private newServiceId(nameEn: string): string {
    const slug = nameEn.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 24) || 'service';
    for (let attempt = 0; ; attempt++) {
      const id = `${slug}-${crypto.randomBytes(attempt < 8 ? 4 : 8).toString('hex')}`;
      if (!this.store.get(id)) return id;
    }
  }
}
