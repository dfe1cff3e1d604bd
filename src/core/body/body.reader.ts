import type { Readable } from 'node:stream';
import { FalkorBodyTooLargeError, FalkorPayloadError } from '../errors/falkor-webhook.errors.js';

/**
 * Whether a request still holds its whole body unread: no body parser took it (Express leaves
 * content types it does not parse, and requests without one, to the route).
 *
 * @param request - the request, an `IncomingMessage` on Express
 */
export function isUnreadFalkorBody(request: object): request is Readable {
  const stream = request as Partial<Readable>;
  return (
    typeof stream.on === 'function' &&
    stream.readableEnded === false &&
    stream.readableDidRead === false
  );
}

/**
 * Reads a request body that no parser took, keeping at most `maxBytes`: a longer body is refused
 * as soon as it passes the limit, without buffering the rest.
 *
 * @param stream - the unread request
 * @param maxBytes - the largest body accepted
 * @returns the exact body bytes
 * @throws FalkorBodyTooLargeError once the body passes `maxBytes`, FalkorPayloadError when the
 * connection fails before the body's end
 */
export function readFalkorBody(stream: Readable, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const onData = (chunk: Buffer) => {
      length += chunk.length;
      if (length > maxBytes) {
        cleanup();
        stream.resume();
        reject(new FalkorBodyTooLargeError(maxBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks, length));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(new FalkorPayloadError(`The request body could not be read (${error.message}).`));
    };
    const cleanup = () => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
    };
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
  });
}
