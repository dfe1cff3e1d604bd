/** The secret every benchmark server verifies with and every delivery is signed with. */
export const BENCH_SECRET = 'bench-secret-7c1e0f5b2a9d';

/** The route every variant serves, so that the load is the same for all of them. */
export const BENCH_PATH = '/webhooks/falkor';

/** The CPU the servers are pinned to. */
export const SERVER_CPU = '1';

/** The CPU the load generator is pinned to. */
export const LOAD_CPU = '0';

/** The server variants: a bare route, this module, and the stack written by hand without it. */
export const VARIANTS = ['bare', 'module', 'naive'] as const;

/** A server variant. */
export type VariantName = (typeof VARIANTS)[number];

/** The HTTP adapters measured. */
export const ADAPTERS = ['express', 'fastify'] as const;

/** An HTTP adapter. */
export type AdapterName = (typeof ADAPTERS)[number];

/**
 * The body limit of the variants written without the package (8 MiB, the module's default
 * `maxBodyBytes`): Express's JSON parser refuses anything over 100 kB by default, the snapshot
 * load is about 300 KB, and no variant should refuse what another accepts.
 */
export const BENCH_BODY_LIMIT = 8 * 1024 * 1024;
