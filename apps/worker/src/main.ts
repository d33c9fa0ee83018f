// Entry point of the bundled CLI (scripts/build.mjs → dist/signpost.mjs, which `npm start` runs);
// under tsx, src/cli.ts is its own entry point.
import { runCli } from './cli.ts';

runCli(process.argv.slice(2)).then((code) => process.exit(code));
