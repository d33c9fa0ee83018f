import type { WorkerEnv } from '../env.ts';

/** Where digest links point: SIGNPOST_PUBLIC_URL, else the dashboard's own address. */
export function digestPublicUrl(env: Pick<WorkerEnv, 'SIGNPOST_PUBLIC_URL' | 'HOST' | 'PORT'>): string {
  return env.SIGNPOST_PUBLIC_URL ?? `http://${env.HOST.includes(':') ? `[${env.HOST}]` : env.HOST}:${env.PORT}`;
}
