/**
 * Bundles the `signpost` CLI into dist/signpost.mjs, which `npm start` runs on plain Node (no tsx at
 * run time, so less memory: docs/ingest.md, "Memory (third session)"). Takes about a second, so the
 * start scripts build every time and the bundle is never stale.
 *
 *   node scripts/build.mjs            (from apps/worker)
 *
 * Also used by bench/ingest to run itself the same way (buildBundle with another entry point).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
const workerDir = path.resolve(here, '..');

/**
 * In a bundle every module's import.meta.url is the bundle's own. The sources use theirs to find files
 * that stay where they are in the checkout (the migrations, init-data-dir.mjs, data/), so each module
 * gets its original file URL back.
 */
const sourceImportMetaUrl = {
  name: 'source-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.(ts|tsx)$/ }, async (args) => {
      if (args.path.split(path.sep).includes('node_modules')) return undefined;
      const text = await fs.promises.readFile(args.path, 'utf8');
      return {
        contents: text.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)),
        loader: args.path.endsWith('.tsx') ? 'tsx' : 'ts',
      };
    });
  },
};

/** The scoring pool's thread (src/pipeline/scoring-pool.ts), bundled beside every bundle as scoring-thread.mjs. */
const scoringThreadEntry = path.join(workerDir, 'src', 'pipeline', 'scoring-thread.ts');

/**
 * Bundles `entry` (TypeScript) and everything it imports, but PGlite and piscina, into one ES module at
 * `outfile`, and the scoring thread beside it (scoring-thread.mjs): a worker thread runs a file of its
 * own, which the bundle finds through its own URL (__SIGNPOST_BUNDLE_URL__).
 */
export async function buildBundle(entry, outfile) {
  await Promise.all([
    bundleOne(entry, outfile, { __SIGNPOST_BUNDLE_URL__: '__signpostBundleUrl' }),
    bundleOne(scoringThreadEntry, path.join(path.dirname(outfile), 'scoring-thread.mjs'), {}),
  ]);
}

async function bundleOne(entry, outfile, define) {
  const result = await build({
    entryPoints: [entry],
    outfile,
    define,
    write: false,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // PGlite loads its WebAssembly and data files from beside its own module; pg's native binding
    // is optional and absent; piscina starts its threads from its own worker.js, found beside its module.
    external: ['@electric-sql/pglite', 'pg-native', 'piscina'],
    // The CommonJS dependencies inside an ES module still call require(); the bundle's own URL
    // (import.meta.url in the sources is theirs, see sourceImportMetaUrl) locates scoring-thread.mjs.
    banner: {
      js: "import { createRequire as __signpostCreateRequire } from 'node:module'; const require = __signpostCreateRequire(import.meta.url); const __signpostBundleUrl = import.meta.url;",
    },
    // JSX as the dashboard compiles it (tsconfig.base.json).
    jsx: 'automatic',
    jsxImportSource: 'hono/jsx',
    plugins: [sourceImportMetaUrl],
    logLevel: 'warning',
  });
  // Written beside and renamed into place: processes starting together (several worker units) each
  // build, and none may start from a half-written file.
  fs.mkdirSync(path.dirname(outfile), { recursive: true });
  const temporary = `${outfile}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, result.outputFiles[0].contents);
  fs.renameSync(temporary, outfile);
}

if (process.argv[1] && fs.realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildBundle(path.join(workerDir, 'src', 'main.ts'), path.join(workerDir, 'dist', 'signpost.mjs'));
}
