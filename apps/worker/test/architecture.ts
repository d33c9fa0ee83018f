/**
 * The repository's boundaries as a check (CONTRIBUTING.md, "Architecture"):
 *
 *   1. a package never depends on an app (package.json or an import);
 *   2. an app never depends on another app;
 *   3. no import reaches into another unit by a relative path (`../../packages/x/src/...`): units
 *      meet through their package names and exports;
 *   4. inside an app, only the CLI (cli.ts) imports `commands/` (and tests, which may drive a
 *      command): jobs, the pipeline, the digest and the dashboard assembly are called by commands,
 *      never the reverse.
 *
 * `checkBoundaries` is pure (units and files in, violations out), so a test can prove it fails on a
 * bad layout; `readRepository` gathers the real units and files.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export interface Unit {
  /** Folder relative to the repository root, e.g. `packages/db`. */
  dir: string;
  /** Its package.json name, e.g. `@signpost/db`. */
  name: string;
  kind: 'app' | 'package';
  /** Every dependency named in package.json (dependencies, devDependencies, peerDependencies). */
  dependencies: string[];
}

export interface SourceFile {
  /** Relative to the repository root, with forward slashes. */
  path: string;
  text: string;
}

export interface Violation {
  rule: 'package-imports-app' | 'app-imports-app' | 'relative-import-across-units' | 'module-imports-command';
  /** `FILE: ...` or `DIR/package.json: ...`, saying what was found. */
  message: string;
}

/** Files an app may import commands from: its CLI, which dispatches to them. */
const COMMAND_LOADERS = new Set(['src/cli.ts']);

function unitOf(units: Unit[], file: string): Unit | undefined {
  return units.find((u) => file === u.dir || file.startsWith(`${u.dir}/`));
}

function unitNamed(units: Unit[], specifier: string): Unit | undefined {
  return units.find((u) => specifier === u.name || specifier.startsWith(`${u.name}/`));
}

/** What `specifier` in `file` points at: a unit, and for relative specifiers the resolved path. */
function target(units: Unit[], file: string, specifier: string): { unit?: Unit; resolved?: string } {
  if (specifier.startsWith('.')) {
    const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
    return { unit: unitOf(units, resolved), resolved };
  }
  return { unit: unitNamed(units, specifier) };
}

export function checkBoundaries(input: { units: Unit[]; files: SourceFile[] }): Violation[] {
  const { units, files } = input;
  const violations: Violation[] = [];
  const dependencyRule = (from: Unit, to: Unit): Violation['rule'] | null => {
    if (from === to || to.kind !== 'app') return null;
    return from.kind === 'package' ? 'package-imports-app' : 'app-imports-app';
  };

  for (const unit of units) {
    for (const dep of unit.dependencies) {
      const to = unitNamed(units, dep);
      const rule = to && to.name === dep ? dependencyRule(unit, to) : null;
      if (rule) violations.push({ rule, message: `${unit.dir}/package.json: ${unit.kind} ${unit.name} depends on the app ${to!.name}` });
    }
  }

  for (const file of files) {
    const from = unitOf(units, file.path);
    if (!from) continue;
    const inUnit = file.path.slice(from.dir.length + 1);
    for (const { fileName: specifier } of ts.preProcessFile(file.text, true, true).importedFiles) {
      const { unit: to, resolved } = target(units, file.path, specifier);
      if (to) {
        const rule = dependencyRule(from, to);
        if (rule)
          violations.push({ rule, message: `${file.path}: ${from.kind} ${from.name} imports "${specifier}" of the app ${to.name}` });
        if (resolved && to !== from) {
          violations.push({
            rule: 'relative-import-across-units',
            message: `${file.path}: imports "${specifier}" inside ${to.dir} by a relative path; import ${to.name} instead`,
          });
        }
      }
      const commandTarget = to === from && from.kind === 'app' && resolved?.startsWith(`${from.dir}/src/commands/`);
      const fromCommand = inUnit.startsWith('src/commands/');
      // A test may drive a command (feeds/opml.test.ts runs `feeds import`); no module may depend on one.
      const isTest = /\.test\.tsx?$/.test(inUnit);
      if (commandTarget && !fromCommand && !isTest && !COMMAND_LOADERS.has(inUnit)) {
        violations.push({
          rule: 'module-imports-command',
          message: `${file.path}: imports "${specifier}"; commands call modules (jobs, pipeline, digest), not the reverse`,
        });
      }
    }
  }
  return violations;
}

const SOURCE = /\.(ts|tsx|mts|mjs|js)$/;
const SCANNED = ['src', 'test', 'scripts'];

function listFiles(root: string, dir: string): string[] {
  const full = path.join(root, dir);
  if (!fs.existsSync(full)) return [];
  return fs.readdirSync(full, { withFileTypes: true }).flatMap((entry) => {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name === 'dist' ? [] : listFiles(root, rel);
    return SOURCE.test(entry.name) ? [rel] : [];
  });
}

/** Every unit under apps/ and packages/ and every source file in their src/, test/ and scripts/. */
export function readRepository(root: string): { units: Unit[]; files: SourceFile[] } {
  const units: Unit[] = [];
  for (const [folder, kind] of [
    ['apps', 'app'],
    ['packages', 'package'],
  ] as const) {
    for (const name of fs.readdirSync(path.join(root, folder)).sort()) {
      const manifest = path.join(root, folder, name, 'package.json');
      if (!fs.existsSync(manifest)) continue;
      const json = JSON.parse(fs.readFileSync(manifest, 'utf8')) as Record<string, Record<string, string> | string | undefined>;
      const deps = ['dependencies', 'devDependencies', 'peerDependencies'].flatMap((k) =>
        Object.keys((json[k] as Record<string, string> | undefined) ?? {}),
      );
      units.push({ dir: `${folder}/${name}`, name: String(json.name), kind, dependencies: deps });
    }
  }
  const files = units
    .flatMap((u) => SCANNED.flatMap((d) => listFiles(root, `${u.dir}/${d}`)))
    .map((p) => ({ path: p, text: fs.readFileSync(path.join(root, p), 'utf8') }));
  return { units, files };
}
