// The headless single-logout front channel (POST /api/sessions/:id/logout): the sandbox plays the
// browser's part for test suites, posting each LogoutRequest to its service and feeding the service's
// answer back into the logout run exactly as a browser would (an auto-post form or a Redirect to
// /logout/saml). The service's answer is untrusted: it is read with a size cap and a deadline, parsed in
// one linear pass, and never echoed back to the caller (only the verdict and our own words are).
import { SandboxError } from '../errors.js';
import type { SingleLogout, LogoutRun } from './logout.js';
import { readForms } from './html-form.js';
import { OutboundError, postForm } from './outbound.js';
import type { SsoSession } from './sessions.js';
import { sameEndpoint } from './verify/checks.js';

/** An auto-post page with a LogoutResponse is a few KB; 1 MB leaves room for any page a service renders. */
export const MAX_ANSWER_BYTES = 1024 * 1024;

/** Log a session out of every service without a browser; resolves when every target settled or timed out. */
export async function logoutHeadless(slo: SingleLogout, session: SsoSession): Promise<LogoutRun> {
  const run = slo.startForSession(session);
  await Promise.all(run.targets.map((_t, i) => deliver(slo, run, i)));
  slo.finish(run);
  return run;
}

async function deliver(slo: SingleLogout, run: LogoutRun, index: number): Promise<void> {
  const { config, clock, events } = slo.deps;
  const t = slo.markSent(run, index);
  if (!t) return;
  if (t.context.binding !== 'HTTP-POST') return slo.fail(run, index, 'the sandbox delivers LogoutRequests with the HTTP-POST binding only');
  let answer;
  try {
    answer = await postForm(t.context.action, t.context.fields, { allow: config.outboundAllow, maxBytes: MAX_ANSWER_BYTES, timeoutMs: Math.max(50, run.deadline - clock.nowMs()) });
  } catch (e) {
    const rejection = e instanceof OutboundError ? e.rejection : { code: 'ERR_LOGOUT_UNREACHABLE', where: 'mpass.logoutRequestUrl', message: 'The LogoutRequest could not be delivered.', fix: 'Check that the service runs and is reachable from the sandbox.' };
    events.add({ protocol: 'mpass', direction: 'out', message: 'LogoutRequest', verdict: 'rejected', service: t.issuer, rejection });
    // A refused destination is the sandbox's doing (error); a service that could not be reached or did not
    // answer in time ends as it would in MPass's iframe (timeout).
    if (rejection.code === 'ERR_OUTBOUND_REFUSED') slo.fail(run, index, `${rejection.code}: ${rejection.message}`);
    else slo.noAnswer(run, index, `${rejection.code}: ${rejection.message}`);
    return;
  }
  const sloUrl = slo.sloUrl;
  if (answer.status >= 300 && answer.status < 400 && answer.location) {
    let url: URL;
    try {
      url = new URL(answer.location, t.context.action);
    } catch {
      return slo.noAnswer(run, index, `the service answered HTTP ${answer.status} with an unusable Location header`);
    }
    if (!sameEndpoint(url.href, sloUrl)) return slo.noAnswer(run, index, `the service redirected elsewhere than ${sloUrl}, so no LogoutResponse reached the sandbox`);
    // HTTP-Redirect LogoutResponse: hand over the query exactly as sent (its signature covers the raw octets).
    return feed(slo, run, index, { method: 'GET', query: Object.fromEntries(url.searchParams), body: undefined, rawQuery: url.search.slice(1) });
  }
  if (answer.truncated) return slo.noAnswer(run, index, `the service's answer is larger than ${MAX_ANSWER_BYTES} bytes; the sandbox stopped reading it (a LogoutResponse page is a few KB)`);
  const form = readForms(answer.body).find((f) => 'SAMLResponse' in f.fields);
  if (!form) return slo.noAnswer(run, index, `the service answered HTTP ${answer.status} without a LogoutResponse (no form with a SAMLResponse field, no redirect to ${sloUrl})`);
  let action: string;
  try {
    action = new URL(form.action ?? '', t.context.action).href;
  } catch {
    action = '';
  }
  if (!sameEndpoint(action, sloUrl)) return slo.noAnswer(run, index, `the service's LogoutResponse form posts elsewhere than ${sloUrl}, so a browser would not bring it to MPass`);
  const body: Record<string, string> = { SAMLResponse: form.fields.SAMLResponse! };
  if (form.fields.RelayState !== undefined) body.RelayState = form.fields.RelayState;
  return feed(slo, run, index, { method: 'POST', query: {}, body, rawQuery: '' });
}

function feed(slo: SingleLogout, run: LogoutRun, index: number, http: Parameters<SingleLogout['receive']>[0]): void {
  try {
    slo.receive(http, undefined);
  } catch (e) {
    // A rejected answer settles nothing in MPass's iframe either (the event log holds the rejection); it
    // ends as a timeout unless the core already settled it (a signed answer with a bad field is `error`).
    if (e instanceof SandboxError) slo.noAnswer(run, index, `its LogoutResponse was rejected: ${e.rejection.code}: ${e.rejection.message}`);
    else throw e;
  }
}
