/**
 * Polls `get` (every 20 ms) until it gives something other than undefined or false, and resolves to
 * that. A bound against hangs, failing with "timed out waiting for <what>"; not a timing assertion.
 */
export async function until<T>(what: string, get: () => T | undefined | false | Promise<T | undefined | false>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await get();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
