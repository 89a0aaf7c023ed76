// The message inspector (/events): every exchange decoded, summarised, linked request↔answer, filterable,
// live, exportable; and the paste-and-decode box (POST /events/decode for the page, POST /api/decode as JSON).
import { Router, type Request } from 'express';
import { isSignatureProblem } from '../catalogue.js';
import { localizeRejection } from '../errors.js';
import type { SandboxEvent } from '../events.js';
import { decodePasted } from '../inspect/decode.js';
import { highlightXml } from '../inspect/pretty.js';
import { summarize } from '../inspect/summary.js';
import { verdictOn } from '../inspect/verdict.js';
import type { Sandbox } from '../sandbox.js';
import { pageLang, renderPage } from './render.js';

const rootAttr = (xml: string | undefined, name: string) => (xml ? new RegExp(`^[\\s\\S]*?<(?:\\w+:)?\\w+\\b[^>]*?\\s${name}="([^"]+)"`).exec(xml.replace(/<\?xml[^>]*\?>/, ''))?.[1] : undefined);

export interface Filters {
  protocol?: string;
  service?: string;
  verdict?: string;
  q?: string;
}

function filtersOf(req: Request): Filters {
  const one = (k: string) => (typeof req.query[k] === 'string' && (req.query[k] as string).trim() ? (req.query[k] as string).trim().slice(0, 200) : undefined);
  return { protocol: one('protocol'), service: one('service'), verdict: one('verdict'), q: one('q') };
}

const matches = (f: Filters) => (e: SandboxEvent) =>
  (!f.protocol || e.protocol === f.protocol) &&
  (!f.service || (e.service ?? '').toLowerCase().includes(f.service.toLowerCase())) &&
  (!f.verdict || e.verdict === f.verdict) &&
  (!f.q || [e.message, e.summary, e.service, e.rejection?.code, e.rejection?.message, e.xml].some((s) => (s ?? '').toLowerCase().includes(f.q!.toLowerCase())));

/** Request ↔ answer: an answer's InResponseTo names the request's ID (SAML Core §3.2.2). */
export function linkExchanges(events: SandboxEvent[]): Map<number, number[]> {
  const byId = new Map<string, number>();
  const links = new Map<number, number[]>();
  const link = (a: number, b: number) => {
    links.set(a, [...(links.get(a) ?? []), b]);
    links.set(b, [...(links.get(b) ?? []), a]);
  };
  for (const e of [...events].sort((a, b) => a.id - b.id)) {
    const id = rootAttr(e.xml, 'ID');
    const irt = rootAttr(e.xml, 'InResponseTo');
    if (irt && byId.has(irt)) link(byId.get(irt)!, e.id);
    if (id) byId.set(id, e.id);
  }
  return links;
}

export function inspectorRoutes(sb: Sandbox): Router {
  const r = Router();
  const view = (req: Request) => {
    const lang = pageLang(req);
    const filters = filtersOf(req);
    const all = sb.events.list(1000);
    const links = linkExchanges(all);
    const shown = all.filter(matches(filters)).slice(0, 200).map((e) => {
      const summary = e.xml ? summarize(e.xml) : undefined;
      const signature = e.rejection && isSignatureProblem(e.rejection.code) ? 'invalid' : e.xml && /<(\w+:)?Signature\b/.test(e.xml) ? (e.verdict === 'rejected' ? undefined : 'valid') : e.xml ? 'none' : undefined;
      return { ...e, rejection: e.rejection && localizeRejection(e.rejection, lang), summary, signature, html: e.xml ? highlightXml(e.xml) : undefined, links: links.get(e.id) ?? [] };
    });
    const services = [...new Set(all.map((e) => e.service).filter((s): s is string => !!s))].sort();
    return { lang, filters, shown, services };
  };

  r.get('/events', (req, res) => {
    const v = view(req);
    renderPage(req, res, req.query.partial === '1' ? 'events-list' : 'events', { title: 'Events', ...v, decoded: undefined, pasted: '' });
  });
  r.post('/events/decode', (req, res) => {
    const pasted = String((req.body as Record<string, unknown> | undefined)?.text ?? '');
    const v = view(req);
    renderPage(req, res, 'events', { title: 'Events', ...v, decoded: decodeFor(pasted, v.lang), pasted: pasted.slice(0, 20000) });
  });
  r.get('/events/:id/export', (req, res) => {
    const id = Number(req.params.id);
    const all = sb.events.list(1000);
    const e = all.find((x) => x.id === id);
    if (!e) {
      res.status(404).json({ error: { code: 'ERR_NOT_FOUND', where: `/events/${req.params.id}`, message: 'No event with this id (the log is bounded).', fix: 'Open /events and export a listed exchange.' } });
      return;
    }
    const related = (linkExchanges(all).get(id) ?? []).map((n) => all.find((x) => x.id === n)).filter(Boolean);
    res.attachment(`mpass-sandbox-exchange-${id}.json`).json({ exportedAt: sb.clock.now().toISOString(), exchange: [e, ...related].sort((a, b) => a!.id - b!.id) });
  });
  r.post('/api/decode', (req, res) => {
    const text = (req.body as Record<string, unknown> | undefined)?.text;
    if (typeof text !== 'string') {
      res.status(400).json({ errors: [{ code: 'ERR_INVALID_FIELD', where: 'text', message: 'Send the pasted text as a string.', fix: 'POST {"text": "<SAMLRequest value, Redirect URL or XML>"}.' }] });
      return;
    }
    const d = decodePasted(text, sb.config.maxSamlBytes);
    if ('error' in d) {
      res.status(400).json({ errors: [{ code: 'ERR_INVALID_FIELD', where: 'text', message: d.error, fix: 'Paste a SAMLRequest/SAMLResponse value, a Redirect URL, a form body or the XML.' }] });
      return;
    }
    const { http: _http, ...decoded } = d;
    res.json({ decoded, summary: summarize(d.xml, { sigAlg: d.sigAlg, redirectSigned: d.signed }), verdict: verdictOn(d, sb) });
  });

  const decodeFor = (pasted: string, lang: ReturnType<typeof pageLang>) => {
    const d = decodePasted(pasted, sb.config.maxSamlBytes);
    if ('error' in d) return { error: d.error };
    const verdict = verdictOn(d, sb);
    return { encoding: d.encoding, param: d.param, relayState: d.relayState, sigAlg: d.sigAlg, summary: summarize(d.xml, { sigAlg: d.sigAlg, redirectSigned: d.signed }), verdict: { ...verdict, rejection: verdict.rejection && localizeRejection(verdict.rejection, lang) }, html: highlightXml(d.xml) };
  };
  return r;
}
