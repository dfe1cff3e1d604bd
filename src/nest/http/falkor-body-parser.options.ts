import type { IncomingMessage } from 'node:http';
import { Logger } from '@nestjs/common';
import {
  FalkorUnsupportedEncodingError,
  isIdentityFalkorEncoding,
} from '../../core/verification/content-encoding.js';
import { falkorRefusal } from './falkor-webhook.refusal.js';
import { DEFAULT_FALKOR_WEBHOOK_PATH } from '../falkor-webhook.module-definition.js';
import { DEFAULT_FALKOR_MAX_BODY_BYTES } from '../falkor-webhook.settings.js';

/**
 * Options of Express's raw body parser (`app.useBodyParser('raw', ...)`), made by
 * {@link falkorBodyParserOptions}.
 */
export interface FalkorBodyParserOptions {
  /**
   * Takes the requests to the webhook path, whatever their Content-Type (or none); throws the
   * module's 415 for a compressed one.
   */
  readonly type: (request: IncomingMessage) => boolean;
  /** The largest body read, in bytes. */
  readonly limit: number;
  /** `false`: a compressed body is never inflated, whatever else reads it. */
  readonly inflate: false;
}

const logger = new Logger('FalkorWebhook');

/**
 * Options for Express's raw body parser that hand the webhook route its deliveries as their exact
 * bytes, before any JSON or form parser reads them: the platform documents no Content-Type (a
 * PHP sender that sets none sends `application/x-www-form-urlencoded`), and a delivery may be a
 * snapshot of the whole pathway, far beyond Express's 100 kB JSON limit. Other routes keep the
 * app's parsers.
 *
 * A compressed delivery (any `Content-Encoding` but `identity`) is refused with the module's 415
 * before a byte of it is read: the platform documents no compression, and inflating it would
 * change the bytes that were signed and let a small body grow past the limit. Express's own raw
 * parser would answer a 415 of its own, and skipping the request would leave it to the JSON
 * parser, which inflates.
 *
 * @example
 * ```ts
 * const app = await NestFactory.create<NestExpressApplication>(AppModule, { rawBody: true });
 * app.useBodyParser('raw', falkorBodyParserOptions());
 * ```
 *
 * @param path - the URL path of the webhook route, global prefix included; deeper paths (route
 *   parameters such as `webhooks/falkor/:pathwayId`) are taken too. Default `webhooks/falkor`.
 * @param limit - the largest body read, in bytes. Default {@link DEFAULT_FALKOR_MAX_BODY_BYTES},
 *   the module's own default `maxBodyBytes`: keep it at least `maxBodyBytes`.
 */
export function falkorBodyParserOptions(
  path: string = DEFAULT_FALKOR_WEBHOOK_PATH,
  limit: number = DEFAULT_FALKOR_MAX_BODY_BYTES,
): FalkorBodyParserOptions {
  const prefix = `/${path.replace(/^\/+|\/+$/g, '')}`;
  return {
    type: (request) => {
      const url = request.url ?? '';
      const end = url.search(/[?#]/);
      const pathname = end === -1 ? url : url.slice(0, end);
      if (pathname !== prefix && !pathname.startsWith(`${prefix}/`)) {
        return false;
      }
      const contentEncoding = request.headers?.['content-encoding'];
      if (!isIdentityFalkorEncoding(contentEncoding)) {
        // Express hands what a parser throws to Nest's exception layer: the answer is the module's.
        throw falkorRefusal(new FalkorUnsupportedEncodingError(contentEncoding as string), logger);
      }
      return true;
    },
    limit,
    inflate: false,
  };
}
