/**
 * The secret {@link FalkorWebhookTestingModule} verifies with and {@link createFalkorDelivery} signs
 * with unless told otherwise. For tests only: never configure it in an application.
 */
export const FALKOR_TEST_SECRET = 'falkor-webhook-test-secret';
