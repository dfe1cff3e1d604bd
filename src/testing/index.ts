export { FALKOR_SAMPLE_PAYLOADS } from './sample-payloads.js';
export {
  createFalkorDelivery,
  type CreateFalkorDeliveryOptions,
  type FalkorDelivery,
  type FalkorPayloadOverrides,
} from './falkor-delivery.js';
export { dispatchFalkorEvent } from './falkor-dispatch.js';
