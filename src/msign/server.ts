// The MSign SOAP endpoint: HTTPS on MSIGN_TLS_PORT at /MSign.svc, requesting a TLS client certificate
// (MSIGN.md §2). The handshake accepts any certificate (rejectUnauthorized: false) so that a missing or
// unknown one is answered with an AuthenticationFailed fault naming the serial and the fix, instead of
// a handshake failure the integrator cannot read.
import https from 'node:https';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { Pki } from '../pki/index.js';
import type { KeyPair } from '../pki/certificates.js';
import { faultEnvelope, invalid } from './soap/faults.js';
import type { MSign } from './index.js';

/**
 * The TLS server certificate, issued by the sandbox CA (clients trust /meta/ca.pem). It names localhost and,
 * when PUBLIC_URL names another host (Docker, a LAN name), that host too — one certificate per host name.
 */
export function tlsServerKey(pki: Pki, publicHost = 'localhost'): KeyPair {
  const local = ['localhost', '127.0.0.1', '[::1]', '::1'].includes(publicHost);
  const host = publicHost.replace(/^\[|\]$/g, '');
  const isIp = net.isIP(host) !== 0;
  return pki.keyPair(local ? 'msign-tls' : `msign-tls-${host.replace(/[^a-z0-9.-]/gi, '_')}`, () => ({
    subject: [
      { name: 'CN', value: local ? 'localhost' : host },
      { name: 'O', value: 'MSign Sandbox' },
      { name: 'C', value: 'MD' },
    ],
    issuer: pki.ca,
    validDays: 825,
    keyUsage: { digitalSignature: true, keyEncipherment: true },
    extKeyUsage: { serverAuth: true },
    subjectAltNames: [{ dns: 'localhost' }, { ip: '127.0.0.1' }, { ip: '::1' }, ...(local ? [] : [isIp ? { ip: host } : { dns: host }])],
  }));
}

export interface MSignServer {
  server: https.Server;
  url: string;
  close(): Promise<void>;
}

export function startMSignServer(msign: MSign, pki: Pki, opts: { port: number; host?: string; publicHost?: string; maxSoapBytes: number }): Promise<MSignServer> {
  const key = tlsServerKey(pki, opts.publicHost);
  const server = https.createServer(
    {
      key: key.privateKeyPem,
      cert: key.certificatePem,
      ca: [pki.ca.certificatePem],
      requestCert: true,
      rejectUnauthorized: false,
    },
    (req, res) => {
      handle(msign, req, res, opts.maxSoapBytes).catch(() => {
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
    },
  );
  server.headersTimeout = 30_000;
  server.requestTimeout = 120_000;
  server.on('tlsClientError', () => undefined); // garbage or aborted handshakes: the socket is dropped, the process stays up
  server.on('clientError', (_e, socket) => socket.destroy());
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      const port = (server.address() as AddressInfo).port;
      resolve({
        server,
        url: `https://${opts.publicHost && !opts.publicHost.includes(":") ? opts.publicHost : "localhost"}:${port}/MSign.svc`,
        close: () =>
          new Promise<void>((r) => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      });
    });
  });
}

async function handle(msign: MSign, req: IncomingMessage, res: ServerResponse, maxBytes: number): Promise<void> {
  const url = new URL(req.url ?? '/', 'https://localhost');
  if (url.pathname.toLowerCase() !== '/msign.svc') {
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found. The MSign SOAP endpoint is /MSign.svc (WSDL: /MSign.svc?singleWsdl).\n');
    return;
  }
  if (req.method === 'GET') {
    const q = [...url.searchParams.keys()].map((k) => k.toLowerCase());
    if (q.includes('wsdl') || q.includes('singlewsdl')) {
      const host = req.headers.host ?? `localhost:${(req.socket as TLSSocket).localPort}`;
      res.writeHead(200, { 'Content-Type': 'text/xml; charset=utf-8' }).end(msign.wsdl(`https://${host}/MSign.svc`));
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' }).end('MSign sandbox SOAP service. WSDL: /MSign.svc?singleWsdl\n');
    return;
  }
  if (req.method !== 'POST') {
    res.writeHead(405, { Allow: 'GET, POST', 'Content-Type': 'text/plain; charset=utf-8' }).end('Use POST for SOAP calls or GET ?singleWsdl for the WSDL.\n');
    return;
  }
  const declared = Number(req.headers['content-length'] ?? 0);
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = declared > maxBytes;
  if (!tooLarge) {
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > maxBytes) {
        tooLarge = true;
        break;
      }
      chunks.push(chunk as Buffer);
    }
  }
  if (tooLarge) {
    const f = invalid('(body)', `The message is larger than the ${maxBytes} bytes this sandbox accepts (MAX_SOAP_BYTES).`, 'Send smaller or fewer contents per SignRequest, or raise MAX_SOAP_BYTES.');
    res.writeHead(413, { 'Content-Type': 'text/xml; charset=utf-8', Connection: 'close' }).end(faultEnvelope(f));
    req.socket.destroySoon?.();
    return;
  }
  const socket = req.socket as TLSSocket;
  const peer = socket.getPeerCertificate?.();
  const answer = await msign.handleSoap({
    body: Buffer.concat(chunks).toString('utf8'),
    contentType: req.headers['content-type'],
    soapAction: req.headers.soapaction as string | undefined,
    clientCertificate: peer && peer.raw ? peer.raw : undefined,
    remoteAddress: socket.remoteAddress ?? '',
  });
  res.writeHead(answer.status, { 'Content-Type': answer.contentType }).end(answer.body);
}
