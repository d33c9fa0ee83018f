// Sums the vitest JSON reports every package wrote during `npm test` into the closing line CI reads.
import fs from 'node:fs';
import path from 'node:path';

/**
 * Each package's report, and the worker's second one: its process-level tests run as a turbo task of
 * their own (`test:process`), beside its fast ones, so that the two halves use both lanes.
 */
const REPORTS = ['.vitest-report.json', '.vitest-process-report.json'];
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
let passed = 0;
let failed = 0;
let skipped = 0;
const missing = [];
for (const group of ['apps', 'packages']) {
  for (const name of fs.readdirSync(path.join(root, group))) {
    const dir = path.join(root, group, name);
    if (!fs.existsSync(path.join(dir, 'package.json'))) continue;
    const { scripts = {} } = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    REPORTS.forEach((file, i) => {
      const report = path.join(dir, file);
      if (fs.existsSync(report)) count(JSON.parse(fs.readFileSync(report, 'utf8')));
      else if (i === 0 || scripts['test:process']) missing.push(`${group}/${name} (${file})`);
    });
  }
}

/** Adds one vitest JSON report to the totals. */
function count(r) {
  passed += r.numPassedTests ?? 0;
  failed += r.numFailedTests ?? 0;
  skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  // A test file that failed to load has no failed test but is a failure all the same.
  failed += (r.testResults ?? []).filter(
    (f) => f.status === 'failed' && (f.assertionResults ?? []).every((a) => a.status !== 'failed'),
  ).length;
}
const status = Number(process.argv[2] ?? 0);
// Further arguments `name=exitCode` are whole-tree checks (lint, format), one test each.
for (const arg of process.argv.slice(3)) {
  const [name, code] = arg.split('=');
  if (Number(code) === 0) passed++;
  else {
    failed++;
    console.log(`ci: ${name} failed (exit ${code})`);
  }
}
if (missing.length) {
  console.log(`ci: no test report from ${missing.join(', ')}`);
  // A package that never reported while `npm test` failed counts as one failure each.
  if (status !== 0) failed += missing.length;
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
