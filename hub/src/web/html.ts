/** Escaping and small formatters for the hub's server-rendered pages: every text from a sensor or a device goes through `esc`. */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** HTML-escapes text for an element's content or a quoted attribute value. */
export const esc = (s: string | null | undefined): string => (s ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

/** What a cell shows for a figure the sensor could not give. */
export const NONE = '—';

const grouped = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 });

/** A number with thousands separators and at most one decimal. */
export const num = (n: number): string => grouped.format(n);

/** Megabytes (10^6 bytes, as the health report counts them) in MB below 10 GB, else GB. */
export function megabytes(mb: number): string {
  return mb < 10_000 ? `${num(Math.round(mb))} MB` : `${num(Math.round(mb / 100) / 10)} GB`;
}

/** A duration in its two largest units: `3 d 4 h`, `12 min 5 s`, `42 s`. */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const units: [string, number][] = [['d', 86_400], ['h', 3600], ['min', 60], ['s', 1]];
  const parts: string[] = [];
  let rest = s;
  for (const [name, size] of units) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0 || (parts.length === 0 && size === 1)) parts.push(`${n} ${name}`);
    if (parts.length === 2 || (parts.length > 0 && n === 0)) break;
  }
  return parts.join(' ');
}

/** An ISO time as `YYYY-MM-DD HH:mm:ss UTC`. */
export function utc(iso: string): string {
  const t = new Date(iso);
  return Number.isNaN(t.getTime()) ? iso : `${t.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** A signed clock offset in ms or s: `+187 ms`, `−2.3 s`. */
export function offset(ms: number): string {
  const sign = ms < 0 ? '−' : '+';
  const abs = Math.abs(ms);
  return abs < 1000 ? `${sign}${num(Math.round(abs))} ms` : `${sign}${abs < 86_400_000 ? `${num(Math.round(abs / 100) / 10)} s` : duration(abs / 1000)}`;
}
