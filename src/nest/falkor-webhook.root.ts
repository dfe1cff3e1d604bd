import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { FalkorVerificationSettings } from '../core/verification/request-verifier.js';
import { FALKOR_WEBHOOK_SETTINGS } from './falkor-webhook.tokens.js';

const MANY_ROOTS =
  'FalkorWebhookModule.forRoot() is imported %d times in this app: it configures the app once ' +
  '(@FalkorWebhook() routes inherit the settings of the first one). Keep one forRoot() and add each ' +
  'other endpoint with FalkorWebhookModule.register({ path, secret }) (or registerAsync).';

/**
 * Marks the import made with `FalkorWebhookModule.forRoot()` (or `forRootAsync()`): the app's one
 * webhook configuration, whose secret, platform and body limit `@FalkorWebhook()` routes inherit.
 * Imports made with `register()` carry none. Warns once at start-up when an app has several.
 */
@Injectable()
export class FalkorWebhookRoot implements OnApplicationBootstrap {
  private readonly logger = new Logger('FalkorWebhook');

  /**
   * @param settings - the prepared settings of this import
   * @param moduleRef - this import's module, to find the app's other roots
   */
  constructor(
    @Inject(FALKOR_WEBHOOK_SETTINGS) readonly settings: FalkorVerificationSettings,
    private readonly moduleRef: ModuleRef,
  ) {}

  /** Warns, from the first root only, when `forRoot()` was imported more than once. */
  onApplicationBootstrap(): void {
    const roots = this.moduleRef.get(FalkorWebhookRoot, { strict: false, each: true });
    if (roots.length > 1 && roots[0] === this) {
      this.logger.warn(MANY_ROOTS.replace('%d', String(roots.length)));
    }
  }
}

/**
 * The settings of the app's `forRoot()` import (the first one when there are several), seen from
 * any module of the app.
 *
 * @param moduleRef - a module of the app
 * @returns the settings, or `undefined` when the app imports no `FalkorWebhookModule.forRoot()`
 */
export function findFalkorWebhookRoot(
  moduleRef: ModuleRef,
): FalkorVerificationSettings | undefined {
  try {
    return moduleRef.get(FalkorWebhookRoot, { strict: false, each: true })[0]?.settings;
  } catch {
    return undefined;
  }
}
