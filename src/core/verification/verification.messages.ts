import { printableFalkorValue } from '../logging/printable.text.js';
import type { FalkorVerifiedRequest } from './request-verifier.js';

/**
 * Names the secret that verified a delivery by its index and, when it has one, its id; never by
 * its value.
 *
 * @param verified - what verified
 * @returns e.g. `secret #1 "2026-05"` or `secret #0`
 */
function falkorSecretLabel(
  verified: Pick<FalkorVerifiedRequest, 'secretIndex' | 'secretId'>,
): string {
  return verified.secretId === undefined
    ? `secret #${verified.secretIndex}`
    : // A resolver may build ids from the request's path, which a stranger chooses.
      `secret #${verified.secretIndex} ${printableFalkorValue(verified.secretId)}`;
}

/**
 * The debug log line of a verified delivery: which header and which secret matched (by index or id,
 * never the value), so that a rotation can be followed in the logs.
 *
 * @param verified - what verified
 */
export function falkorVerifiedMessage(verified: FalkorVerifiedRequest): string {
  return (
    `Verified a ${verified.platform} delivery of ${verified.rawBody.length} bytes: ` +
    `${verified.signatureHeader} matched ${falkorSecretLabel(verified)}.`
  );
}
