/**
 * A small JSON reader that keeps where every value sits in the text, so a corpus file can be edited
 * in place (new utterances inserted after the last one, in the file's own layout) instead of being
 * re-printed. The text must already be valid JSON (callers run JSON.parse first).
 */
export type JsonNode =
  | { kind: 'object'; start: number; end: number; fields: Array<{ key: string; value: JsonNode }> }
  | { kind: 'array'; start: number; end: number; items: JsonNode[] }
  | { kind: 'string'; start: number; end: number; value: string }
  | { kind: 'other'; start: number; end: number };

export function readJsonSpans(text: string): JsonNode {
  let i = 0;
  const space = () => {
    while (i < text.length && /\s/.test(text[i] as string)) i++;
  };
  const value = (): JsonNode => {
    space();
    const start = i;
    const c = text[i];
    if (c === '{') {
      i++;
      const fields: Array<{ key: string; value: JsonNode }> = [];
      space();
      if (text[i] === '}') return { kind: 'object', start, end: ++i, fields };
      for (;;) {
        const key = value();
        space();
        i++; // ':'
        fields.push({ key: key.kind === 'string' ? key.value : '', value: value() });
        space();
        if (text[i++] === '}') return { kind: 'object', start, end: i, fields };
      }
    }
    if (c === '[') {
      i++;
      const items: JsonNode[] = [];
      space();
      if (text[i] === ']') return { kind: 'array', start, end: ++i, items };
      for (;;) {
        items.push(value());
        space();
        if (text[i++] === ']') return { kind: 'array', start, end: i, items };
      }
    }
    if (c === '"') {
      i++;
      while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      i++;
      return { kind: 'string', start, end: i, value: JSON.parse(text.slice(start, i)) as string };
    }
    while (i < text.length && !/[\s,\]}]/.test(text[i] as string)) i++;
    return { kind: 'other', start, end: i };
  };
  return value();
}

export function field(node: JsonNode | undefined, key: string): JsonNode | undefined {
  return node?.kind === 'object' ? node.fields.find((f) => f.key === key)?.value : undefined;
}

/** The text between the last two items (or after `[` when there is one), reused to add items. */
export function separatorOf(text: string, list: JsonNode & { kind: 'array' }): string {
  const { items } = list;
  if (items.length >= 2) return text.slice((items.at(-2) as JsonNode).end, (items.at(-1) as JsonNode).start);
  const lead = items[0] ? text.slice(list.start + 1, items[0].start) : '';
  return lead.includes('\n') ? `,${lead}` : ', ';
}

/** The whitespace a value's line starts with. */
export function indentOf(text: string, at: number): string {
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  const lead = text.slice(lineStart, at);
  return /^\s*$/.test(lead) ? lead : '';
}
