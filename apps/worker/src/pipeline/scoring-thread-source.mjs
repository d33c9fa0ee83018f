// The scoring thread from source (tsx, vitest): a worker thread does not inherit vitest's TypeScript
// support, so this loads scoring-thread.ts through tsx. The bundle uses dist/scoring-thread.mjs instead.
import { tsImport } from 'tsx/esm/api';

const thread = await tsImport('./scoring-thread.ts', import.meta.url);
export default thread.default;
export const threadStatus = thread.threadStatus;
