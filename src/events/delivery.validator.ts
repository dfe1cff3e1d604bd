import type { ValidatorOptions } from 'class-validator';
import {
  FalkorPayloadError,
  FalkorUnknownEventError,
} from '../core/errors/falkor-webhook.errors.js';
import { FalkorOnceLog } from '../core/logging/once.log.js';
import { printableFalkorValue } from '../core/logging/printable.text.js';
import type { FalkorWebhookRequest } from '../core/verification/webhook.request.js';
import { FalkorValueDrift } from './drift.reporter.js';
import { validateFalkorPayload } from './event-validator.js';
import type { FalkorEventDtoClass } from './event-catalog.js';

/**
 * What to do with a delivery whose event type is not in the catalog.
 * `acknowledge`: answer 200 and log it once; `reject`: answer 400.
 */
export type FalkorUnknownEventPolicy = 'acknowledge' | 'reject';

/**
 * What the validate step needs, prepared once at start-up.
 */
export interface FalkorCatalogSettings {
  /** The DTO class of each known event type. */
  readonly dtos: ReadonlyMap<string, FalkorEventDtoClass>;
  /** Finds a delivery's event type. */
  readonly resolveEventType: (
    body: Readonly<Record<string, unknown>>,
    request: FalkorWebhookRequest,
  ) => string | undefined;
  /** What to do with unknown event types. */
  readonly unknownEvents: FalkorUnknownEventPolicy;
  /** class-validator options; `undefined` lets catalog DTOs take their compiled plan. */
  readonly validatorOptions: ValidatorOptions | undefined;
  /** Whether values the docs do not list refuse a delivery. */
  readonly strictValues: boolean;
}

/**
 * A delivery the validate step accepted: its type and, when the type has a DTO, the validated
 * instance (`undefined` for an acknowledged unknown type).
 */
export interface FalkorValidatedDelivery {
  /** The event type. */
  readonly type: string;
  /** The validated DTO instance, or `undefined` when no DTO handles the type. */
  readonly payload: object | undefined;
}

/** How many distinct types are remembered for the "log once" lines. */
const TYPE_MEMORY = 1000;

/**
 * The validate step of the pipeline: finds a parsed delivery's event type, validates it with the
 * type's DTO (the compiled plan, or `plainToInstance` + `validate`), then checks the values the
 * platform's docs list. Unknown types are acknowledged and logged once, or refused.
 */
export class FalkorDeliveryValidator {
  private readonly drift: FalkorValueDrift;
  private readonly types: FalkorOnceLog;

  /**
   * @param settings - the prepared catalog settings
   * @param warn - where warnings go (undocumented values, unknown or unobserved types)
   */
  constructor(
    private readonly settings: FalkorCatalogSettings,
    warn: (message: string) => void,
  ) {
    this.drift = new FalkorValueDrift(settings.strictValues, warn);
    this.types = new FalkorOnceLog(
      warn,
      TYPE_MEMORY,
      `${TYPE_MEMORY} distinct event types have been logged; further ones are not.`,
    );
  }

  /**
   * Validates one parsed delivery.
   *
   * @param body - the parsed JSON object
   * @param request - the request, for `resolveEventType`
   * @throws FalkorPayloadError when no type is found, FalkorUnknownEventError for an unknown type
   *   when they are refused, FalkorValidationError listing every failing property path
   */
  async validate(
    body: Record<string, unknown>,
    request: FalkorWebhookRequest,
  ): Promise<FalkorValidatedDelivery> {
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
      this.once(
        type,
        (printed) =>
          `Acknowledged a delivery of unknown event type ${printed} without dispatching it: add ` +
          'a DTO for it in the "events" option to receive it.',
      );
      return { type, payload: undefined };
    }
    const payload = await validateFalkorPayload(dto, type, body, this.settings.validatorOptions);
    this.drift.check(type, payload);
    return { type, payload };
  }

  /**
   * Logs once per type that no listener handles it.
   *
   * @param type - a type whose delivery ran no listener
   */
  unobserved(type: string): void {
    this.once(
      type,
      (printed) =>
        `No @OnFalkorEvent listener handles ${printed}; its deliveries are acknowledged.`,
    );
  }

  private once(type: string, message: (printed: string) => string): void {
    const printed = printableFalkorValue(type);
    this.types.once(printed, () => message(printed));
  }
}
