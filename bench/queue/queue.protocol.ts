/**
 * What a queue benchmark process runs: the bare route, the module inline, or the module with the
 * `queue` option in one of its roles.
 */
export type QueueBenchKind = 'bare' | 'inline' | 'both' | 'receiver' | 'worker';

/** What the runner asks a queue benchmark process over IPC. */
export type QueueBenchRequest =
  | { readonly type: 'cpu' }
  | { readonly type: 'probe'; readonly reset: boolean }
  | { readonly type: 'notify'; readonly on: boolean }
  | { readonly type: 'clock' }
  | { readonly type: 'stop' };

/** What the listener of a process saw since the last reset. */
export interface ProbeReading {
  /** Listener calls started. */
  readonly started: number;
  /** Listener calls finished. */
  readonly finished: number;
  /**
   * For each call started, milliseconds from the sender's clock reading carried in the body to
   * the listener's first line (both read `CLOCK_MONOTONIC`, which all processes of a Linux host
   * share).
   */
  readonly latencies: readonly number[];
}

/** What a queue benchmark process tells the runner over IPC. */
export type QueueBenchReply =
  | { readonly type: 'listening'; readonly port: number }
  | { readonly type: 'cpu'; readonly micros: number }
  | ({ readonly type: 'probe' } & ProbeReading)
  | { readonly type: 'clock'; readonly ns: string }
  | { readonly type: 'started' };
