/** An expected failure (bad option, missing file, a server that would not start): reported by its message alone, without a stack. */
export class BenchError extends Error {
  override name = 'BenchError';
}

export function isExpectedError(err: unknown): err is Error {
  return err instanceof BenchError || (err instanceof Error && String((err as { code?: unknown }).code ?? '').startsWith('ERR_PARSE_ARGS'));
}
