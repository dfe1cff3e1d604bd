/** Injection token of the module's prepared settings. */
export const FALKOR_WEBHOOK_SETTINGS = Symbol('FALKOR_WEBHOOK_SETTINGS');
