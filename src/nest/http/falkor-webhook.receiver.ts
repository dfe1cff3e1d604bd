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
  FalkorDeduplicator,
  type FalkorReservation,
} from '../../core/deduplication/deduplication.js';
import { FalkorShuttingDownError } from '../../core/errors/falkor-webhook.errors.js';
import {
  type FalkorVerifiedRequest,
  verifyFalkorRequest,
} from '../../core/verification/request-verifier.js';
import { falkorVerifiedMessage } from '../../core/verification/verification.messages.js';
import type { FalkorWebhookRequest } from '../../core/verification/webhook.request.js';
import { FalkorDeliveryValidator } from '../../events/delivery.validator.js';
import { falkorWebhookEvent } from '../../events/falkor-webhook.event.js';
import type { FalkorWebhookSettings } from '../falkor-webhook.settings.js';
import { FALKOR_WEBHOOK_SETTINGS } from '../falkor-webhook.tokens.js';
import { FalkorEventDispatcher } from '../listeners/falkor-event.dispatcher.js';
import { FalkorListenerRegistry } from '../listeners/falkor-listener.registry.js';
import { falkorReceipt, type FalkorWebhookReceipt } from './falkor-webhook.receipt.js';
import { falkorRefusal } from './falkor-webhook.refusal.js';
import { FalkorInFlightDeliveries } from './in-flight-deliveries.js';

const SHUTDOWN_RETRY_AFTER_SECONDS = 5;

/** A store that always lets a delivery run, for a module without `deduplication`. */
const NOT_DEDUPLICATED = {
  reserve: (): Promise<FalkorReservation> => Promise.resolve({ state: 'unchecked' }),
  settle: (): Promise<void> => Promise.resolve(),
  close: (): Promise<void> => Promise.resolve(),
};

/**
 * Receives one delivery from request to receipt, as the pipeline of one import of
 * `FalkorWebhookModule`: admit → verify → decode → validate → reserve → dispatch → settle →
 * answer. Each step is a call into its own room; none calls back up.
 */
@Injectable()
export class FalkorWebhookReceiver
  implements OnModuleInit, OnModuleDestroy, BeforeApplicationShutdown
{
  private readonly logger = new Logger('FalkorWebhook');
  private readonly inFlight = new FalkorInFlightDeliveries();
  private readonly validator: FalkorDeliveryValidator;
  private readonly deduplicator: Pick<FalkorDeduplicator, 'reserve' | 'settle' | 'close'>;

  constructor(
    @Inject(FALKOR_WEBHOOK_SETTINGS) private readonly settings: FalkorWebhookSettings,
    private readonly dispatcher: FalkorEventDispatcher,
    registry: FalkorListenerRegistry,
  ) {
    registry.knowTypes(settings.dtos.keys());
    this.validator = new FalkorDeliveryValidator(settings, (message) => this.logger.warn(message));
    this.deduplicator = settings.deduplication
      ? new FalkorDeduplicator(settings.deduplication, this.logger)
      : NOT_DEDUPLICATED;
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
   * Waits until every delivery already accepted has got its answer (each listener within
   * `listenerTimeoutMs`), then records pending de-duplication outcomes.
   */
  async beforeApplicationShutdown(): Promise<void> {
    await this.inFlight.drain();
    await this.deduplicator.close();
  }

  /**
   * Handles one delivery, answering as the webhook route does.
   *
   * @returns the receipt of an accepted delivery
   * @throws HttpException with the status and message of the refusal
   */
  async receive(request: FalkorWebhookRequest): Promise<FalkorWebhookReceipt> {
    try {
      return await this.pipeline(request, () => verifyFalkorRequest(request, this.settings));
    } catch (error) {
      throw falkorRefusal(error, this.logger);
    }
  }

  /**
   * The pipeline without the signature check, for the test kit's `dispatchFalkorEvent` only: it
   * is not public API. A refusal is thrown as the module's own error, not as an HTTP answer.
   *
   * @internal
   */
  receiveUnsigned(
    request: FalkorWebhookRequest,
    verified: FalkorVerifiedRequest,
  ): Promise<FalkorWebhookReceipt> {
    return this.pipeline(request, () => verified);
  }

  /** The steps of one delivery, top to bottom; a refusal is thrown as the module's error. */
  private async pipeline(
    request: FalkorWebhookRequest,
    verify: () => FalkorVerifiedRequest | Promise<FalkorVerifiedRequest>,
  ): Promise<FalkorWebhookReceipt> {
    if (!this.inFlight.enter()) {
      throw new FalkorShuttingDownError(SHUTDOWN_RETRY_AFTER_SECONDS);
    }
    try {
      const receivedAt = new Date();
      const verified = await verify();
      if (Logger.isLevelEnabled('debug')) {
        this.logger.debug(falkorVerifiedMessage(verified));
      }
      const body = parseFalkorBody(verified.rawBody);
      const { type, payload } = await this.validator.validate(body, request);
      if (payload === undefined) {
        return falkorReceipt(type, { listeners: 0, failures: [] });
      }
      const event = falkorWebhookEvent(type, payload, verified, request, receivedAt);
      const reservation = await this.deduplicator.reserve(event, verified.rawBody);
      if (reservation.state === 'duplicate') {
        return falkorReceipt(type, 'duplicate');
      }
      const outcome = await this.dispatcher.dispatch(
        event,
        this.settings.listenerTimeoutMs,
        request,
      );
      await this.deduplicator.settle(reservation, outcome.failures.length === 0);
      if (outcome.listeners === 0) {
        this.validator.unobserved(type);
      }
      return falkorReceipt(type, outcome);
    } finally {
      this.inFlight.leave();
    }
  }
}
