/**
 * Reading Mosquitto's log file from a known offset: how the hub learns that the broker is running
 * or has reloaded its configuration, and how an operator (or a test) finds the denials it logged.
 * Mosquitto flushes each line as it writes it, so a line is complete once it ends in a newline.
 */
import { open, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

export const mosquittoLogDefaults = {
  /** How often the file is looked at while waiting for a line. */
  pollMs: 25,
  /** At most this much of the log is read in one go. */
  maxReadBytes: 4 * 1024 * 1024,
} as const;

/** The log's size now: lines written after this offset are news. 0 when it does not exist yet. */
export async function logOffset(logFile: string): Promise<number> {
  try {
    return (await stat(logFile)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
}

/** The complete lines written at or after `offset`, and the offset just past the last of them. */
export async function readLogLines(logFile: string, offset = 0): Promise<{ lines: string[]; next: number }> {
  let handle;
  try {
    handle = await open(logFile, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { lines: [], next: offset };
    throw error;
  }
  try {
    const buffer = Buffer.alloc(Math.min(Math.max((await handle.stat()).size - offset, 0), mosquittoLogDefaults.maxReadBytes));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
    const end = buffer.subarray(0, bytesRead).lastIndexOf(0x0a) + 1;
    const text = buffer.subarray(0, end).toString('utf8');
    return { lines: text.split('\n').filter((line) => line.length > 0), next: offset + end };
  } finally {
    await handle.close();
  }
}

/**
 * The first line at or after `offset` that matches `pattern`, or null once `deadlineMs` has passed
 * or `stopWaiting()` says there is no point waiting any more (the broker exited).
 */
export async function waitForLogLine(
  logFile: string,
  offset: number,
  pattern: RegExp,
  deadlineMs: number,
  stopWaiting: () => boolean = () => false,
): Promise<string | null> {
  const deadline = Date.now() + deadlineMs;
  let next = offset;
  for (;;) {
    const read = await readLogLines(logFile, next);
    const found = read.lines.find((line) => pattern.test(line));
    if (found !== undefined) return found;
    next = read.next;
    if (Date.now() >= deadline || stopWaiting()) return null;
    await sleep(mosquittoLogDefaults.pollMs);
  }
}
