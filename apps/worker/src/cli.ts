#!/usr/bin/env node
/**
 * The `signpost` command line (names in docs/contracts.md). Each command lives in commands/ and is
 * loaded only when used, so `signpost check` does not pay for the database driver.
 */
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { EnvError, loadWorkerEnv, type WorkerEnv } from './env.ts';

/** A command that belongs to a capability not built yet says so and exits 2. */
class NotYetError extends Error {}

/**
 * What a command refused beside a running `start` on the embedded database can do instead: the
 * running process does the same work itself (PGlite allows one process; see packages/db's lock).
 */
const BUSY_HINTS: Record<string, string> = {
  run: 'The running process fetches due feeds on its own schedule; its dashboard\'s admin page ("Run a cycle now") or `POST /api/admin/run` with the admin token starts a cycle at once.',
  backfill: 'The running process scores the archive against new and reworded forecasts on its next cycle.',
  train: 'Stop the running process, run `signpost train`, and start it again: it re-scores the adjusted forecasts on its first cycle.',
  'digest send': 'The running process sends the digest on the schedule in digest.yaml and retries failed sends itself.',
  'digest preview': 'The running process shows the preview on its dashboard at /admin/digest (admin login).',
};

function positiveInt(value: string): number {
  if (!/^[1-9]\d{0,5}$/.test(value)) throw new InvalidArgumentError('expected a whole number from 1');
  return Number(value);
}

function positiveNumber(value: string): number {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !(n > 0)) throw new InvalidArgumentError('expected a number above 0');
  return n;
}

function scorerChoice(value: string): string {
  if (value !== 'builtin' && value !== 'llm') throw new InvalidArgumentError('expected builtin or llm');
  return value;
}

function isoWeek(value: string): string {
  if (!/^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$/.test(value)) throw new InvalidArgumentError('expected an ISO week like 2026-W47');
  return value;
}

export interface CliIo {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

/** Builds the program; `result.code` holds the exit code of the action that ran. */
export function buildProgram(io: CliIo, result = { code: 0 }) {
  const env = (): WorkerEnv => loadWorkerEnv(io.env);
  const act =
    <A extends unknown[]>(fn: (...args: A) => Promise<number | void>, name?: string) =>
    async (...args: A) => {
      try {
        result.code = (await fn(...args)) ?? 0;
      } catch (error) {
        // The embedded database is held by another process (a running `start`): say who, and what to do instead.
        if (!(error instanceof Error && error.name === 'DatabaseInUseError')) throw error;
        const hint = name ? BUSY_HINTS[name] : undefined;
        io.err.write(`${error.message}${hint ? `\n${hint}` : ''}\n`);
        result.code = 1;
      }
    };
  const program = new Command('signpost')
    .description('Checks published forecasts against the news.')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out.write(s), writeErr: (s) => io.err.write(s) })
    .showHelpAfterError();

  program
    .command('start')
    .description('migrate, load config, run the scheduler and serve the dashboard in one process')
    .option('--no-dashboard', 'run the scheduler only (a worker beside `signpost serve` dashboards; PostgreSQL mode)')
    .action(
      act(async (opts: { dashboard: boolean }) => {
        const e = env();
        const { startCommand } = await import('./commands/start.ts');
        return startCommand(e, { dashboard: opts.dashboard });
      }),
    );

  program
    .command('serve')
    .description(
      'serve the dashboard alone, beside `start --no-dashboard` workers (PostgreSQL scale-out; the embedded database allows one process: use start)',
    )
    .action(
      act(async () => {
        const e = env();
        const { serveCommand } = await import('./commands/serve.ts');
        return serveCommand(e);
      }),
    );

  program
    .command('run')
    .description('one full cycle now: fetch due feeds, store, score new articles; prints a summary line')
    .option('--all', 'fetch every feed, not only the due ones')
    .action(
      act(async (opts: { all?: boolean }) => {
        const e = env();
        const { runCommand } = await import('./commands/run.ts');
        return runCommand(e, { all: opts.all, out: io.out, err: io.err });
      }, 'run'),
    );

  program
    .command('check')
    .description('validate every config file; print each problem as FILE:LINE: entry <id>: field: message')
    .action(
      act(async () => {
        const { SIGNPOST_DATA_DIR, SIGNPOST_CONFIG_MAX_BYTES } = env();
        const { checkCommand } = await import('./commands/check.ts');
        return checkCommand({ dataDir: SIGNPOST_DATA_DIR, maxBytes: SIGNPOST_CONFIG_MAX_BYTES, out: io.out });
      }),
    );

  program
    .command('score')
    .description('batch-score claim/article pairs from JSONL')
    .requiredOption('--input <file>', 'JSONL input, one {id, claim, title?, body, published?} per line')
    .option('--output <file>', 'JSONL output (default: stdout)')
    .action(
      act(async (opts: { input: string; output?: string }) => {
        const { scoreCommand } = await import('./commands/score.ts');
        return scoreCommand({ input: opts.input, output: opts.output, out: io.out });
      }),
    );

  program
    .command('backfill')
    .description('score stored articles against forecasts that lack a judgment from the current scorer')
    .option('--prediction <id>', 'only this forecast')
    .action(
      act(async (opts: { prediction?: string }) => {
        const e = env();
        const { backfillCommand } = await import('./commands/backfill.ts');
        return backfillCommand(e, { predictionId: opts.prediction, out: io.out, err: io.err });
      }, 'backfill'),
    );

  program
    .command('train')
    .description("learn each forecast's correction from the analysts' reviews on the dashboard; re-scored on the next cycle")
    .option('--min-reviews <n>', 'reviews a forecast needs before it is adjusted', positiveInt, 3)
    .option('--strength <x>', "prior strength: how many reviews it takes to move a forecast (default: the scorer's)", positiveNumber)
    .action(
      act(async (opts: { minReviews: number; strength?: number }) => {
        const e = env();
        const { trainCommand } = await import('./commands/train.ts');
        return trainCommand(e, { minReviews: opts.minReviews, strength: opts.strength, out: io.out });
      }, 'train'),
    );

  const digest = program.command('digest').description('the weekly digest e-mail');
  /** `digest preview` and `digest send`: the same week option, each its own command function. */
  const digestWeekCommand = (name: 'preview' | 'send', description: string) =>
    digest
      .command(name)
      .description(description)
      .option('--week <YYYY-Www>', 'ISO week', isoWeek)
      .action(
        act(async (opts: { week?: string }) => {
          const e = env();
          const commands = await import('./commands/digest.ts');
          const run = name === 'preview' ? commands.digestPreviewCommand : commands.digestSendCommand;
          return run(e, { week: opts.week, out: io.out, err: io.err });
        }, `digest ${name}`),
      );
  digestWeekCommand('preview', 'print the digest for an ISO week (default: last complete week) as text');
  digestWeekCommand('send', 'send the digest to every subscriber over SMTP, once per subscriber and week');

  /** The model for `eval --scorer llm` (from the environment), or null for the built-in scorer. */
  const evalModel = async (scorer: string) => {
    if (scorer !== 'llm') return null;
    const { createLlmSetup } = await import('./llm-setup.ts');
    const setup = createLlmSetup(env());
    if (!setup)
      throw new EnvError([
        'SIGNPOST_LLM_URL: --scorer llm needs a model: set SIGNPOST_LLM_URL and SIGNPOST_LLM_MODEL (README, "Bring your own language model")',
      ]);
    return setup;
  };
  /** The options `eval fnc1` and `eval corpus` share: which judge, and how many pairs. */
  const withJudgeOptions = (command: Command) =>
    command
      .option(
        '--scorer <which>',
        'builtin, or llm: the model of SIGNPOST_LLM_URL/SIGNPOST_LLM_MODEL judges the built-in candidates (spend printed)',
        scorerChoice,
        'builtin',
      )
      .option('--limit <n>', 'score only this many pairs, spread over the split', positiveInt);
  /** What every judged eval command takes from those options, and where it writes. */
  const judging = async (opts: { scorer: string; limit?: number }) => ({
    out: io.out,
    err: io.err,
    limit: opts.limit,
    llm: await evalModel(opts.scorer),
  });
  const evaluate = program.command('eval').description('evaluate the scorer on a public benchmark');
  const fnc1 = evaluate
    .command('fnc1')
    .description('score an FNC-1 split; print the FNC score, macro-F1 and the confusion matrix')
    .option('--data <dir>', 'the FNC-1 data folder (default: ../shared/data/fnc-1)')
    .option('--split <name>', 'split to score', 'competition_test');
  withJudgeOptions(fnc1).action(
    act(async (opts: { data?: string; split: string; scorer: string; limit?: number }) => {
      const { evalFnc1Command } = await import('./commands/eval.ts');
      return evalFnc1Command({
        data: opts.data,
        sharedDir: opts.data ? undefined : env().SIGNPOST_SHARED_DIR,
        split: opts.split,
        ...(await judging(opts)),
      });
    }),
  );
  evaluate
    .command('emergent')
    .description('score the Emergent test split (claim vs headline); print accuracy and the confusion matrix')
    .option('--data <dir>', 'the Emergent data folder (default: ../shared/data/emergent)')
    .action(
      act(async (opts: { data?: string }) => {
        const { evalEmergentCommand } = await import('./commands/eval.ts');
        return evalEmergentCommand({ data: opts.data, sharedDir: opts.data ? undefined : env().SIGNPOST_SHARED_DIR, out: io.out });
      }),
    );

  const corpus = evaluate
    .command('corpus')
    .description('score the forecast-stance corpus (datasets/forecast-stance); print macro-F1, per-class F1 and the confusion matrix')
    .option('--data <dir>', 'the corpus folder (default: datasets/forecast-stance in the repository)')
    .option('--split <name>', 'dev, test (held-out forecasts; scored only to report), late (later articles) or train', 'dev')
    .option(
      '--claim <what>',
      'record: each forecast with its signposts and keywords, as the worker scores it; statement: the statement alone',
      'record',
    );
  withJudgeOptions(corpus).action(
    act(async (opts: { data?: string; split: string; claim: string; scorer: string; limit?: number }) => {
      const { evalCorpusCommand } = await import('./commands/eval.ts');
      return evalCorpusCommand({ data: opts.data, split: opts.split, claim: opts.claim, ...(await judging(opts)) });
    }),
  );

  const realEvents = evaluate
    .command('real-events')
    .description('score a real-event set (datasets/real-events); print macro-F1, per-class F1, the confusion matrix and direction')
    .option('--data <dir>', 'the real-event folder (default: datasets/real-events in the repository)')
    .option('--split <name>', 'dev, test (scored only to report) or train', 'dev');
  withJudgeOptions(realEvents).action(
    act(async (opts: { data?: string; split: string; scorer: string; limit?: number }) => {
      const { evalRealEventsCommand } = await import('./commands/eval.ts');
      return evalRealEventsCommand({ data: opts.data, split: opts.split, ...(await judging(opts)) });
    }),
  );

  const feeds = program.command('feeds').description('manage feeds.yaml');
  feeds
    .command('import')
    .description('add the feeds of an OPML file to feeds.yaml')
    .argument('<file>', 'OPML file')
    .action(
      act(async (file: string) => {
        const { SIGNPOST_DATA_DIR } = env();
        const { feedsImportCommand } = await import('./commands/feeds-import.ts');
        return feedsImportCommand({ file, dataDir: SIGNPOST_DATA_DIR, out: io.out });
      }),
    );

  return program;
}

/** Runs the CLI; resolves to the exit code. */
export async function runCli(argv: string[], io: CliIo = { out: process.stdout, err: process.stderr, env: process.env }): Promise<number> {
  const result = { code: 0 };
  const program = buildProgram(io, result);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return result.code;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    io.err.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return error instanceof NotYetError || error instanceof EnvError ? 2 : 1;
  }
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(fs.realpathSync(process.argv[1])).href;
if (isMain) {
  runCli(process.argv.slice(2)).then((code) => process.exit(code));
}
