import type { IncomingHttpHeaders } from 'node:http';
import type { FalkorVerifiedRequest } from '../core/verification/request-verifier.js';
import type { FalkorWebhookRequest } from '../core/verification/webhook.request.js';

/**
 * A failed listener call of a queued delivery's last attempt, as kept in its job.
 */
export interface FalkorQueuedFailure {
  /** `ClassName.methodName` of the listener. */
  readonly listener: string;
  /** The record event it was called for, absent for the delivery's type. */
  readonly event?: string;
  /** What it threw, as text. */
  readonly error: string;
}

/**
 * A verified, validated delivery as stored in the queue (a BullMQ job's data): everything the
 * worker needs to validate it again and dispatch it as the route would have, plus what earlier
 * attempts achieved.
 */
export interface FalkorQueuedDelivery extends Pick<
  FalkorVerifiedRequest,
  'platform' | 'signatureHeader' | 'secretIndex' | 'secretId'
> {
  /** The delivery's event type. */
  readonly type: string;
  /** The pathway's `ID`, for listings. */
  readonly pathway?: string;
  /** The exact body, as UTF-8 text (the body was checked to be strict UTF-8). */
  readonly body: string;
  /** The request headers, without credentials (`Authorization`, `Proxy-Authorization`, `Cookie`). */
  readonly headers: IncomingHttpHeaders;
  /** The route parameters. */
  readonly params: Readonly<Record<string, string>>;
  /** When the route received it, in ms since the epoch. */
  readonly receivedAt: number;
  /** Listeners of the delivery's type that succeeded in an earlier attempt: they do not run again. */
  readonly done: readonly string[];
  /** The failed listener calls of the last attempt. */
  readonly failures?: readonly FalkorQueuedFailure[];
}

/** Headers a proxy may forward that are nobody's business in Redis: the platform sends none. */
const CREDENTIAL_HEADERS: ReadonlySet<string> = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
]);

function withoutCredentials(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  return Object.fromEntries(
    Object.entries(headers).filter(([name]) => !CREDENTIAL_HEADERS.has(name)),
  );
}

/**
 * What the route stores for a delivery it acknowledges with 202: the request's headers without
 * `Authorization`, `Proxy-Authorization` and `Cookie`.
 *
 * @param type - the delivery's event type
 * @param payload - the validated payload, for its pathway
 * @param verified - what verified it
 * @param request - the request it came with
 * @param receivedAt - when it was received
 */
export function falkorQueuedDelivery(
  type: string,
  payload: object,
  verified: FalkorVerifiedRequest,
  request: FalkorWebhookRequest,
  receivedAt: Date,
): FalkorQueuedDelivery {
  const pathway = (payload as { data?: { pathway?: { ID?: unknown } } }).data?.pathway?.ID;
  return {
    type,
    ...(typeof pathway === 'string' ? { pathway } : {}),
    body: verified.rawBody.toString('utf8'),
    platform: verified.platform,
    signatureHeader: verified.signatureHeader,
    secretIndex: verified.secretIndex,
    ...(verified.secretId === undefined ? {} : { secretId: verified.secretId }),
    headers: withoutCredentials(request.headers),
    params: (request.params ?? {}) as Record<string, string>,
    receivedAt: receivedAt.getTime(),
    done: [],
  };
}

/**
 * The delivery a worker processes: the verified request and its request, rebuilt from the job.
 *
 * @param delivery - the job's data
 */
export function falkorDeliveryOfJob(delivery: FalkorQueuedDelivery): {
  readonly verified: FalkorVerifiedRequest;
  readonly request: FalkorWebhookRequest;
  readonly receivedAt: Date;
} {
  return {
    verified: {
      rawBody: Buffer.from(delivery.body, 'utf8'),
      platform: delivery.platform,
      signatureHeader: delivery.signatureHeader,
      secretIndex: delivery.secretIndex,
      ...(delivery.secretId === undefined ? {} : { secretId: delivery.secretId }),
    },
    request: { headers: delivery.headers, params: delivery.params },
    receivedAt: new Date(delivery.receivedAt),
  };
}
