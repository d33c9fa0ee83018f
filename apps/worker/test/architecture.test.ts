import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkBoundaries, readRepository, type SourceFile, type Unit } from './architecture.ts';

const root = path.resolve(import.meta.dirname, '../../..');

describe('the boundaries between apps and packages (CONTRIBUTING.md, "Architecture")', () => {
  it('hold in this repository', () => {
    const repo = readRepository(root);
    // The check saw the real layout: every app and package, and their sources.
    expect(repo.units.map((u) => u.name)).toEqual(
      expect.arrayContaining(['@signpost/worker', '@signpost/dashboard', '@signpost/digest', '@signpost/db']),
    );
    expect(repo.files.length).toBeGreaterThan(100);
    expect(checkBoundaries(repo).map((v) => v.message)).toEqual([]);
  });

  it('fail on a layout that breaks each rule', () => {
    const units: Unit[] = [
      { dir: 'apps/worker', name: '@signpost/worker', kind: 'app', dependencies: ['@signpost/db', '@signpost/dashboard'] },
      { dir: 'apps/admin', name: '@signpost/admin', kind: 'app', dependencies: ['@signpost/worker'] },
      { dir: 'packages/dashboard', name: '@signpost/dashboard', kind: 'package', dependencies: ['@signpost/worker', 'hono'] },
      { dir: 'packages/db', name: '@signpost/db', kind: 'package', dependencies: [] },
    ];
    const files: SourceFile[] = [
      // Allowed: the CLI loads commands, a command calls the job, an app imports packages.
      { path: 'apps/worker/src/cli.ts', text: "const { startCommand } = await import('./commands/start.ts');" },
      { path: 'apps/worker/src/feeds/opml.test.ts', text: "import { feedsImportCommand } from '../commands/feeds-import.ts';" },
      {
        path: 'apps/worker/src/commands/digest.ts',
        text: "import { createDigestJob } from '../digest/digest-job.ts';\nimport { listForecasts } from '@signpost/db';",
      },
      // Broken: a job reaching up into a command (the digest-job.ts of issue #16).
      { path: 'apps/worker/src/digest/digest-job.ts', text: "import { digestPublicUrl } from '../commands/digest.ts';" },
      { path: 'apps/worker/src/pipeline/refresh-feed.ts', text: "export { runCommand } from '../commands/run.ts';" },
      // Broken: a package importing an app, by name and by a relative path.
      {
        path: 'packages/dashboard/src/app.tsx',
        text: "import type { WorkerEnv } from '@signpost/worker/src/env.ts';\nimport { x } from '../../../apps/worker/src/env.ts';",
      },
      // Broken: an app importing another app; a relative path into a package.
      {
        path: 'apps/admin/src/main.ts',
        text: "import { startCommand } from '@signpost/worker';\nimport { createDb } from '../../../packages/db/src/create-db.ts';",
      },
    ];
    const found = checkBoundaries({ units, files });
    expect(found.map((v) => `${v.rule} ${v.message}`)).toEqual([
      'app-imports-app apps/admin/package.json: app @signpost/admin depends on the app @signpost/worker',
      'package-imports-app packages/dashboard/package.json: package @signpost/dashboard depends on the app @signpost/worker',
      'module-imports-command apps/worker/src/digest/digest-job.ts: imports "../commands/digest.ts"; commands call modules (jobs, pipeline, digest), not the reverse',
      'module-imports-command apps/worker/src/pipeline/refresh-feed.ts: imports "../commands/run.ts"; commands call modules (jobs, pipeline, digest), not the reverse',
      'package-imports-app packages/dashboard/src/app.tsx: package @signpost/dashboard imports "@signpost/worker/src/env.ts" of the app @signpost/worker',
      'package-imports-app packages/dashboard/src/app.tsx: package @signpost/dashboard imports "../../../apps/worker/src/env.ts" of the app @signpost/worker',
      'relative-import-across-units packages/dashboard/src/app.tsx: imports "../../../apps/worker/src/env.ts" inside apps/worker by a relative path; import @signpost/worker instead',
      'app-imports-app apps/admin/src/main.ts: app @signpost/admin imports "@signpost/worker" of the app @signpost/worker',
      'relative-import-across-units apps/admin/src/main.ts: imports "../../../packages/db/src/create-db.ts" inside packages/db by a relative path; import @signpost/db instead',
    ]);
  });
});
