import assert from 'node:assert/strict';
import { isKefuError } from '../../core';
import { parseBusinessHours } from '../../plugins/handoff';

const at = (iso: string) => Date.parse(iso);

describe('handoff business hours', () => {
  it('"always" is always open', () => {
    assert.equal(parseBusinessHours('always')(at('2025-01-05T03:00:00Z')), true);
  });

  const shanghai = parseBusinessHours('1-5 09:00-18:00 Asia/Shanghai');
  const table: Array<[string, boolean]> = [
    ['2025-01-06T01:00:00Z', true], // Mon 09:00 Shanghai: opens
    ['2025-01-06T00:59:00Z', false], // Mon 08:59
    ['2025-01-06T09:59:00Z', true], // Mon 17:59
    ['2025-01-06T10:00:00Z', false], // Mon 18:00: closed
    ['2025-01-10T05:00:00Z', true], // Fri 13:00
    ['2025-01-11T05:00:00Z', false], // Sat 13:00
    ['2025-01-05T05:00:00Z', false], // Sun 13:00
  ];
  for (const [iso, open] of table) {
    it(`1-5 09:00-18:00 Asia/Shanghai at ${iso} → ${open ? 'open' : 'closed'}`, () => assert.equal(shanghai(at(iso)), open));
  }

  it('uses the zone: Monday 01:30 in Shanghai is Sunday in UTC, and closed', () => {
    assert.equal(shanghai(at('2025-01-05T17:30:00Z')), false);
  });

  it('spans midnight: 22:00-06:00 belongs to the day it opened', () => {
    const night = parseBusinessHours('1-5 22:00-06:00');
    assert.equal(night(at('2025-01-06T23:00:00Z')), true); // Mon 23:00
    assert.equal(night(at('2025-01-07T05:00:00Z')), true); // Tue 05:00 (Monday's shift)
    assert.equal(night(at('2025-01-06T05:00:00Z')), false); // Mon 05:00 (Sunday's shift: Sunday is not 1-5)
    assert.equal(night(at('2025-01-06T12:00:00Z')), false);
  });

  it('days are optional (every day) and 7 is Sunday', () => {
    assert.equal(parseBusinessHours('09:00-17:00')(at('2025-01-05T10:00:00Z')), true);
    assert.equal(parseBusinessHours('6-7 09:00-17:00')(at('2025-01-05T10:00:00Z')), true);
    assert.equal(parseBusinessHours('6-7 09:00-17:00')(at('2025-01-06T10:00:00Z')), false);
  });

  it('rejects bad specs with a coded error naming the value', () => {
    for (const bad of ['weekdays', '1-5 9:00-18:00', '1-5 09:00-18:00 Mars/Olympus', '25:00-26:00']) {
      assert.throws(
        () => parseBusinessHours(bad),
        (e: unknown) => isKefuError(e, 'KEFU_ERR_CONFIG_INVALID') && e.message.includes(bad.split(' ').pop() as string),
        bad,
      );
    }
  });
});
