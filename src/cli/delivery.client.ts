import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';

/**
 * The outcome of one POST: the receiver's answer, or why there was none.
 */
export type DeliveryOutcome =
  | {
      /** The receiver answered. */
      readonly kind: 'answer';
      /** The HTTP status. */
      readonly status: number;
      /** The HTTP reason phrase. */
      readonly statusText: string;
      /** The response body as text. */
      readonly body: string;
      /** Time from sending to the end of the response body, in milliseconds. */
      readonly latencyMs: number;
    }
  | {
      /** No answer. */
      readonly kind: 'error';
      /** A short cause for summaries, e.g. `ECONNREFUSED` or `timeout`. */
      readonly cause: string;
      /** What happened and what to check. */
      readonly message: string;
      /** Time until the failure, in milliseconds. */
      readonly latencyMs: number;
    };

/**
 * One request to send.
 */
export interface DeliveryRequest {
  /** The webhook URL. */
  readonly url: URL;
  /** The exact body bytes. */
  readonly body: Uint8Array;
  /** The request headers, the signature included. */
  readonly headers: Readonly<Record<string, string>>;
  /** How long to wait for the answer, in milliseconds. */
  readonly timeoutMs: number;
}

const HINTS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused: is the app running and listening on that port?',
  ENOTFOUND: 'the host name does not resolve: check the URL',
  EAI_AGAIN: 'the host name could not be resolved right now: check the URL and the network',
  ECONNRESET: 'the connection was reset by the receiver',
  EHOSTUNREACH: 'the host is unreachable',
  ETIMEDOUT: 'the connection timed out',
};

function errorCode(error: unknown): string | undefined {
  const { code, errors } = error as { code?: unknown; errors?: { code?: unknown }[] };
  const found = code ?? errors?.[0]?.code;
  return typeof found === 'string' ? found : undefined;
}

/**
 * Explains why a request got no answer.
 *
 * @param error - what the request failed with
 * @param request - the request
 * @param timedOut - whether the request was aborted because it took longer than its timeout
 * @returns a short cause and a message naming the URL
 */
export function describeDeliveryError(
  error: unknown,
  request: Pick<DeliveryRequest, 'url' | 'timeoutMs'>,
  timedOut: boolean,
): { readonly cause: string; readonly message: string } {
  if (timedOut) {
    return {
      cause: 'timeout',
      message: `No answer from ${request.url.href} within ${request.timeoutMs} ms (raise it with --timeout <ms>).`,
    };
  }
  const code = errorCode(error);
  const detail = code ? (HINTS[code] ?? code) : String((error as Error).message ?? error);
  return { cause: code ?? 'error', message: `Could not deliver to ${request.url.href}: ${detail}` };
}

function readAnswer(response: IncomingMessage, started: number): Promise<DeliveryOutcome> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('error', reject);
    response.on('end', () =>
      resolve({
        kind: 'answer',
        status: response.statusCode ?? 0,
        statusText: response.statusMessage ?? '',
        body: Buffer.concat(chunks).toString('utf8'),
        latencyMs: performance.now() - started,
      }),
    );
  });
}

/**
 * POSTs one delivery with `node:http(s)` and reads the whole answer. Redirects are not followed, as
 * the platform does not follow them either.
 *
 * @param request - what to send
 * @returns the answer, or why there was none; it never throws
 */
export async function postDelivery(request: DeliveryRequest): Promise<DeliveryOutcome> {
  const started = performance.now();
  const signal = AbortSignal.timeout(request.timeoutMs);
  const send = request.url.protocol === 'https:' ? httpsRequest : httpRequest;
  try {
    return await new Promise<DeliveryOutcome>((resolve, reject) => {
      const outgoing = send(
        request.url,
        {
          method: 'POST',
          headers: { ...request.headers, 'Content-Length': String(request.body.length) },
          signal,
        },
        (response) => readAnswer(response, started).then(resolve, reject),
      );
      outgoing.on('error', reject);
      outgoing.end(request.body);
    });
  } catch (error) {
    return {
      kind: 'error',
      ...describeDeliveryError(error, request, signal.aborted),
      latencyMs: performance.now() - started,
    };
  }
}
