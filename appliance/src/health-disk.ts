/**
 * The file system that holds the sensor's data directory, for the health report: where it is
 * mounted, its size, what is used and what is free.
 *
 * The mount point is the longest mount point that is a prefix of the data directory's real path
 * and lies on the same device (stat(2) st_dev), which is how `df -P <dir>` names it: a symbolic
 * link or a bind mount is resolved as df resolves it. The mount points come from the kernel's
 * table (proc(5) /proc/self/mounts); where there is none, from systeminformation `fsSize`, which
 * runs df(1) — whose full listing leaves out tmpfs, squashfs and bind mounts, so that on Linux the
 * kernel's table is the one to trust. Mounts seldom change: the mount point is found again only
 * every `mountRefreshS`. The figures come from statfs(2) on every report (one system call), as df
 * computes them: total f_blocks, used f_blocks − f_bfree, free f_bavail (what the sensor, not
 * root, may still write), in blocks of f_bsize.
 */
import { readFile, realpath, stat, statfs } from 'node:fs/promises';
import { sep } from 'node:path';
import { fsSize } from 'systeminformation';
import { HEALTH_BOUNDS, type HealthDisk } from '@wardsight/protocol';
import type { HealthProblems } from './health-errors.js';

export const diskHealthDefaults = {
  mountRefreshS: 600,
  mountRefreshBounds: { minimum: 10, maximum: 86_400 },
};

const BYTES_PER_MB = 1e6;
const megabytes = (blocks: number, blockSize: number): number => Math.round((blocks * blockSize) / BYTES_PER_MB * 10) / 10;

/** True when `path` is `mount` or lies below it (at a path component boundary). */
export function isWithin(path: string, mount: string): boolean {
  if (mount === sep) return path.startsWith(sep);
  return path === mount || path.startsWith(mount + sep);
}

/**
 * The mount point holding `realPath`: the longest listed mount point that is a prefix of it and on
 * the same device, or undefined when none is listed.
 */
export async function mountPointOf(realPath: string, mountPoints: readonly string[]): Promise<string | undefined> {
  const device = (await stat(realPath)).dev;
  const candidates = [...new Set(mountPoints)].filter((m) => isWithin(realPath, m)).sort((a, b) => b.length - a.length);
  for (const mount of candidates) {
    const onDevice = await stat(mount).then((s) => s.dev === device, () => false);
    if (onDevice) return mount;
  }
  return undefined;
}

/** Decodes the octal escapes of a mount point in /proc/self/mounts (`\040` is a space). */
const unescapeMount = (field: string): string => field.replace(/\\([0-7]{3})/g, (_m, octal: string) => String.fromCharCode(parseInt(octal, 8)));

/** Mount points from the kernel's table (Linux), else from df through systeminformation. */
export async function listMountPoints(): Promise<string[]> {
  const table = await readFile('/proc/self/mounts', 'utf8').catch(() => undefined);
  const mounts = table !== undefined
    ? table.split('\n').map((line) => line.split(' ')[1]).filter((m): m is string => m !== undefined).map(unescapeMount)
    : (await fsSize()).map((f) => f.mount);
  return mounts.filter((m) => typeof m === 'string' && m.startsWith(sep));
}

export class DataDirDisk {
  private located: { path: string; realPath: string; at: number } | undefined;

  constructor(
    private readonly dataDir: string,
    private readonly problems: HealthProblems,
    private readonly mountRefreshS = diskHealthDefaults.mountRefreshS,
  ) {}

  async read(): Promise<HealthDisk | null> {
    try {
      const { path, realPath } = await this.locate();
      const fs = await statfs(realPath);
      const totalMB = megabytes(fs.blocks, fs.bsize);
      const usedMB = megabytes(fs.blocks - fs.bfree, fs.bsize);
      const freeMB = megabytes(fs.bavail, fs.bsize);
      for (const mb of [totalMB, usedMB, freeMB]) {
        if (mb < HEALTH_BOUNDS.diskMB.minimum || mb > HEALTH_BOUNDS.diskMB.maximum) throw new Error(`statfs of ${realPath} gave ${fs.blocks} blocks of ${fs.bsize} bytes`);
      }
      this.problems.recovered('APPLIANCE_ERR_HEALTH_DISK');
      return { path, totalMB, usedMB, freeMB };
    } catch (err) {
      // The directory may have gone, or been replaced: look for its mount again next time.
      this.located = undefined;
      this.problems.failed('APPLIANCE_ERR_HEALTH_DISK', err);
      return null;
    }
  }

  private async locate(): Promise<{ path: string; realPath: string }> {
    const now = Date.now();
    if (this.located && now - this.located.at < this.mountRefreshS * 1000) return this.located;
    const realPath = await realpath(this.dataDir);
    let path = realPath;
    try {
      const mount = await mountPointOf(realPath, await listMountPoints());
      if (mount === undefined) throw new Error(`no listed mount point holds ${realPath}`);
      path = mount;
      this.problems.recovered('APPLIANCE_ERR_HEALTH_MOUNTS');
    } catch (err) {
      this.problems.failed('APPLIANCE_ERR_HEALTH_MOUNTS', err);
    }
    if (path.length > 4096) path = path.slice(0, 4096);
    this.located = { path, realPath, at: now };
    return this.located;
  }
}
