/**
 * The command line's way to the local hub: its address and CA from `hub.json` in the hub's data
 * directory, the analyst credential from the credential file, verified HTTPS. Refusals come back as
 * the hub's own message and code.
 */
import { readFile } from 'node:fs/promises';
import { Agent, request } from 'node:https';
import { hubPaths, type HubEndpoint } from '@wardsight/hub/config';

export const hubClientDefaults = { timeoutMs: 10_000 };

export class HubRefusal extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
  ) {
    super(message);
    this.name = 'HubRefusal';
  }
}

export async function readEndpoint(dataDir: string): Promise<HubEndpoint> {
  const paths = hubPaths(dataDir);
  try {
    return JSON.parse(await readFile(paths.endpoint, 'utf8')) as HubEndpoint;
  } catch {
    throw new Error(`no hub has run with data directory ${dataDir} (missing ${paths.endpoint}); start one with \`wardsight hub\` or \`make demo\``);
  }
}

/**
 * One API call; resolves with the parsed JSON of a 2xx answer, rejects with HubRefusal otherwise.
 * A Uint8Array body goes as it is (`application/octet-stream`), anything else as JSON.
 */
export async function hubRequest<T>(dataDir: string, method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown, timeoutMs = hubClientDefaults.timeoutMs): Promise<T> {
  const endpoint = await readEndpoint(dataDir);
  const { readAdminCredential } = await import('@wardsight/hub');
  const credential = await readAdminCredential(hubPaths(dataDir).adminCredential);
  const ca = await readFile(endpoint.caFile, 'utf8');
  const url = new URL(path, endpoint.apiUrl);
  const auth = Buffer.from(`${credential.username}:${credential.password}`).toString('base64');
  const raw = body instanceof Uint8Array;
  const payload = body === undefined ? undefined : raw ? body : JSON.stringify(body);
  const headers: Record<string, string> = { authorization: `Basic ${auth}`, accept: 'application/json' };
  if (payload !== undefined) headers['content-type'] = raw ? 'application/octet-stream' : 'application/json';
  return new Promise<T>((resolve, reject) => {
    const req = request(url, { method, agent: new Agent({ ca }), headers, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) return resolve(JSON.parse(text) as T);
        let answer: { error?: string; message?: string } = {};
        try {
          answer = JSON.parse(text) as typeof answer;
        } catch {
          // not JSON: the status says it
        }
        reject(new HubRefusal(answer.message ?? `hub answered ${status} for ${method} ${url.pathname}`, status, answer.error ?? `HTTP_${status}`));
      });
    });
    req.on('timeout', () => req.destroy(new Error(`hub at ${endpoint.apiUrl} did not answer within ${timeoutMs / 1000} s`)));
    req.on('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'ECONNREFUSED' ? new Error(`the hub at ${endpoint.apiUrl} is not running (connection refused)`) : err),
    );
    req.end(payload);
  });
}
