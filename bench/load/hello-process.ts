/**
 * The load bench's baseline server in a process of its own, like the dashboard it is compared with:
 * a bare Hono hello-world on loopback. Prints `{"url"}` on stdout once listening; exits when stdin closes.
 *
 *   npx tsx bench/load/hello-process.ts
 */
import { createRequire } from 'node:module';
import { serveApp } from '../../packages/dashboard/src/serve.ts';

// hono is the dashboard's dependency, not the repository root's.
interface HelloApp {
  get(path: string, handler: (c: { text(body: string): Response }) => Response): void;
  fetch(req: Request): Response | Promise<Response>;
}
const { Hono } = createRequire(new URL('../../packages/dashboard/package.json', import.meta.url))('hono') as { Hono: new () => HelloApp };
const app = new Hono();
app.get('/*', (c) => c.text('Hello, world!'));
const server = await serveApp(app, { host: '127.0.0.1', port: 0 });
process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
process.stdin.resume();
process.stdin.on('end', () => void server.close().then(() => process.exit(0)));
