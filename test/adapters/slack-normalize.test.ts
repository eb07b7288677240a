import assert from 'node:assert/strict';
import { normalizeBlockAction, normalizeSlackEvent, parseAgentCommand, renderMessage, slackTextToPlain } from '../../adapters/slack';
import { blockActionPayload, dmEvent, mentionEvent } from '../support/slack-events';

const wrap = (event: Record<string, unknown>, eventId = 'Ev0001') => ({ type: 'event_callback', team_id: 'T0001', event_id: eventId, event });
const normalize = (event: Record<string, unknown>) => normalizeSlackEvent(wrap(event), { botUserId: 'UBOT' });

describe('slack normalizeSlackEvent', () => {
  it('turns a direct message into a text message keyed by event_id', () => {
    const r = normalize(dmEvent({ channel: 'D123', user: 'U9', text: 'where is my order &amp; refund?', ts: '1700000000.000100' }));
    assert.ok(r.ok);
    assert.deepEqual(r.value, {
      channel: 'slack',
      conversationId: 'D123',
      userId: 'U9',
      platformMessageId: 'Ev0001',
      kind: 'text',
      text: 'where is my order & refund?',
      attachments: [],
      address: { channel: 'D123', team: 'T0001' },
    });
  });

  it('keeps the thread of a direct message written in a thread', () => {
    const r = normalize(dmEvent({ channel: 'D123', text: 'hi', ts: '2.0', thread_ts: '1.0' }));
    assert.ok(r.ok);
    assert.equal(r.value.conversationId, 'D123');
    assert.equal(r.value.address?.thread_ts, '1.0');
  });

  it('makes each mention thread in a channel its own conversation, replying in the thread', () => {
    const top = normalize(mentionEvent({ channel: 'C42', text: 'my order', ts: '5.0' }));
    assert.ok(top.ok);
    assert.equal(top.value.conversationId, 'C42:5.0');
    assert.equal(top.value.text, 'my order');
    assert.deepEqual(top.value.address, { channel: 'C42', thread_ts: '5.0', team: 'T0001' });
    const inThread = normalize(mentionEvent({ channel: 'C42', text: '123456', ts: '6.0', thread_ts: '5.0' }));
    assert.ok(inThread.ok);
    assert.equal(inThread.value.conversationId, 'C42:5.0');
    assert.equal(inThread.value.address?.thread_ts, '5.0');
  });

  it('ignores bots, its own posts, edits, deletions, joins and plain channel chatter', () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [dmEvent({ text: 'beep', bot_id: 'B2' }), /bot/],
      [dmEvent({ text: 'beep', subtype: 'bot_message' }), /bot/],
      [dmEvent({ text: 'me', user: 'UBOT' }), /own/],
      [dmEvent({ subtype: 'message_changed', message: { text: 'edited' }, user: undefined }), /no user|subtype/],
      [dmEvent({ subtype: 'message_changed', text: 'edited' }), /subtype message_changed/],
      [dmEvent({ subtype: 'message_deleted', text: '' }), /subtype message_deleted/],
      [dmEvent({ subtype: 'channel_join', text: 'joined' }), /subtype channel_join/],
      [dmEvent({ hidden: true, text: 'x' }), /hidden/],
      [dmEvent({ channel: 'C42', channel_type: 'channel', text: 'chatter' }), /without mention/],
      [{ ...mentionEvent({ text: 'hi' }), channel: 'D123' }, /direct message/],
      [{ type: 'reaction_added', user: 'U1', item: {} }, /not a message event/],
    ];
    for (const [event, reason] of cases) {
      const r = normalize(event);
      assert.equal(r.ok, false, JSON.stringify(event));
      assert.match(r.ok ? '' : r.error, reason);
    }
  });

  it('takes file shares as image/file attachments and content-less messages as unsupported', () => {
    const file = (mimetype: string, mode = 'hosted') => ({ id: 'F1', name: 'x', mimetype, url_private: 'https://files.slack.com/x', mode });
    const image = normalize(dmEvent({ subtype: 'file_share', text: '', files: [file('image/jpeg')] }));
    assert.ok(image.ok);
    assert.equal(image.value.kind, 'image');
    assert.deepEqual(image.value.attachments, [{ kind: 'image', mediaId: 'F1', url: 'https://files.slack.com/x', name: 'x', mimeType: 'image/jpeg' }]);
    const pdf = normalize(dmEvent({ text: 'see attached', files: [file('application/pdf')] }));
    assert.ok(pdf.ok);
    assert.equal(pdf.value.kind, 'text');
    assert.equal(pdf.value.attachments?.[0]?.kind, 'file');
    const gone = normalize(dmEvent({ subtype: 'file_share', text: '', files: [file('image/png', 'tombstone')] }));
    assert.ok(gone.ok);
    assert.equal(gone.value.kind, 'unsupported');
  });
});

describe('slack slackTextToPlain', () => {
  it('strips the bot mention and flattens Slack markup', () => {
    assert.equal(slackTextToPlain('<@UBOT> hello <@U22>', 'UBOT'), 'hello @U22');
    assert.equal(slackTextToPlain('see <#C1|general> and <https://x.test/a?b=1|the docs>', 'UBOT'), 'see #general and the docs (https://x.test/a?b=1)');
    assert.equal(slackTextToPlain('<https://x.test> <mailto:a@b.c|a@b.c> <!here>'), 'https://x.test a@b.c @here');
    assert.equal(slackTextToPlain('1 &lt; 2 &amp;&amp; 3 &gt; 2'), '1 < 2 && 3 > 2');
    assert.equal(slackTextToPlain('<!subteam^S1|@support> 转人工'), '@support 转人工');
  });
});

describe('slack normalizeBlockAction', () => {
  const message = { ts: '10.0', text: 'Pick a topic', blocks: [] };

  it('turns a quick-reply press into a payload message keyed by trigger id', () => {
    const payload = blockActionPayload({ channel: 'D123', message, actionId: 'kefu_qr:0', value: 'intent:orders', label: 'Orders' });
    const r = normalizeBlockAction(payload);
    assert.ok(r.ok);
    assert.equal(r.value.kind, 'postback');
    assert.equal(r.value.payload, 'intent:orders');
    assert.equal(r.value.text, 'Orders');
    assert.equal(r.value.conversationId, 'D123');
    assert.equal(r.value.platformMessageId, `action:${payload.trigger_id as string}`);
    assert.equal(r.value.userId, 'UCUSTOMER');
  });

  it('maps a press in a channel thread to the thread conversation', () => {
    const r = normalizeBlockAction(blockActionPayload({ channel: 'C42', message: { ...message, thread_ts: '5.0' }, actionId: 'kefu_qr:1', value: 'yes', label: 'Yes' }));
    assert.ok(r.ok);
    assert.equal(r.value.conversationId, 'C42:5.0');
    assert.equal(r.value.address?.thread_ts, '5.0');
  });

  it('ignores other buttons and malformed payloads', () => {
    const other = normalizeBlockAction(blockActionPayload({ channel: 'D1', message, actionId: 'kefu_claim', value: 'x', label: 'Claim' }));
    assert.equal(other.ok, false);
    assert.equal(normalizeBlockAction({ type: 'block_actions', actions: [] }).ok, false);
    assert.equal(normalizeBlockAction('payload').ok, false);
  });
});

describe('slack renderMessage', () => {
  it('posts plain text escaped, in the thread when there is one', () => {
    assert.deepEqual(renderMessage({ text: 'a <b> & c', locale: 'en' }, { channel: 'C1', thread_ts: '5.0' }), {
      channel: 'C1',
      thread_ts: '5.0',
      text: 'a &lt;b&gt; &amp; c',
      unfurl_links: false,
    });
  });

  it('renders quick replies as buttons whose value is the payload, 25 per actions block', () => {
    const quickReplies = Array.from({ length: 27 }, (_, i) => ({ label: i === 0 ? 'x'.repeat(100) : `Option ${i}`, payload: `p${i}` }));
    const out = renderMessage({ text: 'Pick', locale: 'en', quickReplies }, { channel: 'D1' });
    const actions = (out.blocks ?? []).filter((b) => b.type === 'actions') as Array<{ elements: Array<{ action_id: string; value: string; text: { text: string } }> }>;
    assert.deepEqual(
      actions.map((a) => a.elements.length),
      [25, 2],
    );
    const all = actions.flatMap((a) => a.elements);
    assert.deepEqual(
      all.map((e) => e.value),
      quickReplies.map((q) => q.payload),
    );
    assert.equal(new Set(all.map((e) => e.action_id)).size, 27);
    assert.equal(all[0]?.text.text.length, 75);
    assert.equal(out.text, 'Pick');
  });

  it('renders images as image blocks, other files as links, and splits long text into sections', () => {
    const out = renderMessage(
      {
        text: 'y'.repeat(3500),
        locale: 'en',
        attachments: [
          { kind: 'image', url: 'https://img.test/a.png', name: 'a.png' },
          { kind: 'file', url: 'https://f.test/b.pdf', name: 'b.pdf' },
        ],
      },
      { channel: 'D1' },
    );
    assert.ok(out.text.endsWith('\n<https://f.test/b.pdf|b.pdf>'));
    assert.deepEqual(
      (out.blocks ?? []).map((b) => b.type),
      ['section', 'section', 'image'],
    );
  });
});

describe('slack parseAgentCommand', () => {
  it('reads commands, notes and replies written in an escalation thread', () => {
    const cases: Array<[string, ReturnType<typeof parseAgentCommand>]> = [
      ['resolve', { kind: 'resolve' }],
      ['<@UBOT> Resolve.', { kind: 'resolve' }],
      ['解决', { kind: 'resolve' }],
      ['claim', { kind: 'claim' }],
      ['transfer <@U024BE7LH>', { kind: 'transfer', to: { slackUser: 'U024BE7LH' } }],
      ['transfer to <@U024BE7LH|bob>', { kind: 'transfer', to: { slackUser: 'U024BE7LH' } }],
      ['transfer Refunds', { kind: 'transfer', to: { name: 'refunds' } }],
      ['转给 wang', { kind: 'transfer', to: { name: 'wang' } }],
      ['note: VIP &amp; in a hurry', { kind: 'note', text: 'VIP & in a hurry' }],
      ['备注：老客户', { kind: 'note', text: '老客户' }],
      ['// check stock', { kind: 'note', text: 'check stock' }],
      ['Transfer fees are 2% &lt;3', { kind: 'reply', text: 'Transfer fees are 2% <3' }],
      ['resolved your issue already?', { kind: 'reply', text: 'resolved your issue already?' }],
      ['See <https://shop.test/t/1|tracking> or <http://shop.test|shop.test>', { kind: 'reply', text: 'See tracking (https://shop.test/t/1) or shop.test' }],
    ];
    for (const [text, expected] of cases) assert.deepEqual(parseAgentCommand(text, 'UBOT'), expected, text);
  });
});
