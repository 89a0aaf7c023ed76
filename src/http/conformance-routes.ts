// Certify a service (issue 10): conformance runs (API, report page, JUnit), production readiness, and the
// filled integration form with its certificate. Thin: read the request, call src/conformance, render.
import { Router } from 'express';
import { SandboxError, ValidationError, type Rejection } from '../errors.js';
import { asLang } from '../lang.js';
import type { Service } from '../registry/service.js';
import type { Sandbox } from '../sandbox.js';
import { allCases, officialPlan, planFor } from '../conformance/plan.js';
import { readiness } from '../conformance/readiness.js';
import { pemToDer } from '../pki/certificates.js';
import { junitXml } from '../conformance/junit.js';
import type { ConformanceRun, RunTarget } from '../conformance/runner.js';
import { certifyText } from '../conformance/texts.js';
import { pageLang, renderPage } from './render.js';

export function conformanceRoutes(sb: Sandbox): Router {
  const r = Router();
  const runner = sb.conformance;

  const runOf = (id: string): ConformanceRun => {
    const run = runner.get(id);
    if (!run) throw new SandboxError(404, { code: 'ERR_RUN_NOT_FOUND', where: 'id', message: 'No conformance run with this id (runs are kept in memory; the oldest are dropped past CONFORMANCE_MAX_RUNS, and a restart forgets them all).', found: id, fix: 'Start a new run: POST /api/conformance.' });
    return run;
  };

  const start = (body: Record<string, unknown>, fixedService?: Service): ConformanceRun => {
    const { service, target, cases } = readRunInput(sb, body, fixedService);
    return runner.start(service, target, planFor(service, cases));
  };

  r.post('/api/conformance', (req, res) => {
    const run = start((req.body ?? {}) as Record<string, unknown>);
    res.status(201).location(`/api/conformance/${run.id}`).json({ id: run.id, status: run.status, report: `${sb.config.publicUrl}/conformance/${run.id}`, junit: `${sb.config.publicUrl}/api/conformance/${run.id}/junit` });
  });
  r.get('/api/conformance/:id', (req, res) => {
    res.json(runOf(String(req.params.id)));
  });
  r.get('/api/conformance/:id/junit', (req, res) => {
    const run = runOf(String(req.params.id));
    res.type('application/xml').send(junitXml(run, `${sb.config.publicUrl}/conformance/${run.id}`));
  });
  r.get('/api/services/:id/conformance', (req, res) => {
    res.json(runner.forService(sb.registry.require(String(req.params.id)).id).map(({ id, status, startedAt, finishedAt, summary }) => ({ id, status, startedAt, finishedAt, summary })));
  });

  const readinessOf = (id: string) => {
    const service = sb.registry.require(id);
    const issuer = service.mpass?.issuer;
    return readiness({
      service,
      sandboxCaPem: sb.pki.ca.certificatePem,
      events: issuer ? sb.events.list(1000, (e) => e.service === issuer) : [],
      latestRun: runner.forService(service.id)[0],
      plan: officialPlan(service),
      now: sb.clock.now(),
    });
  };
  r.get('/api/services/:id/readiness', (req, res) => {
    res.json(readinessOf(String(req.params.id)));
  });
  r.get('/services/:id/readiness', (req, res) => {
    const lang = pageLang(req);
    renderPage(req, res, 'readiness', { title: 'Readiness', readiness: readinessOf(String(req.params.id)), ct: certifyText(lang) });
  });

  // The filled integration form (Romanian unless ?lang=ru|en) and the .cer that goes with it.
  r.get('/services/:id/form.pdf', async (req, res) => {
    const service = sb.registry.require(String(req.params.id));
    const lang = asLang(req.query.lang) ?? 'ro';
    // pdf-lib and fontkit cost ~0.7 s to load: only the first form pays for them, never the start-up.
    const { integrationFormPdf } = await import('../conformance/form-pdf.js');
    const pdf = await integrationFormPdf(service, lang, sb.clock.now());
    res.type('application/pdf').set('Content-Disposition', `inline; filename="${service.id}-formular-${lang}.pdf"`).send(Buffer.from(pdf));
  });
  r.get('/services/:id/certificate.cer', (req, res) => {
    const service = sb.registry.require(String(req.params.id));
    res.type('application/pkix-cert').attachment(`${service.id}.cer`).send(pemToDer(service.certificate));
  });

  r.get('/conformance/:id', (req, res) => {
    const lang = pageLang(req);
    renderPage(req, res, 'conformance', { title: 'Conformance', run: runOf(String(req.params.id)), ct: certifyText(lang) });
  });
  r.post('/services/:id/conformance', (req, res) => {
    const service = sb.registry.require(String(req.params.id));
    const run = start((req.body ?? {}) as Record<string, unknown>, service);
    res.redirect(303, `/conformance/${run.id}?lang=${asLang(req.query.lang) ?? 'ro'}`);
  });
  return r;
}

function readRunInput(sb: Sandbox, b: Record<string, unknown>, fixed?: Service): { service: Service; target: RunTarget; cases?: string[] } {
  const problems: Rejection[] = [];
  const p = (where: string, message: string, fix: string, found?: unknown) => problems.push({ code: 'ERR_INVALID_FIELD', where, message, fix, ...(found !== undefined ? { found: String(found).slice(0, 200) } : {}) });
  let service = fixed;
  if (!service) {
    const key = typeof b.service === 'string' ? b.service : '';
    service = sb.registry.get(key) ?? sb.registry.byMPassIssuer(key);
    if (!service) p('service', 'No registered service has this id or MPass issuer.', 'Send the id or the issuer (entity ID) of a registered service: GET /api/services.', b.service ?? '(missing)');
  }
  if (service && !service.mpass) p('service', 'This service is registered for MSign only; the test plan is about MPass.', 'Add the MPass part to the registration (issuer, ACS, logout URLs).', service.id);
  const url = (name: string, required: boolean): string | undefined => {
    const v = b[name];
    if ((v === undefined || v === '') && !required) return undefined;
    if (typeof v === 'string') {
      try {
        const u = new URL(v);
        if (u.protocol === 'http:' || u.protocol === 'https:') return u.toString();
      } catch {
        /* reported below */
      }
    }
    p(name, 'Expected an absolute http(s) URL the sandbox can reach.', name === 'loginUrl' ? 'Give the URL that starts an MPass login at your service (GET), e.g. https://my-service.example.md/login.' : name === 'checkUrl' ? 'Give a URL that answers 2xx only to a logged-in browser, e.g. https://my-service.example.md/me.' : 'Give the URL that starts your service\'s own logout (GET), or leave it out.', v ?? '(missing)');
    return undefined;
  };
  const loginUrl = url('loginUrl', true);
  const checkUrl = url('checkUrl', true);
  const logoutUrl = url('logoutUrl', false);
  let cases: string[] | undefined;
  if (b.cases !== undefined) {
    const known = new Set(allCases().map((c) => c.id));
    if (!Array.isArray(b.cases) || b.cases.length > known.size || b.cases.some((c) => typeof c !== 'string')) p('cases', 'Expected a list of case ids.', 'Leave cases out for the official plan, or list ids such as "TC_FUNCT_01" and fault ids from GET /api/faults.');
    else {
      for (const c of b.cases as string[]) if (!known.has(c)) p('cases', `Unknown case "${c.slice(0, 80)}".`, `Use TC_FUNCT_01…TC_FUNCT_05 or a fault id from GET /api/faults.`, c);
      cases = b.cases as string[];
    }
  }
  if (problems.length) throw new ValidationError(problems);
  return { service: service!, target: { loginUrl: loginUrl!, checkUrl: checkUrl!, ...(logoutUrl ? { logoutUrl } : {}) }, cases };
}
