/** Small helpers shared by the store tests: a manual clock, coded-error checks, round-trip values. */
import assert from 'node:assert/strict';
import { type ErrorCode, isKefuError } from '../../core';

export interface Clock {
  now: () => number;
  tick: (ms: number) => void;
}

/** A clock that moves only when told; it starts at the real time so server-side TTL monitors leave test data alone. */
export function createClock(start = Date.now()): Clock {
  let t = start;
  return {
    now: () => t,
    tick: (ms) => {
      t += ms;
    },
  };
}

/** Asserts that `promise` rejects with a KefuError carrying `code`; returns the error. */
export async function expectCode(promise: Promise<unknown>, code: ErrorCode): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    assert.ok(isKefuError(err, code), `expected ${code}, got ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
    return err;
  }
  assert.fail(`expected a rejection with ${code}, but it resolved`);
}

/** Asserts that `fn` throws synchronously a KefuError carrying `code`; returns the error. */
export function expectCodeSync(fn: () => unknown, code: ErrorCode): Error {
  try {
    fn();
  } catch (err) {
    assert.ok(isKefuError(err, code), `expected ${code}, got ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
    return err;
  }
  assert.fail(`expected ${code} to be thrown`);
}

/** JSON values that stores commonly mangle: unicode, emoji, escapes, deep nesting, odd keys. */
export const ROUND_TRIP_VALUES: readonly unknown[] = [
  '你好，请问我的订单什么时候到？',
  '👩‍👩‍👧‍👦 🇨🇳 e\u0301 \u{1F600}',
  'quotes " \' backslash \\ newline \n tab \t nul \u0000 line sep \u2028',
  '',
  0,
  -1.5,
  1e21,
  Number.MAX_SAFE_INTEGER,
  true,
  false,
  null,
  [],
  {},
  [1, 'two', null, [3, [4, [5]]], { six: 6 }],
  {
    schema: 1,
    locale: 'zh',
    slots: { orderNo: '123456', 'dotted.key': 'x', $dollar: 'y', '': 'empty key', 'emoji🔑': '✓' },
    history: [{ role: 'user', text: '我要退款 😡', at: 1700000000000 }],
    deep: { a: { b: { c: { d: { e: { f: { g: 'deep' } } } } } } },
  },
];
