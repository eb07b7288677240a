/**
 * The unrecognised-messages inbox: misses from real turns land there once per normalised text with
 * a count and the top-3 guesses; slot answers, buttons and bare numbers do not; staff label or
 * dismiss; it stays bounded without losing labelled entries; texts are encrypted at rest.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryData } from '../../core';
import { type AnalyticsService, createInbox, normalizeText } from '../../plugins/analytics';
import { createAesCodec } from '../../stores/encrypted/codec';
import { createSqliteData } from '../../stores/sqlite';
import type { Rig } from '../handoff/support';
import { createAnalyticsRig, T0 } from './support';

const miss = (text: string, at = T0) => ({ text, locale: 'en' as const, channel: 'web', ranking: [{ intent: 'None', score: 0.4 }], at });

describe('unrecognised inbox', () => {
  let rig: Rig & { analytics: AnalyticsService };
  beforeEach(async () => {
    rig = await createAnalyticsRig();
  });
  afterEach(() => rig.close());

  it('keeps misses once per normalised text, with a count and the top-3 guesses (None left out)', async () => {
    await rig.say('a', 'my lamp flickers');
    await rig.say('b', 'My  lamp flickers!!');
    await rig.say('c', '我的台灯一闪一闪');
    await rig.say('d', 'where is my order');
    await rig.say('d', '100234'); // an answer to the question: understood
    await rig.say('e', '12345'); // a bare number: nothing to label
    await rig.say('f', '', { payload: 'intent:nothing.here' }); // a button, not typed text
    const entries = await rig.analytics.inbox.list();
    assert.deepEqual(
      entries.map((e) => [e.text, e.locale, e.count, e.status]),
      [
        ['my lamp flickers', 'en', 2, 'open'],
        ['我的台灯一闪一闪', 'zh', 1, 'open'],
      ],
    );
    assert.deepEqual(entries[0]?.candidates, [
      { intent: 'order.status', score: 0.251 },
      { intent: 'refund.request', score: 0.12 },
      { intent: 'greeting', score: 0.05 },
    ]);
    assert.match(entries[0]?.id ?? '', /^en-[0-9a-f]{20}$/);
    assert.equal(normalizeText('Order 12 ＮＯＴ here…'), normalizeText('order 999 not here'));
  });

  it('a failed answer to a question is a miss too', async () => {
    await rig.say('g', 'where is my order');
    await rig.say('g', 'the blue one');
    assert.deepEqual(
      (await rig.analytics.inbox.list()).map((e) => e.text),
      ['the blue one'],
    );
  });

  it('labels and dismisses; refuses bad intent ids and unknown entries with codes', async () => {
    await rig.say('a', 'my lamp flickers');
    await rig.say('b', 'sprockets please');
    const all = await rig.analytics.inbox.list();
    const lamp = all.find((e) => e.text === 'my lamp flickers');
    const sprockets = all.find((e) => e.text === 'sprockets please');
    const labelled = await rig.analytics.inbox.label(lamp!.id, 'refund.request', 'anna');
    assert.ok(labelled.ok);
    assert.deepEqual([labelled.entry.status, labelled.entry.intent, labelled.entry.by], ['labelled', 'refund.request', 'anna']);
    const dismissed = await rig.analytics.inbox.dismiss(sprockets!.id, 'wang');
    assert.ok(dismissed.ok && dismissed.entry.status === 'dismissed' && dismissed.entry.intent === undefined);
    const bad = await rig.analytics.inbox.label(lamp!.id, 'order status!', 'anna');
    assert.deepEqual(bad.ok ? undefined : bad.code, 'KEFU_ERR_INBOX_INPUT_INVALID');
    const gone = await rig.analytics.inbox.dismiss('en-00000000000000000000', 'anna');
    assert.deepEqual(gone.ok ? undefined : gone.code, 'KEFU_ERR_INBOX_NOT_FOUND');
    await rig.say('c', 'sprockets please!');
    const again = await rig.analytics.inbox.get(sprockets!.id);
    assert.deepEqual([again?.status, again?.count], ['dismissed', 2], 'a dismissed text stays dismissed and keeps counting');
    assert.deepEqual(
      (await rig.analytics.inbox.list({ status: 'labelled' })).map((e) => e.text),
      ['my lamp flickers'],
    );
  });
});

describe('unrecognised inbox storage', () => {
  it('stays within its limit: exported, dismissed, then rare old entries go first; labelled ones stay', async () => {
    const inbox = createInbox({ data: createMemoryData(), limit: 4 });
    await inbox.record(miss('keep me labelled', T0));
    const [first] = await inbox.list();
    await inbox.label(first!.id, 'greeting', 'anna');
    for (let i = 0; i < 3; i++) await inbox.record(miss('frequent thing', T0 + 1));
    for (let i = 1; i <= 8; i++) await inbox.record(miss(`rare thing ${'abcdefgh'[i - 1]}`, T0 + 10 + i));
    const left = await inbox.list();
    assert.equal(left.length, 4);
    assert.ok(left.some((e) => e.text === 'keep me labelled' && e.status === 'labelled'));
    assert.ok(left.some((e) => e.text === 'frequent thing' && e.count === 3));
    assert.deepEqual(
      left
        .filter((e) => e.text.startsWith('rare'))
        .map((e) => e.text)
        .sort(),
      ['rare thing g', 'rare thing h'],
    );
  });

  it('with KEFU_ENCRYPTION_KEY the texts are encrypted at rest and ids do not reveal them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kefu-inbox-'));
    try {
      const path = join(dir, 'kefu.db');
      const data = createSqliteData({ path }, { codec: createAesCodec(randomBytes(32)) });
      const inbox = createInbox({ data });
      await inbox.record(miss('my phone is 13800138000 and the lamp broke'));
      assert.equal((await inbox.list())[0]?.text, 'my phone is 13800138000 and the lamp broke');
      await data.close();
      const bytes = readFileSync(path).toString('latin1') + (existsSync(`${path}-wal`) ? readFileSync(`${path}-wal`).toString('latin1') : '');
      assert.ok(!bytes.includes('lamp') && !bytes.includes('13800138000'), 'the database file holds the text in the clear');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a bad limit with KEFU_ERR_ANALYTICS_OPTIONS_INVALID', () => {
    assert.throws(() => createInbox({ data: createMemoryData(), limit: 0 }), { code: 'KEFU_ERR_ANALYTICS_OPTIONS_INVALID' });
  });
});
