// "Try a login": the sandbox plays a built-in test service for a registered service whose private key it
// holds (the fixtures' throw-away keys in fixtures/keys), so a person sees a whole exchange — a signed
// AuthnRequest, the real login page, the Response — in the inspector before their own service works.
// The AuthnRequest goes through the same /login/saml checks as any other; only its ACS is the sandbox's own
// /try/acs, which shows the Response decoded with its verdict (MPASS.md §4.1, §5).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Router } from 'express';
import { SandboxError, rejection } from '../errors.js';
import { decodePasted } from '../inspect/decode.js';
import { highlightXml } from '../inspect/pretty.js';
import { summarize } from '../inspect/summary.js';
import { verdictOn } from '../inspect/verdict.js';
import { signEnveloped } from '../mpass/signature.js';
import type { KeyPair } from '../pki/certificates.js';
import type { Service } from '../registry/service.js';
import type { Sandbox } from '../sandbox.js';
import { escapeXml } from '../xml/parse.js';
import { deliver, pageLang, renderPage } from './render.js';

/** The private key the sandbox holds for this service's certificate, if any (fixtures/keys/*.pem). */
export function heldKey(fixturesDir: string, s: Service): KeyPair | undefined {
  const dir = path.join(fixturesDir, 'keys');
  let files: string[];
  try {
    files = fs.readdirSync(dir).filter((f) => f.endsWith('.pem'));
  } catch {
    return undefined;
  }
  const want = new crypto.X509Certificate(s.certificate).publicKey.export({ type: 'spki', format: 'der' });
  for (const f of files) {
    const pem = fs.readFileSync(path.join(dir, f), 'utf8');
    try {
      const pub = crypto.createPublicKey(crypto.createPrivateKey(pem)).export({ type: 'spki', format: 'der' });
      if (pub.equals(want)) return { privateKeyPem: pem, certificatePem: s.certificate };
    } catch {
      /* not a private key: skip */
    }
  }
  return undefined;
}

export function tryRoutes(sb: Sandbox): Router {
  const r = Router();
  const acsUrl = () => `${sb.config.publicUrl}/try/acs`;

  r.post('/services/:id/try', (req, res) => {
    const s = sb.registry.require(String(req.params.id));
    const key = s.mpass ? heldKey(sb.config.fixturesDir, s) : undefined;
    if (!s.mpass || !key) throw new SandboxError(rejection('ERR_NOT_FOUND', `/services/${s.id}/try`, { message: 'The sandbox holds no private key for this service, so it cannot sign its AuthnRequest.', fix: 'Try a login with a built-in example (EcoAlert), or start one from your own service.' }));
    const id = `_${crypto.randomUUID()}`;
    const xml =
      `<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${id}" Version="2.0" IssueInstant="${sb.clock.now().toISOString()}" ` +
      `Destination="${escapeXml(sb.mpass.ssoUrl)}" AssertionConsumerServiceURL="${escapeXml(acsUrl())}" ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST">` +
      `<saml:Issuer>${escapeXml(s.mpass.issuer)}</saml:Issuer><samlp:NameIDPolicy AllowCreate="true"/></samlp:AuthnRequest>`;
    const signed = signEnveloped(xml, 'AuthnRequest', id, { key });
    deliver(req, res, { binding: 'HTTP-POST', action: `${sb.mpass.ssoUrl}?lang=${pageLang(req)}`, fields: { SAMLRequest: Buffer.from(signed).toString('base64'), RelayState: s.id } });
  });

  r.post('/try/acs', (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const d = decodePasted(String(body.SAMLResponse ?? ''), sb.config.maxSamlBytes);
    if ('error' in d) throw new SandboxError(rejection('ERR_BINDING_MISSING', 'SAMLResponse', { message: d.error }));
    const verdict = verdictOn(d, sb);
    const service = typeof body.RelayState === 'string' ? sb.registry.get(body.RelayState) : undefined;
    renderPage(req, res, 'try-result', { title: 'MPass', service, summary: summarize(d.xml), verdict, html: highlightXml(d.xml) });
  });
  return r;
}
