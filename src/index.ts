export {
  FalkorBodyTooLargeError,
  FalkorChangeInProgressError,
  FalkorConfigurationError,
  FalkorDeduplicationStoreError,
  FalkorDeliveryInProgressError,
  FalkorListenerError,
  FalkorPayloadError,
  FalkorQueueUnavailableError,
  FalkorRecordStoreError,
  FalkorRetryableError,
  FalkorShuttingDownError,
  FalkorSignatureError,
  FalkorUnknownEventError,
  FalkorUnsupportedMediaTypeError,
  FalkorValidationError,
  FalkorWebhookError,
  type FalkorListenerFailure,
  type FalkorSignatureFailure,
  type FalkorValidationIssue,
  type FalkorWebhookErrorCode,
} from './core/errors/falkor-webhook.errors.js';
export {
  checkFalkorSignature,
  signFalkorPayload,
  verifyFalkorSignature,
  type FalkorSecret,
  type FalkorSecrets,
  type FalkorSignatureCheck,
} from './core/signature/signature.js';
export {
  FALKOR_SIGNATURE_PREFIX,
  falkorSignatureHeaderName,
  falkorSignatureOfHeaderLine,
  isFalkorPlatformName,
  parseFalkorSignatureHeader,
} from './core/signature/signature-header.js';
export { FALKOR_MAX_JSON_DEPTH, parseFalkorBody } from './core/body/body.js';
export { FalkorUnsupportedEncodingError } from './core/verification/content-encoding.js';
export type { FalkorVerifiedRequest } from './core/verification/request-verifier.js';
export { FalkorWebhook } from './nest/guard/falkor-webhook.decorator.js';
export { FalkorWebhookGuard } from './nest/guard/falkor-webhook.guard.js';
export type { FalkorWebhookGuardOptions } from './nest/guard/falkor-webhook.route.js';
export { FalkorDelivery, getFalkorDelivery } from './nest/guard/falkor-delivery.decorator.js';
export { FalkorPathwayDto } from './events/pathway.dto.js';
export { FalkorDeliveryDataDto, FalkorDeliveryDto } from './events/delivery.dto.js';
export { FalkorLearnerDto } from './events/learner.dto.js';
export {
  FalkorEnrolmentDto,
  FalkorEnrolmentsDataDto,
  FalkorEnrolmentsPayloadDto,
  FalkorEnrolmentStatusDto,
} from './events/enrolments.dto.js';
export {
  FalkorAttendeeDto,
  FalkorEventDto,
  FalkorEventsDataDto,
  FalkorEventsPayloadDto,
} from './events/events.dto.js';
export {
  FalkorRewardDto,
  FalkorRewardsDataDto,
  FalkorRewardsPayloadDto,
  FalkorVoucherDto,
} from './events/rewards.dto.js';
export type { FalkorOptional } from './events/field.rules.js';
export {
  FALKOR_ATTENDEE_STATES,
  FALKOR_ENROLMENT_STATES,
  FALKOR_UNLIMITED,
  FALKOR_VOUCHER_STATES,
  type FalkorAttendeeState,
  type FalkorDocumentedString,
  type FalkorEnrolmentState,
  type FalkorVoucherState,
} from './events/documented.values.js';
export {
  FALKOR_EVENT_CATALOG,
  FALKOR_EVENT_TYPES,
  type FalkorEventDtoClass,
  type FalkorEventMap,
  type FalkorDeliveryType,
  type FalkorEventType,
} from './events/event-catalog.js';
export {
  FALKOR_RECORD_EVENT_TYPES,
  FALKOR_RECORD_EVENTS,
  isFalkorRecordEvent,
  type FalkorAttendeeRecord,
  type FalkorEnrolmentRecord,
  type FalkorRecordEventMap,
  type FalkorRecordEventType,
  type FalkorVoucherRecord,
} from './events/record-events.js';
export type { FalkorRecordsOptions } from './records/records.options.js';
export {
  DEFAULT_FALKOR_RECORDS_KEY_PREFIX,
  DEFAULT_FALKOR_RECORDS_TTL_SECONDS,
} from './nest/falkor-webhook.settings.js';
export { validateFalkorPayload } from './events/event-validator.js';
export type { FalkorDeliveryInfo, FalkorWebhookEvent } from './events/falkor-webhook.event.js';
export {
  OnFalkorEvent,
  type FalkorListenerMetadata,
  type OnFalkorEventOptions,
} from './nest/listeners/on-falkor-event.decorator.js';
export { falkorEventName } from './nest/listeners/falkor-listener.outcome.js';
export type {
  FalkorSecretContext,
  FalkorSecretResolver,
  FalkorWebhookRequest,
} from './core/verification/webhook.request.js';
export type { FalkorUnknownEventPolicy } from './events/delivery.validator.js';
export type {
  FalkorWebhookModuleOptions,
  FalkorWebhookRouteOptions,
} from './nest/falkor-webhook.options.js';
export {
  DEFAULT_FALKOR_WEBHOOK_PATH,
  FALKOR_WEBHOOK_ASYNC_OPTIONS_TYPE,
  FALKOR_WEBHOOK_OPTIONS,
  FALKOR_WEBHOOK_OPTIONS_TYPE,
} from './nest/falkor-webhook.module-definition.js';
export { DEFAULT_FALKOR_MAX_BODY_BYTES } from './nest/falkor-webhook.settings.js';
export { FalkorWebhookModule } from './nest/falkor-webhook.module.js';
export {
  falkorBodyParserOptions,
  type FalkorBodyParserOptions,
} from './nest/http/falkor-body-parser.options.js';
export type {
  FalkorChangesReceipt,
  FalkorWebhookReceipt,
} from './nest/http/falkor-webhook.receipt.js';
export type {
  FalkorDeduplicationStore,
  FalkorReservationResult,
} from './store/deduplication.store.js';
export type {
  FalkorDeduplicationKey,
  FalkorDeduplicationOptions,
  FalkorStoreErrorPolicy,
} from './core/deduplication/deduplication.options.js';
export { falkorDeliveryKey } from './core/deduplication/deduplication.js';
export {
  DEFAULT_FALKOR_DEDUPLICATION_MAX_ENTRIES,
  FalkorDeduplicationStoreFullError,
  MemoryFalkorDeduplicationStore,
  type MemoryFalkorDeduplicationStoreOptions,
} from './store/memory-deduplication.store.js';
export {
  DEFAULT_FALKOR_DEDUPLICATION_KEY_PREFIX,
  RedisFalkorDeduplicationStore,
  type RedisFalkorDeduplicationStoreOptions,
} from './store/redis-deduplication.store.js';

// DI options of @FalkorWebhook() and the Nest-shaped error body.
export {
  FALKOR_WEBHOOK_GUARD_OPTIONS,
  type FalkorWebhookGuardAsyncOptions,
} from './nest/guard/falkor-webhook.route.js';
export type { FalkorWebhookErrorBody } from './nest/http/falkor-webhook.refusal.js';
export { FalkorDeliveryQueue } from './nest/queue/falkor-delivery.queue.js';
export {
  DEFAULT_FALKOR_QUEUE_NAME,
  FalkorQueueClient,
  openFalkorQueue,
  type FalkorFailedDelivery,
  type FalkorQueueAddress,
} from './queue/falkor-queue.client.js';
export type { FalkorQueueOptions, FalkorQueueRole } from './queue/queue.options.js';
export type { FalkorQueuedDelivery, FalkorQueuedFailure } from './queue/queued.delivery.js';
