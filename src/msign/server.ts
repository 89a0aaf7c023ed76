// The MSign SOAP endpoint: HTTPS on MSIGN_TLS_PORT at /MSign.svc, requesting a TLS client certificate
// (MSIGN.md §2). The handshake accepts any certificate (rejectUnauthorized: false) so that a missing or
// unknown one is answered with an AuthenticationFailed fault naming the serial and the fix, instead of
// a handshake failure the integrator cannot read.
import https from 'node:https';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { applyLimits, serverOptions, type ConnectionLimits } from '../net/limits.js';
import type { Pki } from '../pki/index.js';
import type { KeyPair } from '../pki/certificates.js';
import { tooManyElements } from '../xml/bounds.js';
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

export function startMSignServer(msign: MSign, pki: Pki, opts: { port: number; host?: string; publicHost?: string; maxSoapBytes: number; limits: ConnectionLimits }): Promise<MSignServer> {
  const key = tlsServerKey(pki, opts.publicHost);
  const limits = opts.limits;
  // The address the WSDL announces: the configured public host, never the caller's Host header (issue 9).
  let address = '';
  const server = https.createServer(
    {
      ...serverOptions(limits),
      // A client that opens the TCP connection and never finishes the handshake holds a socket until then.
      handshakeTimeout: limits.tlsHandshakeTimeoutMs,
      key: key.privateKeyPem,
      cert: key.certificatePem,
      ca: [pki.ca.certificatePem],
      requestCert: true,
      rejectUnauthorized: false,
    },
    (req, res) => {
      handle(msign, req, res, opts.maxSoapBytes, address).catch(() => {
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
    },
  );
  applyLimits(server, limits);
  server.on('tlsClientError', () => undefined); // garbage or aborted handshakes: the socket is dropped, the process stays up
  server.on('clientError', (_e, socket) => socket.destroy());
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      const port = (server.address() as AddressInfo).port;
      address = `https://${opts.publicHost && !opts.publicHost.includes(":") ? opts.publicHost : "localhost"}:${port}/MSign.svc`;
      resolve({
        server,
        url: address,
        close: () =>
          new Promise<void>((r) => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      });
    });
  });
}

async function handle(msign: MSign, req: IncomingMessage, res: ServerResponse, maxBytes: number, address: string): Promise<void> {
  const url = new URL(req.url ?? '/', 'https://localhost');
  if (url.pathname.toLowerCase() !== '/msign.svc') {
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found. The MSign SOAP endpoint is /MSign.svc (WSDL: /MSign.svc?singleWsdl).\n');
    return;
  }
  if (req.method === 'GET') {
    const q = [...url.searchParams.keys()].map((k) => k.toLowerCase());
    if (q.includes('wsdl') || q.includes('singlewsdl')) {
      res.writeHead(200, { 'Content-Type': 'text/xml; charset=utf-8' }).end(msign.wsdl(address));
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' }).end('MSign sandbox SOAP service. WSDL: /MSign.svc?singleWsdl\n');
    return;
  }
  if (req.method !== 'POST') {
    res.writeHead(405, { Allow: 'GET, POST', 'Content-Type': 'text/plain; charset=utf-8' }).end('Use POST for SOAP calls or GET ?singleWsdl for the WSDL.\n');
    return;
  }
  // MSIGN.md §2: the caller is known from the TLS handshake alone (certificate serial, IP). Decide before reading
  // a byte of the body, so an unknown client cannot make the sandbox buffer 50 MB (issue 9).
  const socket = req.socket as TLSSocket;
  const peer = socket.getPeerCertificate?.();
  const admitted = msign.admit(peer && peer.raw ? peer.raw : undefined, socket.remoteAddress ?? '');
  if ('answer' in admitted) {
    refuse(req, res, admitted.answer.status, admitted.answer.contentType, admitted.answer.body, maxBytes);
    return;
  }
  const declared = Number(req.headers['content-length'] ?? 0);
  const read = declared > maxBytes ? ({ kind: 'tooLarge' } as const) : await readBody(req, maxBytes, markupBound(msign.maxXmlElements));
  if (read.kind === 'tooLarge') {
    const f = invalid('(body)', `The message is larger than the ${maxBytes} bytes this sandbox accepts (MAX_SOAP_BYTES).`, 'Send smaller or fewer contents per SignRequest, or raise MAX_SOAP_BYTES.');
    refuse(req, res, 413, 'text/xml; charset=utf-8', faultEnvelope(f), maxBytes);
    return;
  }
  if (read.kind === 'tooMuchMarkup') {
    const e = tooManyElements('s:Envelope', msign.maxXmlElements);
    const answer = msign.refuseEarly(admitted.service, invalid(e.rejection.where, e.rejection.message, e.rejection.fix, { expected: e.rejection.expected }));
    refuse(req, res, answer.status, answer.contentType, answer.body, maxBytes);
    return;
  }
  const chunks = read.chunks;
  const answer = await msign.handleSoap({
    body: Buffer.concat(chunks).toString('utf8'),
    contentType: req.headers['content-type'],
    soapAction: req.headers.soapaction as string | undefined,
    clientCertificate: peer && peer.raw ? peer.raw : undefined,
    remoteAddress: socket.remoteAddress ?? '',
    service: admitted.service,
  });
  res.writeHead(answer.status, { 'Content-Type': answer.contentType }).end(answer.body);
}

/** Raw `<` characters only appear in markup (tags, comments, CDATA, PIs): far more than two per allowed element is no MSign message. */
const markupBound = (maxElements: number) => 2 * maxElements + 1024;

type BodyRead = { kind: 'ok'; chunks: Buffer[] } | { kind: 'tooLarge' } | { kind: 'tooMuchMarkup' };

/**
 * Read the body up to maxBytes, counting `<` bytes chunk by chunk as they arrive, so 49 MB of `<x/>` is refused
 * after its first chunks, before it is buffered, decoded or scanned as a whole (issue 9). The exact element
 * count (MAX_XML_ELEMENTS) is checked on the decoded text by parseXml.
 */
function readBody(req: IncomingMessage, maxBytes: number, maxMarkup: number): Promise<BodyRead> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let markup = 0;
    const done = (r: BodyRead) => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onEnd);
      if (r.kind !== 'ok') req.pause();
      resolve(r);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) return done({ kind: 'tooLarge' });
      for (let i = chunk.indexOf(0x3c); i >= 0; i = chunk.indexOf(0x3c, i + 1)) {
        if (++markup > maxMarkup) return done({ kind: 'tooMuchMarkup' });
      }
      chunks.push(chunk);
    };
    const onEnd = () => done({ kind: 'ok', chunks });
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onEnd);
  });
}

/**
 * Answer before the rest of the body is read. The rest is never buffered: it is drained and discarded (at most
 * MAX_SOAP_BYTES, within REQUEST_TIMEOUT_MS), so a client still uploading — often busy encrypting its whole
 * body — reads the fault instead of a connection reset. A body declared larger than MAX_SOAP_BYTES is not worth
 * draining: that connection is closed once the answer is out.
 */
function refuse(req: IncomingMessage, res: ServerResponse, status: number, contentType: string, body: string, maxBytes: number): void {
  const declared = Number(req.headers['content-length'] ?? 0);
  const close = !(declared <= maxBytes);
  if (close) res.shouldKeepAlive = false;
  res.writeHead(status, { 'Content-Type': contentType, ...(close ? { Connection: 'close' } : {}) }).end(body);
  let drained = 0;
  req.removeAllListeners('data');
  req.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > maxBytes) req.socket.destroy();
  });
  req.resume();
}
