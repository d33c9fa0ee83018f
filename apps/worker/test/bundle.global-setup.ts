// vitest globalSetup: builds dist/signpost.mjs once per run, for the tests that spawn the real CLI
// (signpostNodeArgs) as `npm start` runs it.
export { buildSignpostBundle as default } from '../src/node-flags.ts';
