import type { IncomingHttpHeaders } from 'node:http';
import type { FalkorSecrets } from '../signature/signature.js';

/**
 * The parts of an incoming request the module reads. Express and Fastify requests both fit.
 */
export interface FalkorWebhookRequest {
  /** Request headers, lower-case names. */
  readonly headers: IncomingHttpHeaders;
  /** Route parameters. */
  readonly params?: unknown;
  /** The raw body bytes Nest keeps when the app is created with `rawBody: true`. */
  readonly rawBody?: Buffer;
  /** The parsed body, or the raw bytes when the app mounts a raw body parser itself. */
  readonly body?: unknown;
  /** The request URL (Fastify, and Express below a mount point). */
  readonly url?: string;
  /** The request URL as received (Express). */
  readonly originalUrl?: string;
}

/**
 * What a secret resolver is told about the delivery whose secret it must give.
 */
export interface FalkorSecretContext {
  /** Request headers, lower-case names. */
  readonly headers: IncomingHttpHeaders;
  /** Route parameters of the webhook path, e.g. `{ pathwayId: 'pw_1' }` for `webhooks/falkor/:pathwayId`. */
  readonly params: Readonly<Record<string, string>>;
  /** The request path, without the query string. */
  readonly path: string;
}

/**
 * Gives the secret(s) of one delivery, e.g. per pathway or per tenant. Return an empty list when the
 * delivery is for no known pathway: it is then rejected with 401.
 */
export type FalkorSecretResolver = (
  context: FalkorSecretContext,
) => FalkorSecrets | readonly [] | Promise<FalkorSecrets | readonly []>;
