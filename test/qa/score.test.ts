/** The QA scorer's checks one by one (server/qa/score.ts): each flag is raised when it should be, and not otherwise. */
import assert from 'node:assert/strict';
import { compileQaRules } from '../../server/qa/rules';
import { measureTiming, scoreConversation, sentimentShift } from '../../server/qa/score';
import type { QaInput, QaMessage } from '../../server/qa/types';

const SLA = { agentFirstResponseMs: 60_000, expertFirstResponseMs: 300_000, replyMs: 120_000 };
const rules = compileQaRules();
const s = (n: number) => n * 1000;
const c = (at: number, text: string, sentiment = 0): QaMessage => ({ from: 'customer', text, at: s(at), sentiment });
const a = (at: number, text: string): QaMessage => ({ from: 'agent', text, at: s(at), agentId: 'anna' });

function conv(messages: QaMessage[], over: Partial<QaInput> = {}): QaInput {
  return { locale: 'en', requestedAt: s(10), assignedAt: s(20), resolvedAt: s(1000), messages, ...over };
}
const codes = (input: QaInput) => scoreConversation(input, rules, SLA).flags.map((f) => f.code);

const GOOD = [
  c(5, 'where is my parcel, order 123456?'),
  a(40, 'Hi, this is Anna from the shop. Let me check order 123456.'),
  c(50, 'thanks'),
  a(90, 'It left the warehouse today and arrives on Friday.'),
  c(100, 'great, that helps'),
  a(120, 'Is there anything else I can do for you? Have a nice day!'),
];

describe('QA scorer', () => {
  it('a good conversation is clean and scores 100', () => {
    const r = scoreConversation(conv(GOOD), rules, SLA);
    assert.deepEqual(r.flags, []);
    assert.equal(r.score, 100);
    assert.equal(r.metrics.firstResponseMs, s(30), 'from the request');
    assert.equal(r.metrics.queuedMs, s(10));
    assert.equal(r.metrics.agentMessages, 3);
  });

  it('a first response later than the agent SLA after the request is flagged, with the times and the queue time', () => {
    const late = [c(5, 'hello?'), a(85, 'Hello, sorry for the wait. How can I help?'), c(100, 'ok'), a(110, 'Anything else? Bye')];
    const r = scoreConversation(conv(late), rules, SLA);
    assert.deepEqual(
      r.flags.map((f) => f.code),
      ['first_response_slow'],
    );
    assert.equal(r.flags[0]?.detail, 'agent tier: 75 s > 60 s (10 s queued)');
    assert.equal(r.score, 85);
    assert.equal(
      scoreConversation(conv(late, { assignedAt: s(60) }), rules, SLA).flags[0]?.detail,
      'agent tier: 75 s > 60 s (50 s queued)',
      'queue time counts: it is the customer’s wait',
    );
    assert.deepEqual(codes(conv(late, { requestedAt: s(30) })), [], 'within 60 s of the request');
    assert.deepEqual(codes(conv(late)), codes(conv(late, { assignedAt: s(80) })), 'the assignment does not move the clock');
    assert.deepEqual(scoreConversation(conv(late), rules, { ...SLA, agentFirstResponseMs: 0 }).flags, [], '0: no target');
  });

  it('the expert tier is measured from the escalation to the first expert message, against its own target', () => {
    const e = (at: number, text: string): QaMessage => ({ from: 'agent', text, at: s(at), agentId: 'lilei' });
    const escalated = [c(5, 'refund?'), a(30, 'Hello! Let me ask an expert.'), e(450, 'Hello, Li Lei here: the refund is approved.'), c(460, 'ok'), e(470, 'Anything else?')];
    const r = scoreConversation(conv(escalated, { escalatedAt: s(100) }), rules, SLA);
    assert.deepEqual([r.metrics.firstResponseMs, r.metrics.expertFirstResponseMs], [s(20), s(350)]);
    assert.deepEqual(
      r.flags.map((f) => [f.code, f.detail]),
      [['first_response_slow', 'expert tier: 350 s > 300 s']],
    );
    assert.deepEqual(codes(conv(escalated, { escalatedAt: s(200) })), [], 'within 300 s of the escalation');
    const silentAgent = [c(5, 'refund?'), e(150, 'Hello, Li Lei here. Anything else?')];
    assert.equal(
      scoreConversation(conv(silentAgent, { escalatedAt: s(100) }), rules, SLA).flags[0]?.detail,
      'agent tier: 90 s > 60 s (10 s queued)',
      'no agent reply before the escalation: the agent tier waited until it',
    );
  });

  it('a customer question waiting longer than the reply SLA is flagged; acknowledgements do not wait', () => {
    const slow = [c(5, 'refund?'), a(30, 'Hello! Checking.'), c(40, 'any news?'), a(200, 'Yes, it is done. Anything else?')];
    assert.deepEqual(codes(conv(slow)), ['reply_slow']);
    const acks = [c(5, 'refund?'), a(30, 'Hello! Checking.'), c(40, 'ok thanks!'), a(400, 'Done. Have a nice day.')];
    assert.deepEqual(codes(conv(acks)), []);
    assert.equal(measureTiming(conv(slow), rules, SLA).maxReplyMs, s(160));
  });

  it('customer messages after the last agent message are unanswered; with no agent message at all the request is', () => {
    const left = [...GOOD, c(130, 'wait, one more question: can I change the address?')];
    assert.deepEqual(codes(conv(left)), ['unanswered']);
    const none = scoreConversation(conv([c(5, 'I need a human')]), rules, SLA);
    assert.deepEqual(
      none.flags.map((f) => f.code),
      ['unanswered'],
      'no greeting or closing flags without agent messages',
    );
    assert.equal(none.metrics.unanswered, 1);
    assert.deepEqual(codes(conv([...GOOD, c(130, 'ok, thank you, bye!')])), [], 'a closing acknowledgement needs no answer');
  });

  it('a customer who ends clearly more negative than they began is flagged', () => {
    const worse = [c(5, 'where is my parcel?', 0), a(30, 'Hello, checking.'), c(60, 'this is useless', -0.5), a(70, 'Sorry. Anything else?'), c(80, 'terrible service', -0.7)];
    const r = scoreConversation(conv(worse), rules, SLA);
    assert.ok(r.flags.some((f) => f.code === 'sentiment_worse'));
    assert.equal(r.metrics.sentimentBefore, 0);
    assert.equal(r.metrics.sentimentAfter, -0.6);
    assert.deepEqual(sentimentShift(conv([c(5, 'angry!!', -0.8), a(30, 'Hello'), c(60, 'still angry', -0.7)])), { before: -0.8, after: -0.7 });
    assert.ok(!codes(conv([c(5, 'angry!!', -0.8), a(30, 'Hello, anything else?'), c(60, 'still angry', -0.7)])).includes('sentiment_worse'), 'angry before and after is not worse');
  });

  it('forbidden phrases in agent messages are flagged in either language, naming the rule, not the text', () => {
    const en = [c(5, 'refund?'), a(30, 'Hello! I promise you will have it, guaranteed refund today.'), a(40, 'Anything else?')];
    const r = scoreConversation(conv(en), rules, SLA);
    assert.deepEqual(
      r.flags.map((f) => f.code),
      ['forbidden_phrase'],
    );
    assert.match(r.flags[0]?.detail ?? '', /guaranteed refund today/);
    const zh = [c(5, '退款呢'), a(30, '您好，我们保证今天退款。'), a(40, '还有其他问题吗？')];
    assert.deepEqual(codes(conv(zh, { locale: 'zh' })), ['forbidden_phrase']);
    assert.deepEqual(codes(conv([c(5, 'hi'), a(30, 'Hello! Refunds are never guaranteed on the same day, sorry. Anything else?')])), [], 'no promise');
    assert.deepEqual(codes(conv([c(5, 'customer says calm down'), a(30, 'Hello, anything else?')])), [], "the customer's words are not checked");
    assert.deepEqual(codes(conv([c(5, 'today?'), a(30, "Hello! I can't guarantee a refund today, sorry. Anything else?")])), [], 'a refusal is no promise');
    assert.deepEqual(codes(conv([c(5, '今天？'), a(30, '您好，我没办法保证今天退款。还有其他问题吗？')], { locale: 'zh' })), []);
    assert.deepEqual(
      codes(conv([c(5, 'today?'), a(30, "Hello! Don't worry, guaranteed refund today. Anything else?")])),
      ['forbidden_phrase'],
      'a negation in another clause does not count',
    );
  });

  it('a missing greeting or closing is flagged', () => {
    assert.deepEqual(codes(conv([c(5, 'refund?'), a(30, 'Your refund is on its way.'), a(40, 'Anything else?')])), ['no_greeting']);
    assert.deepEqual(codes(conv([c(5, 'refund?'), a(30, 'Hello! Your refund is on its way.')])), ['no_closing']);
    assert.deepEqual(codes(conv([c(5, '退款'), a(30, '您好，退款已经处理。'), a(40, '祝您生活愉快！')], { locale: 'zh' })), []);
  });

  it('messages after the resolve (the rating question) are left out, and flag weights come from the rules', () => {
    const after = [...GOOD, c(2000, 'what about my other order?')];
    assert.deepEqual(codes(conv(after)), []);
    const heavy = compileQaRules({ weights: { no_closing: 60 } });
    assert.equal(scoreConversation(conv([c(5, 'x?'), a(30, 'Hello, done.')]), heavy, SLA).score, 40);
  });
});
