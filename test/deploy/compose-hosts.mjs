// Test-only stand-in for the Compose network's DNS: preloaded (NODE_OPTIONS=--import) into the processes the
// topology test starts, it resolves the names in COMPOSE_HOSTS (sandbox.test, service.test) to 127.0.0.1, as the
// network aliases of compose.yaml do inside Docker. Browsers get the same through --host-resolver-rules.
import dns from 'node:dns';

const names = new Set((process.env.COMPOSE_HOSTS ?? '').split(',').filter(Boolean));
const original = dns.lookup;
dns.lookup = function lookup(host, options, callback) {
  if (!names.has(host)) return original.call(this, host, options, callback);
  const cb = typeof options === 'function' ? options : callback;
  const opts = typeof options === 'object' && options !== null ? options : {};
  process.nextTick(() => (opts.all ? cb(null, [{ address: '127.0.0.1', family: 4 }]) : cb(null, '127.0.0.1', 4)));
  return undefined;
};
