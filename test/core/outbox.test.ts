/** core/outbox.ts: lanes, inline retries, retry-after, parking, flush, undelivered, stop. No real waiting. */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger, createOutbox, type OutboxOptions, type SendVerdict } from '../../core';

interface Msg {
  to: string;
  text: string;
}

class Refused extends Error {
  constructor(
    readonly verdict: SendVerdict,
    readonly why = 'refused',
  ) {
    super(why);
  }
}

/** A scripted platform: each text fails with the queued errors first, then succeeds. */
function rig(over: Partial<OutboxOptions<Msg>> = {}) {
  const script = new Map<string, Refused[]>();
  const delivered: string[] = [];
  const slept: number[] = [];
  const timers: { ms: number; fn: () => void; cancelled: boolean }[] = [];
  const lines: Record<string, unknown>[] = [];
  let clock = 0;
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  const outbox = createOutbox<Msg>({
    async send(m) {
      const next = script.get(m.text)?.shift();
      if (next) throw next;
      delivered.push(m.text);
    },
    classify: (err) => (err instanceof Refused ? err.verdict : { kind: 'permanent' }),
    laneOf: (m) => m.to,
    describe: (err) => (err instanceof Refused ? err.why : 'unknown'),
    logFields: (m) => ({ to: m.to }),
    log: createLogger('debug', sink),
    now: () => clock,
    sleep: async (ms) => {
      slept.push(ms);
    },
    schedule: (fn, ms) => {
      const t = { ms, fn, cancelled: false };
      timers.push(t);
      return () => {
        t.cancelled = true;
      };
    },
    parkDelaysMs: [100, 1000],
    ...over,
  });
  const fail = (text: string, ...errs: Refused[]) => script.set(text, errs);
  const fire = async () => {
    const live = timers.filter((t) => !t.cancelled);
    for (const t of live) {
      t.cancelled = true;
      t.fn();
    }
    await outbox.idle();
    return live.map((t) => t.ms);
  };
  return { outbox, delivered, slept, timers, lines, fail, fire, tick: (ms: number) => (clock += ms) };
}

const transient = (afterMs?: number) => new Refused(afterMs === undefined ? { kind: 'retry' } : { kind: 'retry', afterMs }, 'HTTP 502');
const permanent = () => new Refused({ kind: 'permanent', code: 'KEFU_ERR_CHANNEL_AUTH' }, 'blocked');

describe('core/outbox', () => {
  it('keeps order per lane: a parked lane holds its later items back, other lanes go on', async () => {
    const r = rig();
    r.fail('a1', transient());
    const fates = await Promise.all([r.outbox.send({ to: 'A', text: 'a1' }), r.outbox.send({ to: 'A', text: 'a2' }), r.outbox.send({ to: 'B', text: 'b1' })]);
    assert.deepEqual(fates, ['parked', 'parked', 'sent']);
    assert.deepEqual(r.delivered, ['b1']);
    assert.equal(r.outbox.pending, 2);
    assert.deepEqual(
      r.outbox.entries().map((e) => [e.item.text, e.state, e.lastError]),
      [
        ['a1', 'pending', 'HTTP 502'],
        ['a2', 'pending', ''],
      ],
    );
    assert.equal(await r.outbox.send({ to: 'A', text: 'a3' }), 'parked', 'a send to a parked lane resolves at once');
    assert.deepEqual(await r.fire(), [100]);
    assert.deepEqual(r.delivered, ['b1', 'a1', 'a2', 'a3']);
    assert.equal(r.outbox.pending, 0);
    assert.deepEqual(r.outbox.entries(), []);
  });

  it('retries inline with doubling backoff, and honours a retry-after (inline when short, parked when long)', async () => {
    const r = rig({ attempts: 3, backoffMs: 10, maxInlineWaitMs: 5000 });
    r.fail('x', transient(), transient());
    assert.equal(await r.outbox.send({ to: 'A', text: 'x' }), 'sent');
    assert.deepEqual(r.slept, [10, 20]);
    r.fail('y', transient(2000));
    assert.equal(await r.outbox.send({ to: 'A', text: 'y' }), 'sent');
    assert.deepEqual(r.slept, [10, 20, 2000]);
    r.fail('z', transient(60_000));
    assert.equal(await r.outbox.send({ to: 'A', text: 'z' }), 'parked');
    assert.deepEqual(r.slept, [10, 20, 2000], 'a long retry-after is not waited inline');
    assert.deepEqual(await r.fire(), [60_000], 'the park waits at least the retry-after');
    assert.deepEqual(r.delivered, ['x', 'y', 'z']);
  });

  it('does not retry a permanent failure: it is kept as undelivered with its code, and the lane goes on', async () => {
    const r = rig({ attempts: 4 });
    const boom = permanent();
    r.fail('p', boom);
    const fates = await Promise.all([r.outbox.send({ to: 'A', text: 'p' }), r.outbox.send({ to: 'A', text: 'q' })]);
    assert.deepEqual(fates, [{ failed: boom }, 'sent']);
    assert.deepEqual(r.slept, []);
    assert.deepEqual(
      r.outbox.undelivered().map((e) => [e.item.text, e.state, e.code, e.lastError, e.rounds]),
      [['p', 'undelivered', 'KEFU_ERR_CHANNEL_AUTH', 'blocked', 0]],
    );
    assert.equal(r.lines.filter((l) => l.level === 50).length, 1);
  });

  it('flush() retries parked lanes now and counts deliveries; park delays grow and the last repeats', async () => {
    const r = rig();
    r.fail('m', transient(), transient(), transient());
    assert.equal(await r.outbox.send({ to: 'A', text: 'm' }), 'parked');
    assert.equal(await r.outbox.flush(), 0);
    assert.equal(r.outbox.entries()[0]?.rounds, 1);
    assert.deepEqual(await r.fire(), [1000]);
    assert.equal(r.outbox.entries()[0]?.rounds, 2);
    assert.deepEqual(
      r.timers.filter((t) => !t.cancelled).map((t) => t.ms),
      [1000],
    );
    assert.equal(await r.outbox.flush(), 1);
    assert.deepEqual(r.delivered, ['m']);
    assert.equal(r.timers.filter((t) => !t.cancelled).length, 0, 'flush cancelled the timer');
  });

  it('gives an item up after maxRounds (or maxAgeMs), logging the code but never the text', async () => {
    const r = rig({ maxRounds: 2 });
    r.fail('my secret address', transient(), transient(), transient(), transient());
    let final: boolean | undefined;
    const r2 = rig({ maxAgeMs: 1000, onFailure: (_e, _err, f) => (final = f) });
    r2.fail('old', transient(), transient());
    assert.equal(await r.outbox.send({ to: 'A', text: 'my secret address' }), 'parked');
    await r.outbox.flush();
    assert.equal(r.outbox.entries()[0]?.state, 'pending');
    await r.outbox.flush();
    assert.deepEqual(
      r.outbox.entries().map((e) => [e.state, e.rounds]),
      [['undelivered', 2]],
    );
    assert.equal(r.outbox.pending, 0);
    assert.ok(r.lines.some((l) => l.code === 'KEFU_ERR_CHANNEL_SEND_FAILED' && l.final === true));
    assert.ok(!JSON.stringify(r.lines).includes('secret'));
    assert.equal(await r2.outbox.send({ to: 'A', text: 'old' }), 'parked');
    assert.equal(final, false);
    r2.tick(5000);
    await r2.fire();
    assert.equal(final, true);
    assert.equal(r2.outbox.undelivered().length, 1);
  });

  it('keeps only the newest `keep` undelivered items', async () => {
    const r = rig({ keep: 2 });
    for (const t of ['1', '2', '3']) r.fail(t, permanent());
    await Promise.all(['1', '2', '3'].map((text) => r.outbox.send({ to: 'A', text })));
    assert.deepEqual(
      r.outbox.undelivered().map((e) => e.item.text),
      ['2', '3'],
    );
  });

  it('stop() cancels the timers, logs how many are lost, and sends nothing more', async () => {
    const r = rig();
    r.fail('s1', transient());
    const fates = Promise.all([r.outbox.send({ to: 'A', text: 's1' }), r.outbox.send({ to: 'A', text: 's2' })]);
    assert.deepEqual(await fates, ['parked', 'parked']);
    await r.outbox.stop();
    assert.ok(r.timers.every((t) => t.cancelled));
    assert.ok(r.lines.some((l) => l.lost === 2 && l.code === 'KEFU_ERR_CHANNEL_SEND_FAILED'));
    assert.equal(await r.outbox.send({ to: 'B', text: 'late' }), 'parked');
    assert.equal(await r.outbox.flush(), 0);
    assert.deepEqual(r.delivered, []);
  });
});
