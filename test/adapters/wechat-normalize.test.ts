/** WeChat callback normalisation and rendering (numbered quick-reply menus included): pure unit tests. */
import assert from 'node:assert/strict';
import { planReplies } from '../../adapters/wechat/deliver';
import { normalizeWechatMessage } from '../../adapters/wechat/normalize';
import { customMessageBody, passiveReplyXml, renderOutbound, splitText } from '../../adapters/wechat/render';
import { parseWechatXml } from '../../adapters/wechat/xml';
import { isKefuError, type OutboundMessage, parseInbound } from '../../core';

const env = { ToUserName: 'gh_account', FromUserName: 'oUser1', CreateTime: '1700000000' };
const norm = (fields: Record<string, unknown>) => normalizeWechatMessage({ ...env, ...fields }, { channel: 'wechat' });
const message = (fields: Record<string, unknown>) => {
  const n = norm(fields);
  assert.equal(n.type, 'message');
  return n as Extract<typeof n, { type: 'message' }>;
};

describe('wechat normalize', () => {
  it('turns a text into a valid core message with the MsgId as platform id and the routing address', () => {
    const n = message({ MsgType: 'text', Content: '我的订单', MsgId: '6307487431425412345' });
    assert.deepEqual(n.inbound, {
      channel: 'wechat',
      conversationId: 'oUser1',
      userId: 'oUser1',
      address: { openId: 'oUser1', account: 'gh_account' },
      receivedAt: 1_700_000_000_000,
      kind: 'text',
      text: '我的订单',
      platformMessageId: '6307487431425412345',
    });
    assert.equal(n.dedupeKey, '6307487431425412345');
    assert.doesNotThrow(() => parseInbound(n.inbound));
  });

  it('keeps the menu item id of a tapped msgmenu option', () => {
    assert.equal(message({ MsgType: 'text', Content: '1. Orders', MsgId: '1', bizmsgmenuid: '101' }).menuItemId, '101');
  });

  it('takes an image with its PicUrl and MediaId', () => {
    const n = message({ MsgType: 'image', PicUrl: 'http://mmbiz.qpic.cn/x.jpg', MediaId: 'media1', MsgId: '2' });
    assert.equal(n.inbound.kind, 'image');
    assert.deepEqual(n.inbound.attachments, [{ kind: 'image', url: 'http://mmbiz.qpic.cn/x.jpg', mediaId: 'media1' }]);
  });

  it('marks voice, video, location and link as unsupported (to be answered politely)', () => {
    for (const MsgType of ['voice', 'video', 'shortvideo', 'location', 'link']) {
      assert.equal(message({ MsgType, MsgId: '3' }).inbound.kind, 'unsupported', MsgType);
    }
  });

  it('greets a new follower and turns a menu CLICK into a postback; other events are ignored', () => {
    const sub = message({ MsgType: 'event', Event: 'subscribe', EventKey: 'qrscene_123' });
    assert.equal(sub.inbound.kind, 'event');
    assert.equal(sub.inbound.payload, 'intent:greeting');
    assert.equal(sub.dedupeKey, 'event:oUser1:1700000000:subscribe');
    const click = message({ MsgType: 'event', Event: 'CLICK', EventKey: 'intent:order.status' });
    assert.equal(click.inbound.kind, 'postback');
    assert.equal(click.inbound.payload, 'intent:order.status');
    for (const Event of ['unsubscribe', 'VIEW', 'LOCATION', 'TEMPLATESENDJOBFINISH']) assert.equal(norm({ MsgType: 'event', Event }).type, 'ignored', Event);
    assert.equal(norm({ MsgType: 'somethingnew', MsgId: '4' }).type, 'ignored');
  });

  it('names the bad field when a callback is malformed', () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ FromUserName: undefined, MsgType: 'text', Content: 'x', MsgId: '1' }, /FromUserName/],
      [{ MsgType: 'text', Content: 'x', MsgId: 'abc' }, /MsgId: must be a decimal number/],
      [{ MsgType: 'text', MsgId: '1' }, /Content/],
      [{ MsgType: 'event', Event: 'CLICK' }, /EventKey/],
      [{ CreateTime: 'now', MsgType: 'text', Content: 'x', MsgId: '1' }, /CreateTime/],
    ];
    for (const [fields, pattern] of cases) {
      assert.throws(
        () => norm(fields),
        (err: unknown) => isKefuError(err, 'KEFU_ERR_ADAPTER_PAYLOAD') && pattern.test(err.message),
        String(pattern),
      );
    }
  });
});

// Typed numbers and taps → payloads: core/numbered-menus.ts (test/core/numbered-menus.test.ts), shared with wechaty.

describe('wechat render', () => {
  const msg = (over: Partial<OutboundMessage> = {}): OutboundMessage => ({ text: 'Pick a topic', locale: 'en', ...over });
  const items = [{ id: '101', label: 'Orders', payload: 'intent:orders' }];

  it('renders quick replies as a numbered msgmenu with the ids kept by the adapter', () => {
    const [out] = renderOutbound(msg(), items);
    assert.deepEqual(customMessageBody('oUser1', out as never), {
      touser: 'oUser1',
      msgtype: 'msgmenu',
      msgmenu: { head_content: 'Pick a topic', list: [{ id: '101', content: '1. Orders' }], tail_content: 'Tap an option or reply with its number.' },
    });
  });

  it('writes passive replies as WeChat XML, a menu as numbered lines', () => {
    const to = { openId: 'oUser1', account: 'gh_account', createTime: 1_700_000_000 };
    const [text] = renderOutbound(msg({ text: 'Hello' }), []);
    assert.deepEqual(parseWechatXml(passiveReplyXml(text as never, to)), {
      ToUserName: 'oUser1',
      FromUserName: 'gh_account',
      CreateTime: '1700000000',
      MsgType: 'text',
      Content: 'Hello',
    });
    const [menu] = renderOutbound(msg({ locale: 'zh', text: '请选择' }), items);
    assert.equal(parseWechatXml(passiveReplyXml(menu as never, to)).Content, '请选择\n\n1. Orders\n请点击选项或回复序号。');
    const [image] = renderOutbound(msg({ text: '', attachments: [{ kind: 'image', mediaId: 'M1' }] }), []);
    assert.deepEqual(parseWechatXml(passiveReplyXml(image as never, to)).Image, { MediaId: 'M1' });
  });

  it('refuses XML the parser chokes on with KEFU_ERR_ADAPTER_PAYLOAD, not an uncoded error (a 500)', () => {
    for (const body of ['<xml><ToUserName><!"[CDATA[x]]></ToUserName></xml>', '<xml><a>1</a>', '<xml><!DOCTYPE x></xml>']) {
      assert.throws(
        () => parseWechatXml(body),
        (err: unknown) => isKefuError(err, 'KEFU_ERR_ADAPTER_PAYLOAD'),
        body,
      );
    }
  });

  it('splits long texts below 2000 UTF-8 bytes, preferring line breaks', () => {
    const zh = '订单'.repeat(700); // 4200 bytes
    const parts = splitText(zh, 2000);
    assert.ok(parts.every((p) => Buffer.byteLength(p) <= 2000));
    assert.equal(parts.join(''), zh);
    const lines = splitText(`${'a'.repeat(1500)}\n${'b'.repeat(1500)}`, 2000);
    assert.deepEqual(lines, ['a'.repeat(1500), 'b'.repeat(1500)]);
    assert.deepEqual(splitText('', 2000), ['']);
  });

  it('plans one passive reply only when a single plain reply is ready in time', () => {
    const one = [msg({ text: 'Hi' })];
    const two = [msg({ text: 'Hi' }), msg({ text: 'More' })];
    const withMenu = [msg({ quickReplies: [{ label: 'Orders', payload: 'intent:orders' }] })];
    assert.equal(planReplies('auto', one, true).passive?.msgtype, 'text');
    assert.equal(planReplies('auto', one, false).api.length, 1);
    assert.equal(planReplies('auto', two, true).api.length, 2);
    assert.equal(planReplies('auto', withMenu, true).api[0]?.msgtype, 'msgmenu');
    assert.equal(planReplies('api', one, true).api.length, 1);
    const passive = planReplies('passive', [...two, ...withMenu], true);
    assert.deepEqual(passive, { passive: { msgtype: 'text', content: 'Hi\n\nMore\n\nPick a topic\n\n1. Orders\nTap an option or reply with its number.' }, api: [] });
    assert.deepEqual(planReplies('passive', one, false), { api: [] });
  });
});
