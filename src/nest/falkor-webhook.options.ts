import type { ValidatorOptions } from 'class-validator';
import type { FalkorDeduplicationOptions } from '../core/deduplication/deduplication.options.js';
import type { FalkorEventDtoClass } from '../events/event-catalog.js';
import type { FalkorRecordsOptions } from '../records/records.options.js';
import type { FalkorQueueOptions } from '../queue/queue.options.js';
import type { FalkorSecrets } from '../core/signature/signature.js';
import type { FalkorUnknownEventPolicy } from '../events/delivery.validator.js';
import type {
  FalkorSecretResolver,
  FalkorWebhookRequest,
} from '../core/verification/webhook.request.js';

/**
 * Options of {@link FalkorWebhookModule}.
 */
export interface FalkorWebhookModuleOptions {
  /**
   * The webhook's secret; several secrets (any of them verifies: rotation), optionally with ids
   * (`{ id, secret }`); or a resolver giving them per delivery.
   */
  secret: FalkorSecrets | FalkorSecretResolver;
  /**
   * The platform name(s) whose `<name>-Webhook-Signature` header is read. When several are given
   * and a delivery carries more than one of their headers, the first platform in this list wins.
   * Default `'Falkor'`.
   */
  platformName?: string | readonly string[];
  /** DTO classes that replace the catalog's or add event types: `{ rewards: MyRewardsPayloadDto }`. */
  events?: Readonly<Record<string, FalkorEventDtoClass>>;
  /** Finds a delivery's event type. Default: the body's `type` field, as the platform sends it. */
  resolveEventType?: (
    body: Readonly<Record<string, unknown>>,
    request: FalkorWebhookRequest,
  ) => string | undefined;
  /** What to do with event types that have no DTO. Default `'acknowledge'`. */
  unknownEvents?: FalkorUnknownEventPolicy;
  /** Largest body accepted, in bytes; larger ones get 413 before any HMAC work. Default 8 MiB. */
  maxBodyBytes?: number;
  /**
   * Refuse (400) a delivery holding a value the platform's docs do not list: a state outside the
   * documented ones, a progress outside 0–100, a timestamp that is not ISO 8601, an address that
   * is not an e-mail. Default `false`: such deliveries are dispatched as they came, and each
   * distinct value is logged once.
   */
  strictValues?: boolean;
  /**
   * How long each listener may take, in milliseconds, before its delivery fails with a 5xx (the
   * listener itself cannot be stopped). Shutdown waits at most that long. Default 30,000.
   */
  listenerTimeoutMs?: number;
  /** class-validator options merged over the module's defaults. */
  validatorOptions?: ValidatorOptions;
  /**
   * Process each delivery once: off by default (`undefined` or `false`); `{}` keeps the record in
   * memory, `{ store: new RedisFalkorDeduplicationStore(redis) }` shares it between instances.
   */
  deduplication?: false | FalkorDeduplicationOptions;
  /**
   * Where record events (`enrolment.completed`, `attendee.booked`, ...) remember the changes they
   * fired, so that each fires once. On without configuration, in this process's memory (or in
   * the `deduplication.store` when one is set); `{ store: new RedisFalkorDeduplicationStore(redis) }`
   * fires each change once across instances; `false` turns them off.
   */
  records?: false | FalkorRecordsOptions;
  /**
   * Acknowledge each verified delivery with 202 once it is stored in a BullMQ queue on Redis,
   * and process it in a worker with retries: `{ connection: { host, port } }`. Needs the optional
   * peer dependencies `bullmq` and `@nestjs/bullmq`. Default: deliveries are processed before the
   * route answers.
   */
  queue?: false | FalkorQueueOptions;
}

/**
 * Options that shape one import's route, given to `forRoot`, `register` and, beside the factory,
 * to `forRootAsync` and `registerAsync` (they are needed before any async factory runs).
 */
export interface FalkorWebhookRouteOptions {
  /**
   * The route path, below the global prefix; may hold route parameters. Default
   * `'webhooks/falkor'`: give each `register()` endpoint a path of its own.
   */
  path?: string;
  /** Class decorators applied to the module's controller, e.g. `[Public()]` or `[SkipThrottle()]`. */
  decorators?: readonly ClassDecorator[];
}
