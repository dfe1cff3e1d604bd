import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { parseFalkorBody } from '../../core/body/body.js';
import {
  FALKOR_DUPLICATE_DELIVERY,
  FalkorDeduplicator,
} from '../../core/deduplication/deduplication.js';
import { FalkorInFlightDeliveries } from './in-flight-deliveries.js';
import {
  FalkorPayloadError,
  FalkorShuttingDownError,
  FalkorUnknownEventError,
} from '../../core/errors/falkor-webhook.errors.js';
import type { FalkorEventType } from '../../events/event-catalog.js';
import { FalkorValueDrift } from '../../events/drift.reporter.js';
import { checkFalkorPayload } from '../../events/event-validator.js';
import type { FalkorWebhookEvent } from '../../events/falkor-webhook.event.js';
import { FalkorEventDispatcher } from '../listeners/falkor-event.dispatcher.js';
import { FALKOR_WEBHOOK_SETTINGS } from '../falkor-webhook.tokens.js';
import type { FalkorWebhookRequest } from '../../core/verification/webhook.request.js';
import type { FalkorWebhookSettings } from '../falkor-webhook.settings.js';
import {
  verifyFalkorRequest,
  type FalkorVerifiedRequest,
} from '../../core/verification/request-verifier.js';
import { falkorVerifiedMessage } from '../../core/verification/verification.messages.js';
import { printableFalkorValue } from '../../core/logging/printable.text.js';
import { falkorRefusal } from './falkor-webhook.refusal.js';

/**
 * What the webhook route answers to an accepted delivery.
 */
export interface FalkorWebhookReceipt {
  /** Always `true`: the delivery was verified and processed. */
  readonly received: true;
  /** The delivery's event type. */
  readonly type: string;
  /** How many `@OnFalkorEvent` listeners ran (0 for an unknown or unobserved type). */
  readonly listeners: number;
  /** `true` when de-duplication recognised an already processed delivery: nothing ran. */
  readonly duplicate?: true;
}

const MAX_REMEMBERED_TYPES = 1000;
const SHUTDOWN_RETRY_AFTER_SECONDS = 5;

/**
 * Processes one delivery from request to receipt: verification over the raw bytes, strict
 * parsing, event type resolution, DTO validation and dispatch to every listener.
 */
@Injectable()
export class FalkorWebhookService
  implements OnModuleInit, OnModuleDestroy, BeforeApplicationShutdown
{
  private readonly logger = new Logger('FalkorWebhook');
  private readonly reportedTypes = new Set<string>();
  private readonly inFlight = new FalkorInFlightDeliveries();
  private readonly deduplicator: FalkorDeduplicator | undefined;
  private readonly values: FalkorValueDrift;

  constructor(
    @Inject(FALKOR_WEBHOOK_SETTINGS) private readonly settings: FalkorWebhookSettings,
    private readonly dispatcher: FalkorEventDispatcher,
  ) {
    this.deduplicator =
      settings.deduplication && new FalkorDeduplicator(settings.deduplication, this.logger);
    this.values = new FalkorValueDrift(settings.strictValues, (message) =>
      this.logger.warn(message),
    );
  }

  /** Logs the configuration warnings found at start-up. */
  onModuleInit(): void {
    for (const warning of this.settings.warnings) {
      this.logger.warn(warning);
    }
  }

  /** Refuses new deliveries (503) from the start of shutdown. */
  onModuleDestroy(): void {
    this.inFlight.close();
  }

  /**
   * Waits until every delivery already accepted has finished its listeners and got its answer,
   * before the event emitter drops its listeners, then records pending de-duplication outcomes.
   */
  async beforeApplicationShutdown(): Promise<void> {
    await this.inFlight.drain();
    await this.deduplicator?.close();
  }

  /**
   * Handles one delivery, answering as the webhook route does.
   *
   * @returns the receipt of an accepted delivery
   * @throws HttpException with the status and message of the refusal
   */
  async receive(request: FalkorWebhookRequest): Promise<FalkorWebhookReceipt> {
    if (!this.inFlight.enter()) {
      throw falkorRefusal(new FalkorShuttingDownError(SHUTDOWN_RETRY_AFTER_SECONDS), this.logger);
    }
    try {
      const verified = await verifyFalkorRequest(request, this.settings);
      if (Logger.isLevelEnabled('debug')) {
        this.logger.debug(falkorVerifiedMessage(verified));
      }
      return await this.process(request, verified);
    } catch (error) {
      throw falkorRefusal(error, this.logger);
    } finally {
      this.inFlight.leave();
    }
  }

  /**
   * Parses, validates and dispatches a request whose signature has verified.
   *
   * @throws FalkorWebhookError when the payload is refused or a listener fails
   */
  async process(
    request: FalkorWebhookRequest,
    verified: FalkorVerifiedRequest,
  ): Promise<FalkorWebhookReceipt> {
    const receivedAt = new Date();
    const body = parseFalkorBody(verified.rawBody);
    const type = this.settings.resolveEventType(body, request);
    if (typeof type !== 'string' || type.length === 0) {
      throw new FalkorPayloadError(
        'The payload names no event type: the body needs a string "type" field, as the ' +
          'platform sends it (or adapt the "resolveEventType" option).',
      );
    }
    const dto = this.settings.dtos.get(type);
    if (!dto) {
      if (this.settings.unknownEvents === 'reject') {
        throw new FalkorUnknownEventError(type);
      }
      this.reportOnce(
        type,
        `Acknowledged a delivery of unknown event type ${printableFalkorValue(type)} without ` +
          'dispatching it: add a DTO for it in the "events" option to receive it.',
      );
      return { received: true, type, listeners: 0 };
    }
    const payload = await checkFalkorPayload(dto, type, body, this.settings.validatorOptions);
    this.values.check(type, payload);
    const event = {
      type: type as FalkorEventType,
      payload,
      receivedAt,
      rawBody: verified.rawBody,
      platform: verified.platform,
      signatureHeader: verified.signatureHeader,
      secretIndex: verified.secretIndex,
      ...(verified.secretId === undefined ? {} : { secretId: verified.secretId }),
      headers: request.headers,
      params: (request.params ?? {}) as Record<string, string>,
    } as FalkorWebhookEvent;
    const listeners =
      this.deduplicator === undefined
        ? await this.dispatcher.dispatch(event, request)
        : await this.deduplicator.dispatchOnce(event, verified.rawBody, () =>
            this.dispatcher.dispatch(event, request),
          );
    if (listeners === FALKOR_DUPLICATE_DELIVERY) {
      return { received: true, type, listeners: 0, duplicate: true };
    }
    if (listeners === 0) {
      this.reportOnce(
        type,
        `No @OnFalkorEvent listener handles ${printableFalkorValue(type)}; its deliveries are ` +
          'acknowledged.',
      );
    }
    return { received: true, type, listeners };
  }

  private reportOnce(type: string, message: string): void {
    const key = printableFalkorValue(type);
    if (this.reportedTypes.has(key) || this.reportedTypes.size >= MAX_REMEMBERED_TYPES) {
      return;
    }
    this.reportedTypes.add(key);
    this.logger.warn(message);
  }
}
