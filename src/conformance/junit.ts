// JUnit XML for CI systems (the de-facto schema of Ant/Jenkins/GitLab/GitHub test reporters): one testsuite
// per run, one testcase per case; a failed case carries <failure>, an unrunnable one <error>, each with the
// reason as message and the evidence as text, so the CI page shows why without opening the sandbox.
import type { ConformanceRun } from './runner.js';

const esc = (s: string) =>
  s
    // XML 1.0 §2.2: control characters other than tab, LF, CR cannot appear, not even as references.
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');

export function junitXml(run: ConformanceRun, reportUrl: string): string {
  const seconds = (ms: number) => (ms / 1000).toFixed(3);
  const total = run.cases.reduce((n, c) => n + c.durationMs, 0);
  const cases = run.cases.map((c) => {
    const name = `${c.id}: ${c.title}`;
    const classname = `mpass.${c.testCase ?? 'extra'}`;
    const detail = [
      `expected: ${c.expected}`,
      `reason: ${c.reason}`,
      c.fix ? `fix: ${c.fix}` : '',
      c.evidence.serviceAnswer ? `service answered: HTTP ${c.evidence.serviceAnswer.status}${c.evidence.serviceAnswer.location ? ` → ${c.evidence.serviceAnswer.location}` : ''} ${c.evidence.serviceAnswer.bodyExcerpt}` : '',
      c.evidence.checkStatus !== null ? `checkUrl answered: HTTP ${c.evidence.checkStatus}` : '',
      `report: ${reportUrl}#${c.id}`,
    ].filter(Boolean).join('\n');
    const body =
      c.verdict === 'fail'
        ? `<failure message="${esc(c.reason)}" type="${esc(c.expected === 'reject' ? 'MustReject' : 'MustAccept')}">${esc(detail)}</failure>`
        : c.verdict === 'error'
          ? `<error message="${esc(c.reason)}" type="Unrunnable">${esc(detail)}</error>`
          : `<system-out>${esc(detail)}</system-out>`;
    return `    <testcase name="${esc(name)}" classname="${esc(classname)}" time="${seconds(c.durationMs)}">${body}</testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="MPass conformance" tests="${run.cases.length}" failures="${run.summary.failed}" errors="${run.summary.errors}" time="${seconds(total)}">`,
    `  <testsuite name="${esc(`MPass conformance: ${run.service.issuer}`)}" tests="${run.cases.length}" failures="${run.summary.failed}" errors="${run.summary.errors}" skipped="0" time="${seconds(total)}" timestamp="${esc(run.startedAt.replace(/\.\d+Z$/, ''))}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
