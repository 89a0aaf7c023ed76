// The integration form as JSON API (/api/services, /api/certificates) and as web pages (/services…).
import { Router, type NextFunction, type Request, type Response } from 'express';
import type multer from 'multer';
import { SandboxError, ValidationError, localizeRejection, rejection, type Rejection } from '../errors.js';
import type { Lang } from '../lang.js';
import { fieldText, translator, type TextKey } from './i18n.js';
import { FAULTS } from '../mpass/faults.js';
import { describeCertificate } from '../pki/certificates.js';
import { readCertificateInput } from '../pki/certificate-input.js';
import { STANDARD_ATTRIBUTES, type Service } from '../registry/service.js';
import { METADATA_MAX_ELEMENTS, readSpMetadata } from '../registry/sp-metadata.js';
import type { Sandbox } from '../sandbox.js';
import { certifyText } from '../conformance/texts.js';
import { msignUrlOf, pageLang, renderPage } from './render.js';
import { aspNetSettings, msignSettings, nodeSamlConfig, spMetadata } from './service-help.js';
import { heldKey } from './try-routes.js';

export function registryRoutes(sb: Sandbox): Router {
  const r = Router();
  const { registry } = sb;
  const metadataLimits = { maxBytes: sb.config.maxMetadataBytes, maxElements: Math.min(sb.config.maxXmlElements, METADATA_MAX_ELEMENTS) };
  // multer is loaded with the first form upload (start-up need not pay for it). Its own errors (limits, a
  // malformed multipart body) carry no HTTP status and would end as a 500: they become rejections here.
  let multipart: Promise<multer.Multer> | undefined;
  const upload = {
    single: (field: string) => (req: Request, res: Response, next: NextFunction) => {
      multipart ??= import('multer').then(({ default: m }) => m({ storage: m.memoryStorage(), limits: { fileSize: 64 * 1024, files: 1, fields: 60 } }));
      multipart.then((m) => m.single(field)(req, res, (err?: unknown) => next(err ? uploadRejection(err, field) : undefined)), next);
    },
  };

  // JSON API
  // Paginated (issue 9: 10 000 services in one answer took 1.5 s of CPU, describing every certificate). The body
  // stays the array it always was; the total travels in X-Total-Count and the next page in Link (RFC 8288).
  r.get('/api/services', (req, res) => {
    const { offset, limit } = pageOf(req.query, 'api');
    const page = registry.page(offset, limit);
    res.set('X-Total-Count', String(page.total));
    if (offset + limit < page.total) res.set('Link', `</api/services?offset=${offset + limit}&limit=${limit}>; rel="next"`);
    res.json(page.items.map(publicView));
  });
  r.post('/api/services', async (req, res) => {
    const s = await registry.create(req.body);
    sb.events.add({ protocol: 'registry', direction: 'internal', message: 'ServiceRegistered', verdict: 'info', service: s.mpass?.issuer ?? s.id, summary: `${s.id} (${s.name.en})` });
    res.status(201).location(`/api/services/${s.id}`).json(publicView(s));
  });
  r.get('/api/services/:id', (req, res) => {
    res.json(publicView(registry.require(String(req.params.id))));
  });
  r.put('/api/services/:id', async (req, res) => {
    res.json(publicView(await registry.update(String(req.params.id), req.body)));
  });
  r.delete('/api/services/:id', async (req, res) => {
    await registry.remove(String(req.params.id));
    res.status(204).end();
  });
  r.post('/api/certificates', (req, res) => {
    const cn = typeof req.body?.commonName === 'string' ? req.body.commonName.trim() : '';
    if (!cn || cn.length > 64 || /[\r\n,=+<>#;"\\]/.test(cn)) {
      throw new ValidationError([{ code: 'ERR_INVALID_FIELD', where: 'commonName', message: 'A common name of 1–64 characters is required (no , = + < > # ; " \\).', found: cn || undefined, fix: 'Send {"commonName": "my-service.example.md"}.' }]);
    }
    res.status(201).json(sb.pki.issueServiceCertificate(cn));
  });
  r.post('/api/sp-metadata', async (req, res) => {
    const xml = typeof req.body?.metadata === 'string' ? req.body.metadata : undefined;
    if (!xml) throw new ValidationError([{ code: 'ERR_INVALID_FIELD', where: 'metadata', message: 'Send the SP metadata XML as a string.', fix: 'POST {"metadata": "<md:EntityDescriptor …>"}.' }]);
    res.json(await readSpMetadata(xml, metadataLimits));
  });
  r.get('/api/personas', (_req, res) => {
    res.json(sb.personas);
  });

  // Pages
  r.get('/services', (req, res) => {
    const { offset, limit } = pageOf(req.query, 'page');
    const page = registry.page(offset, limit);
    renderPage(req, res, 'services', { title: 'Services', services: page.items, pager: { offset, limit, total: page.total } });
  });
  r.get('/services/new', (req, res) => {
    renderPage(req, res, 'service-form', formLocals({}, [], undefined, pageLang(req)));
  });
  r.post('/services/new', upload.single('certificateFile'), async (req, res) => {
    const values = req.body as Record<string, unknown>;
    try {
      const s = await registry.create(formToService(values, req.file?.buffer));
      res.redirect(303, `/services/${s.id}?lang=${pageLang(req)}&created=1`);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      renderPage(req, res, 'service-form', formLocals(values, e.problems, undefined, pageLang(req)), 400);
    }
  });
  // "Read the metadata" and "Issue a test certificate": both post the whole registration form (with or
  // without JavaScript) and get it back filled in place — every typed field kept, a confirmation on top.
  const editingOf = (req: Request) => (typeof req.query.edit === 'string' ? registry.get(req.query.edit) : undefined);
  const keptValues = (req: Request) => {
    const values = { ...(req.body as Record<string, unknown>) };
    // A file input cannot be filled again by the server: an uploaded certificate moves into the text area.
    if (req.file?.buffer.length) {
      const r = readCertificateInput(req.file.buffer);
      if (r.ok) values.certificate = r.pem;
    }
    return values;
  };
  r.post('/services/metadata', upload.single('certificateFile'), async (req, res) => {
    const values = keptValues(req);
    const lang = pageLang(req);
    const editing = editingOf(req);
    try {
      const m = await readSpMetadata(String(values.metadata ?? ''), metadataLimits);
      const found: Record<string, string | undefined> = { mpass_issuer: m.issuer, mpass_acs: m.assertionConsumerServiceUrl, mpass_logoutRequestUrl: m.logoutRequestUrl, mpass_logoutResponseUrl: m.logoutResponseUrl, certificate: m.certificate };
      const filledIds = Object.keys(found).filter((k) => found[k]);
      for (const k of filledIds) values[k] = found[k];
      values.mpass_enabled = 'on';
      const t = translator(lang);
      renderPage(req, res, 'service-form', { ...formLocals(values, [], undefined, lang), editing, filled: { kind: 'metadata', labels: filledIds.map((id) => t(FIELD_LABELS[id]!)) } });
    } catch (e) {
      const problems = e instanceof ValidationError ? e.problems : e instanceof SandboxError ? [{ ...e.rejection, where: 'metadata' }] : undefined;
      if (!problems) throw e;
      renderPage(req, res, 'service-form', { ...formLocals(values, problems, undefined, lang), editing }, 400);
    }
  });
  r.post('/services/certificate', upload.single('certificateFile'), (req, res) => {
    const values = keptValues(req);
    const lang = pageLang(req);
    const editing = editingOf(req);
    const cn = String(values.commonName ?? '').trim();
    if (!cn || cn.length > 64 || /[\r\n,=+<>#;"\\]/.test(cn)) {
      const problem = rejection('ERR_INVALID_FIELD', 'commonName', { message: 'A common name of 1–64 characters is required (no , = + < > # ; " \\).', found: cn || undefined, fix: 'Type a host-like name such as my-service.example.md.' });
      renderPage(req, res, 'service-form', { ...formLocals(values, [problem], undefined, lang), editing }, 400);
      return;
    }
    const issued = sb.pki.issueServiceCertificate(cn);
    renderPage(req, res, 'service-form', { ...formLocals({ ...values, certificate: issued.certificatePem }, [], issued, lang), editing, filled: { kind: 'certificate' } });
  });
  r.get('/services/:id', (req, res) => {
    const s = registry.require(String(req.params.id));
    const cert = describeCertificate(s.certificate);
    const ctx = { publicUrl: sb.config.publicUrl, ssoUrl: sb.mpass.ssoUrl, sloUrl: sb.mpass.sloUrl, msignUrl: msignUrlOf(sb.config) };
    const help = { aspnet: aspNetSettings(s, ctx), node: nodeSamlConfig(s, ctx), spMetadata: spMetadata(s), msign: msignSettings(s, ctx, cert.serialNumber) };
    renderPage(req, res, 'service', { title: s.name[pageLang(req)], service: s, cert, help, canTry: !!s.mpass && !!heldKey(sb.config.fixturesDir, s), created: req.query.created === '1', runs: sb.conformance.forService(s.id), certify: certifyText(pageLang(req)) });
  });
  r.get('/services/:id/edit', (req, res) => {
    const s = registry.require(String(req.params.id));
    renderPage(req, res, 'service-form', { ...formLocals(serviceToForm(s), [], undefined, pageLang(req)), editing: s });
  });
  r.post('/services/:id/edit', upload.single('certificateFile'), async (req, res) => {
    const s = registry.require(String(req.params.id));
    const values = req.body as Record<string, unknown>;
    try {
      await registry.update(s.id, formToService(values, req.file?.buffer));
      res.redirect(303, `/services/${s.id}?lang=${pageLang(req)}`);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      renderPage(req, res, 'service-form', { ...formLocals(values, e.problems, undefined, pageLang(req)), editing: s }, 400);
    }
  });
  r.post('/services/:id/delete', async (req, res) => {
    await registry.remove(String(req.params.id));
    res.redirect(303, `/services?lang=${pageLang(req)}`);
  });
  return r;
}

export const PAGE = { defaultLimit: 100, maxLimit: 1000 };

/** ?offset=&limit= — whole numbers; limit 1…1000, default 100. */
function pageOf(query: Record<string, unknown>, kind: 'api' | 'page'): { offset: number; limit: number } {
  const num = (name: 'offset' | 'limit', def: number, min: number, max: number): number => {
    const raw = query[name];
    if (raw === undefined || raw === '') return def;
    const n = typeof raw === 'string' && /^\d{1,9}$/.test(raw) ? Number(raw) : NaN;
    if (!(n >= min && n <= max)) {
      if (kind === 'page') return def;
      throw new SandboxError(400, { code: 'ERR_INVALID_FIELD', where: name, message: `${name} must be a whole number from ${min} to ${max}.`, found: String(raw), expected: `${min}…${max}`, fix: `Send ?${name}=${def} (the default), or leave it out.` });
    }
    return n;
  };
  return { offset: num('offset', 0, 0, 1e9), limit: num('limit', PAGE.defaultLimit, 1, PAGE.maxLimit) };
}

function uploadRejection(err: unknown, field: string): SandboxError {
  const e = err as { code?: string; field?: string; message?: string };
  const tooLarge = e.code === 'LIMIT_FILE_SIZE' || e.code === 'LIMIT_FIELD_VALUE';
  return new SandboxError(tooLarge ? 413 : 400, {
    code: tooLarge ? 'ERR_UPLOAD_TOO_LARGE' : 'ERR_UPLOAD_MALFORMED',
    where: e.field ?? field,
    message: tooLarge ? 'The uploaded file is larger than the 64 KiB a certificate needs.' : `The form upload could not be read: ${e.message ?? 'malformed multipart body'}.`,
    fix: tooLarge ? 'Upload only the public certificate (.cer, DER or PEM), not a bundle or an archive.' : 'Submit the registration form again from the browser (multipart/form-data with one certificate file).',
  });
}

/** The form field (element id) of a validation path, and its visible label. */
const FIELD_LABELS: Record<string, TextKey> = {
  name_ro: 'form.name.ro', name_ru: 'form.name.ru', name_en: 'form.name.en', description: 'form.description',
  contact_name: 'form.contactName', contact_email: 'form.email', contact_phone: 'form.phone', certificate: 'form.certPaste',
  mpass_issuer: 'form.issuer', mpass_acs: 'form.acs', mpass_logoutRequestUrl: 'form.logoutRequestUrl', mpass_logoutResponseUrl: 'form.logoutResponseUrl',
  mpass_contractNumber: 'form.contractNumber', mpass_contractDate: 'form.contractDate', mpass_attributes: 'form.attributes', mpass_customAttributes: 'form.customAttributes',
  mpass_faults: 'form.faults', msign_ipAddresses: 'form.ips', msign_signerType: 'form.signerType', msign_contractNumber: 'form.contractNumber', msign_contractDate: 'form.contractDate',
  commonName: 'form.commonName', metadata: 'form.metadata',
};
const PATH_FIELDS: Array<[RegExp, string]> = [
  [/^name\.(ro|ru|en)$/, 'name_$1'], [/^name$/, 'name_ro'], [/^description$/, 'description'],
  [/^contact\.(name|email|phone)$/, 'contact_$1'], [/^contact$/, 'contact_name'], [/^certificate(File)?$/, 'certificate'],
  [/^mpass\.issuer$/, 'mpass_issuer'], [/^mpass\.assertionConsumerServiceUrl$/, 'mpass_acs'], [/^mpass\.(logoutRequestUrl|logoutResponseUrl)$/, 'mpass_$1'],
  [/^mpass\.contract\.date$/, 'mpass_contractDate'], [/^mpass\.contract(\.number)?$/, 'mpass_contractNumber'], [/^mpass\.attributes/, 'mpass_attributes'],
  [/^mpass\.customAttributes/, 'mpass_customAttributes'], [/^mpass\.faults/, 'mpass_faults'], [/^mpass(\..*)?$/, 'mpass_issuer'],
  [/^msign\.ipAddresses/, 'msign_ipAddresses'], [/^msign\.signerType$/, 'msign_signerType'], [/^msign\.contract\.date$/, 'msign_contractDate'],
  [/^msign\.contract(\.number)?$/, 'msign_contractNumber'], [/^msign(\..*)?$/, 'msign_ipAddresses'], [/^commonName$/, 'commonName'], [/^metadata$/, 'metadata'],
];

export function fieldOf(where: string, lang: Lang): { field: string; label: string } {
  const t = translator(lang);
  for (const [re, id] of PATH_FIELDS) {
    const m = re.exec(where);
    if (!m) continue;
    const field = id.replace('$1', m[1] ?? '');
    // msign.ipAddresses[1] is the second line of the text area: people count lines from one.
    const line = /^msign\.ipAddresses\[(\d+)\]/.exec(where);
    const lineWord = { ro: 'rândul', ru: 'строка', en: 'line' }[lang];
    return { field, label: `${t(FIELD_LABELS[field] ?? 'form.service')}${line ? `, ${lineWord} ${Number(line[1]) + 1}` : ''}` };
  }
  return { field: 'service-form', label: where };
}

// Page text never shows Markdown: `code` from a throw site becomes plain text.
const plain = (s: string) => s.replace(/`([^`]*)`/g, '$1');

function formLocals(values: Record<string, unknown>, problems: Rejection[], issued: unknown, lang: Lang) {
  const keyCleared = problems.some((p) => p.code === 'ERR_PRIVATE_KEY_SENT');
  // A refused private key is never echoed back into the page (nor kept in the text area).
  const kept = keyCleared || /PRIVATE KEY/.test(String(values.certificate ?? '')) ? { ...values, certificate: '' } : values;
  const shown = problems.map((p) => {
    const r = { ...localizeRejection(p, lang), ...(fieldText(p.message, lang) ?? {}) };
    const { field, label } = fieldOf(p.where, lang);
    const found = r.found !== undefined && !/PRIVATE KEY/.test(r.found) ? r.found : undefined;
    // Texts name the visible label, never the JSON path ("Fill in mpass.issuer." → "Fill in “Issuer …”.").
    const named = (s: string) => (/[.[]/.test(p.where) || /^(Fill in|Shorten|Send) /.test(s) ? plain(s).split(p.where).join(`“${label}”`) : plain(s));
    return { ...r, message: named(r.message), fix: named(r.fix), found, field, label };
  });
  const fieldProblems: Record<string, typeof shown> = {};
  for (const p of shown) (fieldProblems[p.field] ??= []).push(p);
  return { title: 'Register a service', values: kept, problems: shown, fieldProblems, keyCleared, issued, filled: undefined, attributes: STANDARD_ATTRIBUTES, faults: FAULTS, editing: undefined };
}

// Services are replaced, never mutated, on every change: the description of a service's certificate is computed
// once per version (parsing 100 certificates per page was most of a page's cost).
const described = new WeakMap<Service, ReturnType<typeof describeCertificate>>();

/** The JSON shape of the README, plus the derived certificate facts. */
export function publicView(s: Service) {
  let info = described.get(s);
  if (!info) described.set(s, (info = describeCertificate(s.certificate)));
  return { ...s, certificateInfo: info };
}

const lines = (v: unknown) => String(v ?? '').split(/[\s,;]+/).map((x) => x.trim()).filter(Boolean);
const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : v === undefined ? [] : [String(v)]);

/** Form fields → the JSON body the API takes, so both go through one validation. */
export function formToService(f: Record<string, unknown>, file?: Buffer): Record<string, unknown> {
  const s = (k: string) => (typeof f[k] === 'string' ? (f[k] as string).trim() : undefined) || undefined;
  let certificate: unknown = s('certificate');
  if (file && file.length) {
    const r = readCertificateInput(file);
    certificate = r.ok ? r.pem : file.toString('latin1').includes('PRIVATE KEY') ? file.toString('latin1') : file.toString('base64');
  }
  const contract = (p: string) => (s(`${p}_contractNumber`) || s(`${p}_contractDate`) ? { number: s(`${p}_contractNumber`), date: s(`${p}_contractDate`) } : undefined);
  const body: Record<string, unknown> = {
    name: { ro: s('name_ro'), ru: s('name_ru'), en: s('name_en') },
    description: s('description'),
    contact: { name: s('contact_name'), email: s('contact_email'), ...(s('contact_phone') ? { phone: s('contact_phone') } : {}) },
    certificate,
  };
  if (f.mpass_enabled) {
    let customAttributes: unknown = [];
    const raw = s('mpass_customAttributes');
    if (raw) {
      try {
        customAttributes = JSON.parse(raw);
      } catch {
        customAttributes = 'not JSON';
      }
    }
    body.mpass = {
      ...(contract('mpass') ? { contract: contract('mpass') } : {}),
      issuer: s('mpass_issuer'),
      assertionConsumerServiceUrl: s('mpass_acs'),
      logoutRequestUrl: s('mpass_logoutRequestUrl'),
      logoutResponseUrl: s('mpass_logoutResponseUrl'),
      attributes: list(f.mpass_attributes),
      customAttributes,
      signAssertion: !!f.mpass_signAssertion,
      faults: list(f.mpass_faults),
    };
  }
  if (f.msign_enabled) {
    body.msign = { ...(contract('msign') ? { contract: contract('msign') } : {}), ipAddresses: lines(f.msign_ipAddresses), signerType: s('msign_signerType') };
  }
  return body;
}

function serviceToForm(s: Service): Record<string, unknown> {
  return {
    name_ro: s.name.ro, name_ru: s.name.ru, name_en: s.name.en, description: s.description,
    contact_name: s.contact.name, contact_email: s.contact.email, contact_phone: s.contact.phone, certificate: s.certificate,
    ...(s.mpass ? {
      mpass_enabled: 'on', mpass_issuer: s.mpass.issuer, mpass_acs: s.mpass.assertionConsumerServiceUrl, mpass_logoutRequestUrl: s.mpass.logoutRequestUrl,
      mpass_logoutResponseUrl: s.mpass.logoutResponseUrl, mpass_attributes: s.mpass.attributes, mpass_signAssertion: s.mpass.signAssertion ? 'on' : undefined,
      mpass_customAttributes: s.mpass.customAttributes.length ? JSON.stringify(s.mpass.customAttributes) : '', mpass_faults: s.mpass.faults,
      mpass_contractNumber: s.mpass.contract?.number, mpass_contractDate: s.mpass.contract?.date,
    } : {}),
    ...(s.msign ? { msign_enabled: 'on', msign_ipAddresses: s.msign.ipAddresses.join('\n'), msign_signerType: s.msign.signerType, msign_contractNumber: s.msign.contract?.number, msign_contractDate: s.msign.contract?.date } : {}),
  };
}
