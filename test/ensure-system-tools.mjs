#!/usr/bin/env node
// Run before the tests (npm's pretest): installs the Debian tools the tests use as real peers when
// they are missing — xmlsec1 (XML signatures), pdfsig from poppler-utils (signed PDFs), chromium (pages),
// openssl (reading the .pfx files the mock STISC issues), qpdf (structure check of the filled integration form).
// Where apt-get is not available it says exactly what to install and stops.
import { execSync, spawnSync } from 'node:child_process';

const tools = [
  { bin: 'xmlsec1', pkg: 'xmlsec1' },
  { bin: 'pdfsig', pkg: 'poppler-utils' },
  { bin: 'chromium', pkg: 'chromium' },
  { bin: 'openssl', pkg: 'openssl' },
  { bin: 'qpdf', pkg: 'qpdf' },
];
const has = (bin) => spawnSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' }).status === 0;
const missing = tools.filter((t) => !has(t.bin));
if (missing.length === 0) process.exit(0);

const pkgs = [...new Set(missing.map((t) => t.pkg))].join(' ');
if (!has('apt-get')) {
  console.error(`The tests need ${missing.map((t) => t.bin).join(', ')}. Install them (Debian/Ubuntu: apt-get install ${pkgs}; macOS: brew install libxmlsec1 poppler chromium) and run npm test again.`);
  process.exit(1);
}
const sudo = process.getuid && process.getuid() !== 0 ? 'sudo ' : '';
console.log(`Installing ${pkgs} for the tests (apt-get)…`);
try {
  execSync(`${sudo}apt-get update -qq && ${sudo}env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ${pkgs}`, { stdio: 'inherit' });
} catch {
  console.error(`apt-get could not install ${pkgs}. Install them by hand (apt-get install ${pkgs}) and run npm test again.`);
  process.exit(1);
}
const still = missing.filter((t) => !has(t.bin));
if (still.length) {
  console.error(`Still missing after apt-get: ${still.map((t) => t.bin).join(', ')}.`);
  process.exit(1);
}
