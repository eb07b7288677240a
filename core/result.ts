/** A validator's answer: a value, or the key of the text that explains what was wrong. */
export type Result<T, E = string> = { ok: true; value: T } | { ok: false; error: E };

/** @example return ok(orderNo) */
export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

/** @example return fail('orderNoFormat') */
export function fail<E = string>(error: E): { ok: false; error: E } {
  return { ok: false, error };
}
