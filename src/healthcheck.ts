// The image's HEALTHCHECK: GET /health on this container's main port, over TLS when PUBLIC_URL is https —
// verifying the server certificate against the sandbox CA in CERTS_DIR under the PUBLIC_URL host name, so the check
// also proves the certificate the services will see (a team's TLS_CERT_FILE chains to their own CA: not verified
// here). Exit 0 = healthy.
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { loadConfig } from './config.js';

const config = loadConfig();
const u = new URL(config.publicUrl);
const tls = u.protocol === 'https:';
const caFile = path.join(config.certsDir, 'ca.cer.pem');
const options: https.RequestOptions = {
  host: '127.0.0.1',
  port: config.port,
  path: '/health',
  timeout: 2500,
  ...(tls ? { servername: u.hostname, ca: fs.existsSync(caFile) ? fs.readFileSync(caFile) : undefined, rejectUnauthorized: !config.tlsCertFile } : {}),
};
const req = (tls ? https : http).get(options, (res) => {
  res.resume();
  process.exit(res.statusCode === 200 ? 0 : 1);
});
req.on('timeout', () => req.destroy(new Error('timeout')));
req.on('error', (e) => {
  process.stderr.write(`health check failed: ${e.message}\n`);
  process.exit(1);
});
