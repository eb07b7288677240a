/** The story format (docs/stories.md): what parses into which steps, and how mistakes are reported. */
import assert from 'node:assert/strict';
import { isKefuError } from '../../core';
import { compilePattern, parseStories } from '../../testing';

function problemsOf(text: string, file = 'bad.yaml'): readonly string[] {
  try {
    parseStories(text, file);
  } catch (err) {
    assert.ok(isKefuError(err, 'KEFU_ERR_STORY_INVALID'), String(err));
    return err.details ?? [err.message];
  }
  assert.fail('expected KEFU_ERR_STORY_INVALID');
}

describe('story format', () => {
  it('reads every step kind from YAML, with the acting agent carried to later agent steps', () => {
    const [story] = parseStories(
      `
name: all steps
locale: zh
steps:
  - customer: 你好
  - customer: { press: /订单/ }
  - bot: /欢迎/
  - bot: { intent: greeting, quickReplies: [查询订单] }
  - bot: { silent: true }
  - customer_sees: { from: agent, text: 王芳 }
  - handoff: queued
  - handoff: { state: assigned, agent: wang }
  - agent: { as: wang, status: online, claim: true }
  - agent: { says: 您好 }
  - agent: resolve
  - csat: 5
`,
      'all.yaml',
    );
    assert.ok(story);
    assert.equal(story.locale, 'zh');
    assert.deepEqual(
      story.steps.map((s) => s.kind),
      ['customer', 'customer', 'bot', 'bot', 'bot', 'customer_sees', 'handoff', 'handoff', 'agent', 'agent', 'agent', 'csat'],
    );
    assert.deepEqual(story.steps[9], { kind: 'agent', as: 'wang', says: '您好', written: 'agent: {"says":"您好"}' });
    assert.deepEqual(story.steps[10], { kind: 'agent', as: 'wang', resolve: true, written: 'agent: resolve' });
    assert.equal(story.steps[2]?.written, 'bot: /欢迎/');
  });

  it('reads JSON, a single story, a list and { stories }', () => {
    const step = { customer: 'hi' };
    assert.equal(parseStories(JSON.stringify({ name: 'a', steps: [step] }), 'a.json').length, 1);
    assert.equal(
      parseStories(
        JSON.stringify([
          { name: 'a', steps: [step] },
          { name: 'b', steps: [step] },
        ]),
        'b.json',
      ).length,
      2,
    );
    assert.equal(parseStories(JSON.stringify({ stories: [{ name: 'a', steps: [step] }] }), 'c.json')[0]?.channel, 'web');
  });

  it('reports every problem of a file at once, with its story and step', () => {
    const problems = problemsOf(`
stories:
  - name: one
    steps:
      - customer: hi
      - bot: { txt: hello }
      - agent: claim
      - handoff: waiting
      - csat: 9
      - bot: "/[unclosed/"
      - customer: hi
        bot: hello
  - name: one
    channel: telegram
    steps: []
`);
    assert.deepEqual(problems, [
      'story 1 ("one"), step 2: bot: Unrecognized key: "txt"',
      'story 1 ("one"), step 3: agent: name the agent first: { as: anna, … } (later agent steps keep them)',
      'story 1 ("one"), step 4: handoff: state: Invalid option: expected one of "none"|"queued"|"assigned"|"resolved"|"ticket"|"cancelled"',
      'story 1 ("one"), step 5: csat: must be a rating from 1 to 5',
      `story 1 ("one"), step 6: bot: pattern /[unclosed/ is not a valid regular expression (Invalid regular expression: /[unclosed/: Unterminated character class)`,
      'story 1 ("one"), step 7: a step is an object with one key of customer, bot, customer_sees, handoff, agent, csat (got {"customer":"hi","bot":"hello"})',
      'story 2: channel: only "web" is supported: stories drive the web chat API',
      'story 2: steps: needs at least one step',
    ]);
  });

  it('names the file when it is not YAML or JSON', () => {
    assert.match(problemsOf('name: [unclosed', 'x.yaml')[0] ?? '', /^x\.yaml: cannot be read as YAML/);
    assert.match(problemsOf('{', 'x.json')[0] ?? '', /^x\.json: cannot be read as JSON/);
  });

  it('patterns: /regex/flags, else a case-sensitive substring', () => {
    assert.ok(compilePattern('/order number/i').test('Your ORDER NUMBER?'));
    assert.ok(compilePattern('order number').test('your order number?'));
    assert.ok(!compilePattern('order number').test('Order Number'));
    assert.ok(compilePattern('a/b').test('a/b'), 'a slash inside is a substring');
    assert.ok(compilePattern('/x/g').test('x') && compilePattern('/x/g').test('x'), 'g is dropped: no state between tests');
  });
});
