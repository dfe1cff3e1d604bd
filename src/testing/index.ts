export {
  FALKOR_SAMPLE_PAYLOADS,
  falkorSampleAttendee,
  falkorSampleEnrolment,
  falkorSampleEvent,
  falkorSamplePayload,
  falkorSampleReward,
  falkorSampleVoucher,
  type FalkorPayloadOverrides,
  type FalkorSamplePayload,
} from './falkor-sample.payloads.js';
export { FALKOR_TEST_SECRET } from './falkor-testing.constants.js';
export {
  createFalkorDelivery,
  falkorDeliveryHeaders,
  type CreateFalkorDeliveryOptions,
  type SignedFalkorDelivery,
} from './falkor-delivery.factory.js';
export { dispatchFalkorEvent } from './falkor-event.dispatch.js';
export {
  FalkorWebhookTestingModule,
  type FalkorWebhookTestingOptions,
} from './falkor-webhook-testing.module.js';
