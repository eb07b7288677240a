/**
 * A story file's text → checked stories. A file holds one story, a list of stories, or
 * `{ stories: [...] }`; YAML or JSON (by extension). Every problem of the file is reported at
 * once, each with its story and step, in one KEFU_ERR_STORY_INVALID.
 */
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { KefuError } from '../core/errors';
import { parseStep, type StepScope } from './parse-steps';
import type { Story, WrittenStep } from './story';

const storyHead = z
  .object({
    name: z.string().min(1, { error: 'must not be empty' }),
    description: z.string().optional(),
    locale: z.enum(['en', 'zh']).optional(),
    channel: z.literal('web', { error: 'only "web" is supported: stories drive the web chat API' }).optional(),
    steps: z.array(z.unknown()).min(1, { error: 'needs at least one step' }),
  })
  .strict();

/** Reads YAML (.yaml, .yml) or JSON (anything else) into plain data. */
function readData(text: string, file: string): unknown {
  try {
    return /\.ya?ml$/i.test(file) ? parseYaml(text) : JSON.parse(text);
  } catch (err) {
    throw new KefuError('KEFU_ERR_STORY_INVALID', `${file}: cannot be read as ${/\.ya?ml$/i.test(file) ? 'YAML' : 'JSON'}: ${(err as Error).message}`, { cause: err });
  }
}

function storiesIn(data: unknown): unknown[] | undefined {
  if (Array.isArray(data)) return data;
  if (data && typeof data === 'object' && 'stories' in data && Array.isArray((data as { stories: unknown }).stories)) return (data as { stories: unknown[] }).stories;
  if (data && typeof data === 'object' && 'steps' in data) return [data];
  return undefined;
}

/** `{ bot: "/order/" }` → `bot: /order/`; objects as JSON. */
function oneLine(rawStep: unknown): string {
  const [key, value] = Object.entries(rawStep as Record<string, unknown>)[0] as [string, unknown];
  return `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`;
}

function parseOneStory(raw: unknown, file: string, where: string, problems: string[]): Story | undefined {
  const head = storyHead.safeParse(raw);
  if (!head.success) {
    for (const i of head.error.issues) problems.push(`${where}: ${i.path.join('.') || 'story'}: ${i.message}`);
    return undefined;
  }
  const named = `${where} ("${head.data.name}")`;
  const scope: StepScope = {};
  const steps: WrittenStep[] = [];
  head.data.steps.forEach((rawStep, i) => {
    const step = parseStep(rawStep, scope);
    if (step.ok) steps.push({ ...step.value, written: oneLine(rawStep) });
    else for (const p of step.problems) problems.push(`${named}, step ${i + 1}: ${p}`);
  });
  const { name, locale } = head.data;
  return { name, file, channel: 'web', steps, ...(locale ? { locale } : {}) };
}

/**
 * Parses a story file's text; `file` names it in errors and picks the format by extension.
 * @example
 * const [story] = parseStories('name: hi\nsteps:\n  - customer: hello\n  - bot: /welcome/i\n', 'hi.yaml');
 */
export function parseStories(text: string, file: string): Story[] {
  const list = storiesIn(readData(text, file));
  if (!list) throw new KefuError('KEFU_ERR_STORY_INVALID', `${file}: expected a story (with name and steps), a list of stories, or { stories: [...] }.`);
  const problems: string[] = [];
  const stories = list.map((raw, i) => parseOneStory(raw, file, `story ${i + 1}`, problems));
  const names = new Set<string>();
  for (const s of stories) {
    if (s && names.has(s.name)) problems.push(`story "${s.name}" is named twice; give each story its own name`);
    if (s) names.add(s.name);
  }
  if (problems.length) {
    throw new KefuError('KEFU_ERR_STORY_INVALID', `${file} has ${problems.length} problem(s); fix:\n  ${problems.join('\n  ')}\nThe format is in docs/stories.md.`, {
      details: problems,
    });
  }
  return stories as Story[];
}
