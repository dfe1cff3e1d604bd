/** Injection token of the module's prepared settings. */
export const FALKOR_WEBHOOK_SETTINGS = Symbol('FALKOR_WEBHOOK_SETTINGS');

/** Injection token of one import's generated controller class, for the middleware on its route. */
export const FALKOR_WEBHOOK_CONTROLLER = Symbol('FALKOR_WEBHOOK_CONTROLLER');
