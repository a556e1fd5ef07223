/**
 * A small JSON client of the hub's HTTPS API: verifies the hub's certificate against its CA, keeps
 * connections alive (a thousand enrolments need not pay a thousand handshakes), and sends the
 * analyst credential where one is given.
 */
import { Agent, request } from 'node:https';
import { HubBenchError } from './hub-errors.js';

export interface ApiCredential {
  username: string;
  password: string;
}

export const hubApiDefaults = {
  timeoutMs: 30_000,
  maxSockets: 8,
};

export class HubApi {
  private readonly agent: Agent;
  private readonly authorization: string | undefined;

  constructor(
    private readonly apiUrl: string,
    ca: string,
    credential?: ApiCredential,
    maxSockets = hubApiDefaults.maxSockets,
  ) {
    this.agent = new Agent({ ca, keepAlive: true, maxSockets });
    this.authorization = credential ? `Basic ${Buffer.from(`${credential.username}:${credential.password}`).toString('base64')}` : undefined;
  }

  /** Sends one request; resolves with the parsed answer when its status is the one expected, else throws BENCH_ERR_HUB_API. */
  async call<T>(method: 'GET' | 'POST', path: string, expected: number, body?: unknown): Promise<T> {
    const url = new URL(path, this.apiUrl);
    const text = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (text !== undefined) headers['content-type'] = 'application/json';
    if (this.authorization) headers.authorization = this.authorization;
    const answer = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(url, { method, agent: this.agent, headers, timeout: hubApiDefaults.timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`no answer within ${hubApiDefaults.timeoutMs} ms`)));
      req.on('error', (err) => reject(new HubBenchError('BENCH_ERR_HUB_API', `${method} ${url.href}: ${err.message}`, { cause: err })));
      req.end(text);
    });
    if (answer.status !== expected) {
      let why = answer.text.slice(0, 300);
      try {
        const parsed = JSON.parse(answer.text) as { error?: string; message?: string };
        if (parsed.message) why = `${parsed.error ?? ''} ${parsed.message}`.trim();
      } catch {
        // not JSON: the raw text says it
      }
      throw new HubBenchError('BENCH_ERR_HUB_API', `${method} ${url.pathname} answered HTTP ${answer.status}: ${why}`);
    }
    return JSON.parse(answer.text) as T;
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Runs `work` over `items` with at most `limit` at once; resolves in item order, rejects on the first failure. */
export async function inParallel<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}
