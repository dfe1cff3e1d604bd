/** Stops the redis-server the global setup started, if it started one. */
export default async function stopTestRedis(): Promise<void> {
  await globalThis.falkorTestRedis?.dispose();
  globalThis.falkorTestRedis = undefined;
}
