/**
 * Which shard worker owns a device: chosen from the low 24 bits of its MAC address (the part a
 * maker assigns per interface), so that every frame a device sends, and its state, land in one
 * worker. Frames are assigned the same way as they are read from the ring (`shardOfRange`).
 */

/** Shard of a device key `mac:aa:bb:cc:dd:ee:ff`; devices without a MAC go to shard 0. */
export function shardOfKey(key: string, shards: number): number {
  if (shards <= 1 || !key.startsWith('mac:') || key.length !== 21) return 0;
  return Number.parseInt(key.slice(13).replaceAll(':', ''), 16) % shards;
}
