/**
 * The REST server's two output formats (webservice/rest/locallib.php). JSON is PHP's json_encode of the
 * cleaned return value; XML is written from the raw return value, which is why XML shows optional keys
 * as null that JSON leaves out (compare err_bad_rest_format_xml_default with ok_core_webservice_get_site_info).
 */
import type { MoodleException } from './errors';

/**
 * An optional return key that the function set to null: left out of JSON (clean_returnvalue skips unset
 * optional keys), written as <VALUE null="null"/> in XML.
 */
export const OPTIONAL_NULL = Symbol('optional null');

export interface EncodedResponse {
  status: number;
  contentType: string;
  body: string;
}

export const JSON_CONTENT_TYPE = 'application/json';
export const XML_CONTENT_TYPE = 'application/xml; charset=utf-8';
export const HTML_CONTENT_TYPE = 'text/html; charset=utf-8';

/**
 * json_encode without flags: slashes escaped as \/ and non-ASCII as \uXXXX, like PHP. Optional nulls
 * (OPTIONAL_NULL, a symbol) and undefined keys are left out by JSON.stringify itself, which omits an
 * object's symbol and undefined values (and writes null for them in an array): no copy of the value is
 * made first, as a gradebook answer is hundreds of kilobytes and copying it cost more than encoding it.
 */
export function phpJsonEncode(value: unknown): string {
  const json = JSON.stringify(value) ?? 'null';
  return json
    .replace(/\//g, '\\/')
    .replace(/[\u0080-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

const xmlEscape = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function xmlize(value: unknown): string {
  if (value === null || value === OPTIONAL_NULL) return '<VALUE null="null"/>\n';
  if (Array.isArray(value)) return '<MULTIPLE>\n' + value.map(xmlize).join('') + '</MULTIPLE>\n';
  if (typeof value === 'object') {
    const keys = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return (
      '<SINGLE>\n' + keys.map(([k, v]) => `<KEY name="${xmlEscape(k)}">${xmlize(v)}</KEY>\n`).join('') + '</SINGLE>\n'
    );
  }
  const text = typeof value === 'boolean' ? (value ? '1' : '0') : String(value);
  return `<VALUE>${xmlEscape(text)}</VALUE>\n`;
}

export function encodeSuccess(value: unknown, format: 'json' | 'xml'): EncodedResponse {
  if (format === 'json') return { status: 200, contentType: JSON_CONTENT_TYPE, body: phpJsonEncode(value) };
  const inner = value === null ? '' : xmlize(value);
  return {
    status: 200,
    contentType: XML_CONTENT_TYPE,
    body: '<?xml version="1.0" encoding="UTF-8" ?>\n<RESPONSE>\n' + inner + '</RESPONSE>\n',
  };
}

export function encodeError(error: MoodleException, format: 'json' | 'xml', debug: boolean): EncodedResponse {
  const body = error.toBody(debug);
  if (format === 'json') return { status: 200, contentType: JSON_CONTENT_TYPE, body: phpJsonEncode(body) };
  let xml = '<?xml version="1.0" encoding="UTF-8" ?>\n';
  xml += `<EXCEPTION class="${xmlEscape(body.exception)}">\n`;
  if (body.errorcode !== undefined) xml += `<ERRORCODE>${xmlEscape(body.errorcode)}</ERRORCODE>\n`;
  xml += `<MESSAGE>${xmlEscape(body.message)}</MESSAGE>\n`;
  if (body.debuginfo !== undefined) xml += `<DEBUGINFO>${xmlEscape(body.debuginfo)}</DEBUGINFO>\n`;
  xml += '</EXCEPTION>\n';
  return { status: 200, contentType: XML_CONTENT_TYPE, body: xml };
}
