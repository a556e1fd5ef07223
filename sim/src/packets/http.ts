/** Plain HTTP/1.1 requests and responses (RFC 9112). */
import { concatBytes, latin1 } from './bytes.js';

export interface HttpRequestFields {
  method: string;
  /** The request target in origin form, e.g. `/wado?requestType=WADO`. */
  target: string;
  host: string;
  userAgent: string;
  headers?: readonly (readonly [string, string])[];
  body?: Uint8Array;
}

/** RFC 9112 §3: request line, RFC 9110 §7.2 Host, header fields, empty line, optional body. */
export function httpRequest(fields: HttpRequestFields): Uint8Array {
  const headers: [string, string][] = [
    ['Host', fields.host],
    ['User-Agent', fields.userAgent],
    ['Accept', '*/*'],
    ['Connection', 'close'],
    ...(fields.headers ?? []).map(([name, value]): [string, string] => [name, value]),
  ];
  if (fields.body) headers.push(['Content-Length', String(fields.body.length)]);
  const head = [`${fields.method} ${fields.target} HTTP/1.1`, ...headers.map(([n, v]) => `${n}: ${v}`), '', ''].join('\r\n');
  return concatBytes([latin1(head), fields.body ?? new Uint8Array(0)]);
}

export interface HttpResponseFields {
  status: number;
  reason: string;
  server: string;
  contentType: string;
  body: Uint8Array;
}

/** RFC 9112 §4: status line, header fields with Content-Length (§6.2), empty line, body. */
export function httpResponse(fields: HttpResponseFields): Uint8Array {
  const head = [
    `HTTP/1.1 ${fields.status} ${fields.reason}`,
    `Server: ${fields.server}`,
    `Content-Type: ${fields.contentType}`,
    `Content-Length: ${fields.body.length}`,
    'Connection: close',
    '',
    '',
  ].join('\r\n');
  return concatBytes([latin1(head), fields.body]);
}
