// Automation (POST /api/msign/script): the next SignRequest(s) of a service finish at once, without the
// page. A script only decides the outcome; the transition itself goes through the MSign core like a page's.
import type { Persona } from '../personas.js';
import type { Service } from '../registry/service.js';
import type { LocalizedMessage } from './messages.js';
import type { SigningIdentity } from './signing/identities.js';
import type { SignRequestRecord } from './store.js';

export type ScriptOutcome = 'success' | 'cancel' | 'expire' | 'wrong-signer';
export interface Script {
  outcome: ScriptOutcome;
  persona?: string;
  times: number;
}

export interface ScriptCore {
  personas: readonly Persona[];
  identitiesFor(rec: SignRequestRecord): SigningIdentity[];
  identityOf(rec: SignRequestRecord, persona: Persona): SigningIdentity;
  sign(rec: SignRequestRecord, id: SigningIdentity): Promise<LocalizedMessage | null>;
  fail(rec: SignRequestRecord, reason: LocalizedMessage): void;
  expire(rec: SignRequestRecord): void;
}

export class Scripts {
  private readonly queues = new Map<string, Script[]>();

  add(serviceId: string, s: Script): void {
    const list = this.queues.get(serviceId) ?? [];
    list.push(s);
    this.queues.set(serviceId, list);
  }

  pending(serviceId: string): Script[] {
    return this.queues.get(serviceId) ?? [];
  }

  clear(): void {
    this.queues.clear();
  }

  /** Apply the service's next script, if any, to a request just posted. */
  async apply(core: ScriptCore, service: Service, rec: SignRequestRecord): Promise<void> {
    const list = this.queues.get(service.id);
    const s = list?.[0];
    if (!s) return;
    if (--s.times <= 0) list!.shift();
    const expected = rec.request.expectedSigner?.id ?? undefined;
    switch (s.outcome) {
      case 'cancel':
        core.fail(rec, { key: 'cancelled' });
        return;
      case 'expire':
        core.expire(rec);
        return;
      case 'wrong-signer': {
        const other = core.personas.find((p) => p.idnp !== expected && p.idnp !== s.persona)?.idnp ?? '0000000000000';
        core.fail(rec, { key: 'wrongSigner', params: { found: s.persona && s.persona !== expected ? s.persona : other, expected: expected ?? '-' } });
        return;
      }
      case 'success': {
        const ids = core.identitiesFor(rec);
        const idnp = s.persona ?? expected;
        const pick = ids.find((i) => (idnp ? i.persona.idnp === idnp : true) && (rec.request.expectedSigner?.delegatorId ? i.idno === rec.request.expectedSigner.delegatorId : true)) ?? ids.find((i) => !idnp || i.persona.idnp === idnp);
        const persona = pick?.persona ?? (idnp ? core.personas.find((p) => p.idnp === idnp) : undefined);
        if (!persona) {
          core.fail(rec, { key: 'wrongSigner', params: { found: idnp ?? '-', expected: expected ?? '-' } });
          return;
        }
        await core.sign(rec, pick ?? core.identityOf(rec, persona));
      }
    }
  }
}
