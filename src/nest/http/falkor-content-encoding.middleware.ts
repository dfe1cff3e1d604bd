import { Injectable, Logger, type NestMiddleware } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import { checkFalkorContentEncoding } from '../../core/verification/content-encoding.js';
import { falkorRefusal } from './falkor-webhook.refusal.js';

/**
 * Refuses a compressed delivery with the module's 415 before any body parser reads it. Fastify
 * parses a body before the route runs, and its JSON parser answers a compressed one with a 400
 * of its own; Nest runs middleware before that (in Fastify's `onRequest` hook). On Express, where
 * the app's parsers run first, `falkorBodyParserOptions()` and the route's own check refuse it.
 */
@Injectable()
export class FalkorContentEncodingMiddleware implements NestMiddleware {
  private readonly logger = new Logger('FalkorWebhook');

  /**
   * @throws HttpException (415) when `Content-Encoding` names any coding but `identity`
   */
  use(request: { readonly headers: IncomingHttpHeaders }, _response: unknown, next: () => void) {
    try {
      checkFalkorContentEncoding(request.headers);
    } catch (error) {
      throw falkorRefusal(error, this.logger);
    }
    next();
  }
}
