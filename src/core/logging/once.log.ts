/**
 * Logs each distinct key once, remembering at most `memory` keys: a stranger who sends a new key
 * with every request fills the memory once, and nothing more is kept or logged after that (a last
 * line says so). Keys must already be bounded (see `printableFalkorValue`).
 */
export class FalkorOnceLog {
  private readonly seen = new Set<string>();

  /**
   * @param warn - where the lines go
   * @param memory - how many distinct keys to remember
   * @param full - the line logged once the memory is full
   */
  constructor(
    private readonly warn: (message: string) => void,
    private readonly memory: number,
    private readonly full: string,
  ) {}

  /**
   * Logs a message the first time its key is seen.
   *
   * @param key - what makes the message distinct (bounded)
   * @param message - the line, built only when it is logged
   */
  once(key: string, message: () => string): void {
    if (this.seen.has(key) || this.seen.size > this.memory) {
      return;
    }
    this.seen.add(key);
    this.warn(this.seen.size > this.memory ? this.full : message());
  }
}
