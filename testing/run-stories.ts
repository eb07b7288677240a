/**
 * Runs stories one after the other against an app, in-process, through its HTTP API. Each story
 * is a new web conversation from its own client address, and starts with every agent's status as
 * it was when the run began, so stories do not depend on each other's order.
 */
import { randomBytes } from 'node:crypto';
import { createConsoleAgents, passwordsFrom } from './console-agent';
import { runStep, type StepContext, StepMismatch } from './run-step';
import type { Story, TranscriptLine } from './story';
import type { RunOptions, RunReport, StoryApp, StoryResult } from './story-app';
import { createWebCustomer, UnexpectedAnswer } from './web-customer';

const DEFAULT_WAIT_MS = 2000;

type AgentStatuses = ReadonlyArray<{ id: string; status: string }>;

async function restoreStatuses(app: StoryApp, initial: AgentStatuses): Promise<void> {
  const now = await app.handoff.agents();
  for (const { id, status } of initial) {
    if (now.find((a) => a.id === id)?.status !== status) await app.handoff.setAgentStatus(id, status as 'online' | 'away' | 'offline');
  }
}

/** A distinct private address per story (10.x.y.z), so per-address rate and escalation limits never add up across stories. */
function addressOf(index: number): string {
  return `10.${(index >> 16) & 255}.${(index >> 8) & 255}.${(index & 255) + 1}`;
}

function failureOf(err: unknown): { expected: string; got: string } {
  if (err instanceof StepMismatch) return { expected: err.expected, got: err.got };
  if (err instanceof UnexpectedAnswer) return { expected: 'the app to accept the request', got: err.message };
  const coded = err as { code?: string; message?: string };
  return { expected: 'the step to run', got: `an error: ${coded.code ? `${coded.code}: ` : ''}${coded.message ?? String(err)}` };
}

async function runStory(app: StoryApp, story: Story, index: number, runId: string, opts: RunOptions & { passwords: Record<string, string> }): Promise<StoryResult> {
  const started = Date.now();
  const transcript: TranscriptLine[] = [];
  const remoteAddress = addressOf(index);
  const ctx: StepContext = {
    app,
    customer: createWebCustomer(app, `story-${runId}-${index}`, remoteAddress, story.locale, transcript),
    agents: createConsoleAgents(app, opts.passwords),
    transcript,
    remoteAddress,
    waitMs: opts.waitMs ?? DEFAULT_WAIT_MS,
  };
  const result = { name: story.name, file: story.file, transcript };
  for (const [i, step] of story.steps.entries()) {
    try {
      await runStep(ctx, step);
    } catch (err) {
      return { ...result, passed: false, ms: Date.now() - started, failure: { step: i + 1, written: step.written, ...failureOf(err) } };
    }
  }
  return { ...result, passed: true, ms: Date.now() - started };
}

/**
 * Runs the stories against the app and reports each one; it never throws for a failing story.
 * @example
 * const report = await runStories(app, await loadStories(['stories']));
 * process.stdout.write(formatReport(report));
 * process.exitCode = report.failed ? 1 : 0;
 */
export async function runStories(app: StoryApp, stories: readonly Story[], opts: RunOptions = {}): Promise<RunReport> {
  const passwords = { ...passwordsFrom(app.config?.CONSOLE_AGENTS), ...opts.passwords };
  const initial = (await app.handoff.agents()).map(({ id, status }) => ({ id, status }));
  const runId = randomBytes(4).toString('hex');
  const results: StoryResult[] = [];
  for (const [i, story] of stories.entries()) {
    await restoreStatuses(app, initial);
    const result = await runStory(app, story, i, runId, { ...opts, passwords });
    results.push(result);
    opts.onStory?.(result);
  }
  await restoreStatuses(app, initial);
  const failed = results.filter((r) => !r.passed).length;
  return { passed: results.length - failed, failed, results };
}
