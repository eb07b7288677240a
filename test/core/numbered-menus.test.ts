/** core/numbered-menus.ts: what a typed answer stands for on a text-only channel, and when the menu changes. Pure. */
import assert from 'node:assert/strict';
import { MENU_TTL_MS, menuItems, optionLine, resolveMenuAnswer } from '../../core';
import { couldAnswerMenu, menuAfter } from '../../core/numbered-menus';

const options = [
  { label: 'Orders', payload: 'intent:orders' },
  { label: 'Refunds', payload: 'intent:refund' },
];
const menu = { options, at: 0 };

describe('numbered menus', () => {
  it('maps a typed number (also full-width or with a dot), the label and the shown line to the payload', () => {
    for (const text of ['1', ' 1 ', '１', '1.', '1、', 'orders', '1. Orders']) assert.equal(resolveMenuAnswer(menu, { text }, 0), 'intent:orders', text);
    assert.equal(resolveMenuAnswer(menu, { text: '２.' }, 0), 'intent:refund');
    for (const text of ['3', '0', '123456', 'order', '']) assert.equal(resolveMenuAnswer(menu, { text }, 0), undefined, text);
    assert.equal(resolveMenuAnswer(undefined, { text: '1' }, 0), undefined);
  });

  it('maps a tapped item id of this menu only, and nothing once the menu is a day old', () => {
    const [first, second] = menuItems(options);
    assert.equal(resolveMenuAnswer(menu, { text: '', itemId: second?.id }, 0), 'intent:refund');
    const other = menuItems([{ label: 'Yes', payload: 'yes' }]);
    assert.notEqual(other[0]?.id, first?.id);
    assert.equal(resolveMenuAnswer(menu, { text: '1. Orders', itemId: other[0]?.id }, 0), undefined, 'a tap on a replaced menu is plain text');
    assert.equal(resolveMenuAnswer(menu, { text: '1' }, MENU_TTL_MS + 1), undefined);
  });

  it('gives stable ids: the menu tag, then the option number', () => {
    assert.deepEqual(
      menuItems(options).map((i) => i.id),
      menuItems(options).map((i) => i.id),
    );
    assert.match(menuItems(options)[1]?.id ?? '', /^\d{4}02$/);
    assert.equal(optionLine('Orders', 0), '1. Orders');
  });

  it('takes the last shown message’s options; a message without options ends the menu', () => {
    assert.deepEqual(
      menuAfter(
        undefined,
        [
          { text: 'a', locale: 'en' },
          { text: 'b', locale: 'en', quickReplies: options },
        ],
        5,
      ),
      { menu: { options, at: 5 } },
    );
    assert.deepEqual(menuAfter(menu, [{ text: 'question?', locale: 'en' }], 5), { menu: undefined });
    assert.equal(menuAfter(undefined, [{ text: 'plain', locale: 'en' }], 5), undefined, 'nothing to write');
    assert.equal(menuAfter(menu, [], 5), undefined);
  });

  it('reads the session only for short texts or a tapped item', () => {
    assert.equal(couldAnswerMenu({ text: '2' }), true);
    assert.equal(couldAnswerMenu({ text: '', itemId: '100101' }), true);
    assert.equal(couldAnswerMenu({ text: 'x'.repeat(200) }), false);
    assert.equal(couldAnswerMenu({ text: '   ' }), false);
  });
});
