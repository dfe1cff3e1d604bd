import type { IncomingMessage } from 'node:http';
import { DEFAULT_FALKOR_WEBHOOK_PATH } from '../falkor-webhook.module-definition.js';
import { DEFAULT_FALKOR_MAX_BODY_BYTES } from '../../core/verification/verification.settings.js';

/**
 * Options of Express's raw body parser (`app.useBodyParser('raw', ...)`), made by
 * {@link falkorBodyParserOptions}.
 */
export interface FalkorBodyParserOptions {
  /** Takes the requests to the webhook path, whatever their Content-Type (or none). */
  readonly type: (request: IncomingMessage) => boolean;
  /** The largest body read, in bytes. */
  readonly limit: number;
  /** `false`: a compressed body is refused rather than inflated past the limit. */
  readonly inflate: false;
}

/**
 * Options for Express's raw body parser that hand the webhook route its deliveries as their exact
 * bytes, before any JSON or form parser reads them: the platform documents no Content-Type (a
 * PHP sender that sets none sends `application/x-www-form-urlencoded`), and a delivery may be a
 * snapshot of the whole pathway, far beyond Express's 100 kB JSON limit. Other routes keep the
 * app's parsers.
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
      return pathname === prefix || pathname.startsWith(`${prefix}/`);
    },
    limit,
    inflate: false,
  };
}
