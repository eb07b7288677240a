/**
 * Text patterns of stories: `/regex/flags` is a regular expression, anything else a substring
 * (case-sensitive). Written as in the story, so a report shows exactly what the author wrote.
 */
export interface Pattern {
  /** As written in the story. */
  source: string;
  test(text: string): boolean;
}

const REGEX_LITERAL = /^\/(.+)\/([dgimsuyv]*)$/s;

/** Compiles a story pattern; throws a SyntaxError naming the pattern when the regex is invalid. */
export function compilePattern(source: string): Pattern {
  const literal = REGEX_LITERAL.exec(source);
  if (!literal) return { source, test: (text) => text.includes(source) };
  // `g` and `y` make test() stateful; a story pattern is tested once per message, so they are dropped.
  const regex = new RegExp(literal[1] as string, (literal[2] as string).replace(/[gy]/g, ''));
  return { source, test: (text) => regex.test(text) };
}
