/**
 * WeChat's flat `<xml>…</xml>` documents: parsed with fast-xml-parser into a string record (every
 * value kept as a string, so 64-bit MsgIds stay exact), and built back with CDATA for replies.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { KefuError } from '../../core';

const parser = new XMLParser({ parseTagValue: false, parseAttributeValue: false, ignoreAttributes: true, trimValues: true, ignoreDeclaration: true });

/** Parses a WeChat XML body into its `<xml>` children; throws KEFU_ERR_ADAPTER_PAYLOAD. */
export function parseWechatXml(raw: string): Record<string, unknown> {
  // No DTDs: WeChat never sends one, and entity declarations are an expansion/XXE vector.
  if (/<!DOCTYPE|<!ENTITY/i.test(raw)) throw payloadError('it declares a DOCTYPE or ENTITY');
  const valid = XMLValidator.validate(raw);
  if (valid !== true) throw payloadError(`it is not well-formed XML (${valid.err.msg} at line ${valid.err.line})`);
  const doc = parseOrRefuse(raw);
  const root = doc && typeof doc === 'object' ? (doc as Record<string, unknown>).xml : undefined;
  if (!root || typeof root !== 'object' || Array.isArray(root)) throw payloadError('it has no <xml> root element with children');
  return root as Record<string, unknown>;
}

/** fast-xml-parser throws plain errors on some inputs its validator lets through (`<!"[CDATA[…`). */
function parseOrRefuse(raw: string): unknown {
  try {
    return parser.parse(raw);
  } catch (err) {
    throw payloadError(`it is not well-formed XML (${err instanceof Error ? err.message.slice(0, 80) : 'unreadable'})`);
  }
}

export interface XmlFields {
  [name: string]: string | number | XmlFields;
}

/** Builds `<xml>` with the given children; strings go in CDATA, numbers as they are, objects nest. */
export function buildWechatXml(fields: XmlFields): string {
  return `<xml>${children(fields)}</xml>`;
}

function children(fields: XmlFields): string {
  return Object.entries(fields)
    .map(([name, value]) => `<${name}>${typeof value === 'number' ? String(value) : typeof value === 'string' ? cdata(value) : children(value)}</${name}>`)
    .join('');
}

function cdata(text: string): string {
  return `<![CDATA[${text.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}

function payloadError(why: string): KefuError {
  return new KefuError('KEFU_ERR_ADAPTER_PAYLOAD', `WeChat callback body refused: ${why}.`);
}
