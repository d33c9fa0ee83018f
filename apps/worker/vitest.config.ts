import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.ts';

/** `npm test`: the fast and process projects (vitest.shared.ts); the fault suite is `npm run test:faults`. */
export default mergeConfig(shared, defineConfig({ test: { globalSetup: ['test/bundle.global-setup.ts'] } }));
