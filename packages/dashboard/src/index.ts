export { createApp } from './app.tsx';
export type { AppDeps, DashboardApp } from './app.tsx';
export { serveApp } from './serve.ts';
export type { RunningServer } from './serve.ts';
export { REVIEW_BAND } from './context.tsx';
export type { DigestPreviewDeps } from './routes/digest-preview.tsx';
export type { DashboardContext, DashboardEnv } from './context.tsx';
