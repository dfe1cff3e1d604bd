import type { IncomingHttpHeaders } from 'node:http';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { FalkorWebhookError, signFalkorPayload } from '../../src/index.js';
import { verifyFalkorRequest } from '../../src/core/verification/request-verifier.js';
import { prepareFalkorSignatureHeaders } from '../../src/nest/falkor-webhook.settings.js';
import { bodyBytes, CORE_RUNS, headerValue } from './arbitraries.js';

const SECRET = 'whsec-property';
const settings = {
  headers: prepareFalkorSignatureHeaders(['ByteKast', 'Falkor'], 'test'),
  maxBodyBytes: 1024,
  secretsFor: () => [SECRET],
};

describe('verifyFalkorRequest (property-based)', () => {
  it('answers any headers and body with a verified request or a 401, 413 or 415, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          contentType: fc.oneof(
            fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain'),
            fc.string(),
          ),
          falkor: headerValue,
          bytekast: fc.option(headerValue, { nil: undefined }),
          body: bodyBytes,
          signed: fc.boolean(),
          contentLength: fc.option(fc.string(), { nil: undefined }),
        }),
        async ({ contentType, falkor, bytekast, body, signed, contentLength }) => {
          const headers: IncomingHttpHeaders = {
            'content-type': contentType,
            'falkor-webhook-signature': (signed
              ? signFalkorPayload(body, SECRET)
              : falkor) as string,
            'bytekast-webhook-signature': bytekast as string | undefined,
            'content-length': contentLength,
          };
          try {
            const verified = await verifyFalkorRequest(
              { headers, rawBody: Buffer.from(body) },
              settings,
            );
            expect(verified.rawBody.equals(body)).toBe(true);
          } catch (error) {
            expect(error).toBeInstanceOf(FalkorWebhookError);
            expect([401, 413, 415]).toContain((error as FalkorWebhookError).status);
          }
        },
      ),
      { numRuns: CORE_RUNS },
    );
  });
});
