/** What the benchmark runner asks a server over IPC. */
export type ServerRequest =
  { readonly type: 'heap' } | { readonly type: 'cpu' } | { readonly type: 'stop' };

/** What a server tells the benchmark runner over IPC. */
export type ServerReply =
  | { readonly type: 'listening'; readonly port: number }
  | { readonly type: 'heap'; readonly heapUsed: number }
  | { readonly type: 'cpu'; readonly micros: number };
