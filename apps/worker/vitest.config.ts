import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.ts';

/** `npm test`: everything but the long fault suite (src/faults, run by `npm run test:faults`). */
export default mergeConfig(shared, defineConfig({ test: { exclude: ['src/faults/**', '**/node_modules/**'], globalSetup: ['src/bundle.global-setup.ts'] } }));
