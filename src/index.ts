export * from './errors/falkor-webhook.errors.js';
export * from './signature/signature.js';
export {
  FALKOR_SIGNATURE_PREFIX,
  falkorSignatureHeaderName,
  parseFalkorSignatureHeader,
} from './signature/signature-header.js';
export { parseFalkorBody } from './body/body.js';
export type { FalkorVerifiedRequest } from './verification/request-verifier.js';
export { FalkorWebhook } from './guard/falkor-webhook.decorator.js';
export { FalkorWebhookGuard } from './guard/falkor-webhook.guard.js';
export type { FalkorWebhookGuardOptions } from './guard/falkor-webhook.route.js';
export { FalkorDelivery, getFalkorDelivery } from './guard/falkor-delivery.decorator.js';
export * from './events/common.events.js';
export * from './events/enrolment.events.js';
export * from './events/activity.events.js';
export * from './events/attendance.events.js';
export * from './events/reward.events.js';
export * from './events/event-catalog.js';
export { validateFalkorPayload } from './events/event-validator.js';
export type { FalkorDeliveryInfo, FalkorWebhookEvent } from './events/falkor-webhook.event.js';
export {
  OnFalkorEvent,
  type FalkorListenerMetadata,
  type OnFalkorEventOptions,
} from './listeners/on-falkor-event.decorator.js';
export { falkorEventName } from './listeners/falkor-listener.outcome.js';
export type {
  FalkorSecretContext,
  FalkorSecretResolver,
  FalkorUnknownEventPolicy,
  FalkorWebhookModuleOptions,
  FalkorWebhookRequest,
  FalkorWebhookRouteOptions,
} from './module/falkor-webhook.options.js';
export {
  DEFAULT_FALKOR_WEBHOOK_PATH,
  FALKOR_WEBHOOK_ASYNC_OPTIONS_TYPE,
  FALKOR_WEBHOOK_OPTIONS,
  FALKOR_WEBHOOK_OPTIONS_TYPE,
} from './module/falkor-webhook.module-definition.js';
export { DEFAULT_FALKOR_MAX_BODY_BYTES } from './module/falkor-webhook.settings.js';
export { FalkorWebhookModule } from './module/falkor-webhook.module.js';
export { FalkorWebhookService, type FalkorWebhookReceipt } from './http/falkor-webhook.service.js';
export type {
  FalkorDeduplicationStore,
  FalkorReservationResult,
} from './deduplication/deduplication.store.js';
export type {
  FalkorDeduplicationKey,
  FalkorDeduplicationOptions,
  FalkorStoreErrorPolicy,
} from './deduplication/deduplication.options.js';
export { falkorDeliveryKey } from './deduplication/deduplication.js';
export {
  DEFAULT_FALKOR_DEDUPLICATION_MAX_ENTRIES,
  MemoryFalkorDeduplicationStore,
  type MemoryFalkorDeduplicationStoreOptions,
} from './deduplication/memory-deduplication.store.js';
export {
  DEFAULT_FALKOR_DEDUPLICATION_KEY_PREFIX,
  RedisFalkorDeduplicationStore,
  type RedisFalkorDeduplicationStoreOptions,
} from './deduplication/redis-deduplication.store.js';
