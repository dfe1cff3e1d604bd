import { HttpException, Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { parseFalkorBody } from '../body/body.js';
import {
  FalkorListenerError,
  FalkorPayloadError,
  FalkorSignatureError,
  FalkorUnknownEventError,
  FalkorValidationError,
  FalkorWebhookError,
} from '../errors/falkor-webhook.errors.js';
import type { FalkorEventType } from '../events/event-catalog.js';
import { validateFalkorPayload } from '../events/event-validator.js';
import type { FalkorWebhookEvent } from '../events/falkor-webhook.event.js';
import { FalkorEventDispatcher } from '../listeners/falkor-event.dispatcher.js';
import { FALKOR_REQUEST } from '../listeners/falkor-listener.outcome.js';
import { FALKOR_WEBHOOK_SETTINGS } from '../module/falkor-webhook.constants.js';
import type { FalkorWebhookRequest } from '../module/falkor-webhook.options.js';
import type { FalkorWebhookSettings } from '../module/falkor-webhook.settings.js';
import {
  verifyFalkorRequest,
  type FalkorVerifiedRequest,
} from '../verification/request-verifier.js';

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
}

const INTERNAL_ERROR_MESSAGE =
  'The webhook could not be processed; it was not acknowledged, so the platform will redeliver it.';
const MAX_REMEMBERED_TYPES = 1000;

/**
 * Processes one delivery from request to receipt: verification over the raw bytes, strict
 * parsing, event type resolution, DTO validation and dispatch to every listener.
 */
@Injectable()
export class FalkorWebhookService implements OnModuleInit {
  private readonly logger = new Logger('FalkorWebhook');
  private readonly reportedTypes = new Set<string>();

  constructor(
    @Inject(FALKOR_WEBHOOK_SETTINGS) private readonly settings: FalkorWebhookSettings,
    private readonly dispatcher: FalkorEventDispatcher,
  ) {}

  /** Logs the configuration warnings found at start-up. */
  onModuleInit(): void {
    for (const warning of this.settings.warnings) {
      this.logger.warn(warning);
    }
  }

  /**
   * Handles one delivery, answering as the webhook route does.
   *
   * @returns the receipt of an accepted delivery
   * @throws HttpException with the status and message of the refusal
   */
  async receive(request: FalkorWebhookRequest): Promise<FalkorWebhookReceipt> {
    try {
      return await this.process(request, await verifyFalkorRequest(request, this.settings));
    } catch (error) {
      throw this.refuse(error);
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
        'The payload names no event type: the body needs a string "event" field (or adapt the ' +
          '"resolveEventType" option).',
      );
    }
    const dto = this.settings.dtos.get(type);
    if (!dto) {
      if (this.settings.unknownEvents === 'reject') {
        throw new FalkorUnknownEventError(type);
      }
      this.reportOnce(
        type,
        `Acknowledged a delivery of unknown event type "${type}" without dispatching it: add a DTO ` +
          'for it in the "events" option to receive it.',
      );
      return { received: true, type, listeners: 0 };
    }
    const payload = await validateFalkorPayload(dto, type, body, this.settings.validatorOptions);
    const event = {
      type: type as FalkorEventType,
      payload,
      receivedAt,
      ...verified,
      headers: request.headers,
      params: (request.params ?? {}) as Record<string, string>,
    } as FalkorWebhookEvent;
    Object.defineProperty(event, FALKOR_REQUEST, { value: request });
    const listeners = await this.dispatcher.dispatch(event);
    if (listeners === 0) {
      this.reportOnce(
        type,
        `No @OnFalkorEvent listener handles "${type}"; its deliveries are acknowledged.`,
      );
    }
    return { received: true, type, listeners };
  }

  private reportOnce(type: string, message: string): void {
    if (this.reportedTypes.has(type) || this.reportedTypes.size >= MAX_REMEMBERED_TYPES) {
      return;
    }
    this.reportedTypes.add(type);
    this.logger.warn(message);
  }

  private refuse(error: unknown): HttpException {
    if (!(error instanceof FalkorWebhookError)) {
      this.logger.error(
        `Processing a delivery failed: ${(error as Error)?.message ?? String(error)}`,
        (error as Error)?.stack,
      );
      return new HttpException(
        { statusCode: 500, error: 'internal_error', message: INTERNAL_ERROR_MESSAGE },
        500,
      );
    }
    this.log(error);
    return new HttpException(
      {
        statusCode: error.status,
        error: error.code,
        message: error.message,
        ...(error instanceof FalkorValidationError ? { errors: error.issues } : {}),
      },
      error.status,
    );
  }

  private log(error: FalkorWebhookError): void {
    if (error instanceof FalkorListenerError) {
      for (const failure of error.failures) {
        const cause = failure.error as Error | undefined;
        this.logger.error(
          `Listener ${failure.listener} failed for "${error.eventType}": ${cause?.message ?? String(cause)}`,
          cause?.stack,
        );
      }
    } else if (error.status >= 500) {
      this.logger.error(error.message);
    } else if (error instanceof FalkorSignatureError) {
      this.logger.warn(`Rejected a delivery: signature ${error.reason}.`);
    } else {
      this.logger.warn(`Rejected a delivery: ${error.message}`);
    }
  }
}
